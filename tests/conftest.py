"""Shared fixtures: the project's real seeds folder, its three tables (built once), the bad-input folder.

Fixtures pass the folder explicitly, so `make test SEEDS=...` (which sets $SHUANGTAN_SEEDS for the
notebooks) does not change what these tests check.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from shuangtan.paths import DEFAULT_SEEDS_DIR

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def fixture_script(name: str) -> ModuleType:
    """Return the fixture generator script tests/fixtures/<name>.py loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, FIXTURES_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seeds_path() -> Path:
    """The project's seeds/ folder (the 5 real documents, metadata.csv, corrections.csv)."""
    return DEFAULT_SEEDS_DIR


@pytest.fixture(scope="session")
def seed_corpus(seeds_path):
    """The documents, speeches and quality tables built from the real seeds (a shuangtan.corpus.Corpus)."""
    from shuangtan.corpus import build_corpus

    return build_corpus(seeds_path)


@pytest.fixture(scope="session")
def bad_input_dir() -> Path:
    """tests/fixtures/bad_input: one committed file per kind of bad input (see its README.md)."""
    return FIXTURES_DIR / "bad_input"
