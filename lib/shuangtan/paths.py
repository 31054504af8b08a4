"""Every path the project uses, resolved from this file, never from the working directory.

Environment variables let a user point the whole collection at another corpus or output folder:
``SHUANGTAN_SEEDS`` (the documents) and ``SHUANGTAN_OUTPUTS`` (generated files).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_ROOT = PACKAGE_DIR.parents[1]
DEFAULT_SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_OUTPUTS_DIR = PROJECT_ROOT / "outputs"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

# One seed for everything random in the project (KMeans, word clouds, resampling).
RANDOM_STATE = 20200922


def seeds_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the corpus folder: the argument, else $SHUANGTAN_SEEDS, else the project's seeds/."""
    chosen = override or os.environ.get("SHUANGTAN_SEEDS") or DEFAULT_SEEDS_DIR
    return Path(chosen).expanduser().resolve()


def outputs_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder for generated files (created if missing): argument, $SHUANGTAN_OUTPUTS, or outputs/."""
    chosen = override or os.environ.get("SHUANGTAN_OUTPUTS") or DEFAULT_OUTPUTS_DIR
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Return the on-disk cache folder under the outputs folder (created if missing)."""
    path = outputs_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
