"""Numbers in their claim's unit, for reasons, tables and pages.

``%`` and ``points`` mark quantities stored as fractions (accuracies, and
differences of accuracies) and shown ×100; any other unit is printed after the
number as it is.
"""

from __future__ import annotations

import math

#: Units whose values are stored as fractions and shown ×100, with their suffix.
PERCENT_UNITS = {"%": "%", "points": " points"}


def display_scale(unit: str) -> float:
    """What a stored value is multiplied by to be shown in ``unit`` (100 for % and points)."""
    return 100.0 if unit in PERCENT_UNITS else 1.0


def num(x: float, digits: int = 3) -> str:
    """A number for prose: 3 significant digits, thousands separated."""
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if abs(x) >= 1000 or (x == int(x) and abs(x) >= 10):
        return f"{x:,.0f}"
    if abs(x) < 1e-3:
        return f"{x:.{max(digits - 1, 1)}e}"
    return f"{x:.{digits}g}"


def with_unit(x: float, unit: str) -> str:
    """A value in its unit: fractions shown as % or percentage points."""
    if unit in PERCENT_UNITS:
        x = float(x)
        if not math.isfinite(x):
            return num(x)
        return f"{num(100 * x)}{PERCENT_UNITS[unit]}"
    return f"{num(x)} {unit}".rstrip()


def interval_with_unit(
    lo: float, hi: float, unit: str, n: int = 2, replication: str = "seeds"
) -> str:
    """A 95% interval in its unit; says why when there is none."""
    if n < 2:
        return f"one {replication[:-1]}: no interval"
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "no interval"
    if unit in PERCENT_UNITS:
        return f"[{num(100 * lo)}, {num(100 * hi)}]{PERCENT_UNITS[unit]}"
    return f"[{num(lo)}, {num(hi)}] {unit}".rstrip()
