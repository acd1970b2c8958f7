"""The install is locked: `requirements.lock` pins every package the project needs,
transitive ones included, and the environment the tests run in was installed from it."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = PIN.match(line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def _requirement_name(req: str) -> str:
    return _norm(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0])


def test_every_dependency_of_the_project_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        wanted += extra
    pins = _lock()
    missing = sorted({_requirement_name(r) for r in wanted} - pins.keys())
    assert not missing, f"not in requirements.lock: {missing}; refresh it (CONTRIBUTING)"


def test_the_environment_was_installed_from_the_lock():
    differ = []
    for name, version in _lock().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # an extra this environment does not need
        if installed != version:
            differ.append(f"{name} {installed} (lock: {version})")
    assert not differ, "installed versions differ from requirements.lock: " + ", ".join(differ)


def test_torch_is_pinned_to_the_cpu_build():
    assert _lock()["torch"].startswith("2.13.0")
