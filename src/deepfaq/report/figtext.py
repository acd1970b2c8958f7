"""What a page says about a figure: alt text from the figure's own titles, axes and
series (each said once), how many panels it has, and how wide a phone shows it.

Alt text reads each panel as "<title>: <y axis> against <x axis>, for <series>",
leaving out whatever repeats what was already said: a title equal to its y axis, a
series named like the panel, a panel equal to the one before it. A figure drawn
before its data was kept gets its name in words.
"""

from __future__ import annotations

import re

from deepfaq.core.figures import INTERVAL

#: Below this width (CSS pixels) a panel's labels are too small to read on a phone:
#: a figure of several panels side by side is shown at least this wide per column,
#: scrolled sideways, with a link to the full-size image.
MIN_PANEL_PX = 300


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", str(text).lower()).split())


def _series(ax: dict) -> list[str]:
    names = [
        str(s.get("label"))
        for s in ax.get("lines", []) + ax.get("bars", [])
        if s.get("label") and not str(s.get("label")).startswith("_")
    ]
    return list(dict.fromkeys(names))


def _panel(ax: dict, fallback: str) -> str:
    """One panel in words, without repeating itself."""
    title, x, y = (" ".join(str(ax.get(k) or "").split()) for k in ("title", "xlabel", "ylabel"))
    said: list[str] = []
    head = title or fallback
    said.append(_norm(head))
    text = head
    if x and y:
        if _norm(y) == _norm(head) or _norm(y) in _norm(head):
            text += f" against {x}"
        else:
            text += f": {y} against {x}"
        said += [_norm(x), _norm(y)]
    elif y and _norm(y) not in said:
        text += f": {y}"
        said.append(_norm(y))
    elif ax.get("images"):
        text += ": heat map"
    series = [" ".join(s.split()) for s in _series(ax) if _norm(s) not in said and _norm(s)]
    if series:
        text += " for " + ", ".join(series)
    return text


def alt_text(name: str, data: dict | None) -> str:
    """Alt text for a figure from its drawn data (see :func:`deepfaq.core.figures.describe`
    for the fields), each thing said once."""
    words = name.replace("-", " ")
    axes = [ax for ax in (data or {}).get("axes", []) if isinstance(ax, dict)]
    if not axes:
        return f"Figure: {words}."
    panels: list[str] = []
    for ax in axes:
        p = _panel(ax, words if len(axes) == 1 else "")
        p = p.lstrip(": ").strip()
        if p and (not panels or p.lower() != panels[-1].lower()):
            panels.append(p[0].upper() + p[1:])
    lead = f"Figure '{words}'" + (f", {len(axes)} panels" if len(axes) > 1 else "")
    text = lead + (". " + "; ".join(panels) if panels else "") + "."
    seeds = sorted(
        {
            s["n"]
            for ax in axes
            for s in ax.get("lines", []) + ax.get("bars", [])
            if isinstance(s.get("n"), int) and s.get("lo") is not None
        }
    )
    if seeds:
        many = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}–{seeds[-1]}"
        text += f" Means over {many} seeds; shading and error bars: {INTERVAL}."
    return text


def panel_count(data: dict | None) -> int:
    return len([ax for ax in (data or {}).get("axes", []) if isinstance(ax, dict)]) or 1


def phone_width(data: dict | None, css_width: int | None) -> int | None:
    """How wide (CSS px) a phone should show a figure of several panels side by side,
    so that each column is at least :data:`MIN_PANEL_PX` wide; None for a figure that
    reads at the phone's own width. Columns are estimated from the image's width
    (panels are drawn about 4.2 inches wide at the page's 110 pixels per inch)."""
    if not css_width or panel_count(data) < 2:
        return None
    columns = max(1, round(css_width / (4.2 * 110)))
    if columns < 2:
        return None
    return min(css_width, columns * MIN_PANEL_PX)
