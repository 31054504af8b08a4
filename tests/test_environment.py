"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies and bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from shuangtan.paths import PROJECT_ROOT


def _split(requirement: str) -> tuple[str, str]:
    """Return (normalised name, version bound) of a requirement string."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(_split(r) for r in requirements)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or entry.startswith("python=") or entry == "pip":
                continue
            name, bound = _split(entry)
            found[name] = bound
    return found


def test_environment_yml_agrees_with_pyproject() -> None:
    assert _environment() == _pyproject()


def test_environment_yml_pins_python_311() -> None:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
