"""Every path the project uses, resolved from this file or the environment, never guessed from the package.

Environment variables let a user point the whole collection at another corpus or output folder:
``SHUANGTAN_SEEDS`` (the documents) and ``SHUANGTAN_OUTPUTS`` (generated files and caches).

In a checkout (this file under ``<root>/lib/shuangtan`` next to ``<root>/pyproject.toml``) the
defaults are ``<root>/seeds`` and ``<root>/outputs``. Installed as a wheel, nothing resolves into
site-packages: the corpus defaults to the working directory and generated files go to the user
cache directory (``platformdirs.user_cache_dir("shuangtan")``).

While the site is built, the renderer tells the kernel where a page's downloadable files go
(``SHUANGTAN_SITE_FILES``) and the page's file stem (``SHUANGTAN_PAGE``); see ``page_files_dir``.
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

SEEDS_ENV = "SHUANGTAN_SEEDS"
OUTPUTS_ENV = "SHUANGTAN_OUTPUTS"
SITE_FILES_ENV = "SHUANGTAN_SITE_FILES"
PAGE_ENV = "SHUANGTAN_PAGE"


class CorpusNotFoundError(FileNotFoundError):
    """The corpus folder does not exist or is not a folder."""


def in_checkout() -> bool:
    """Return True when the package runs from a source checkout (lib/shuangtan beside pyproject.toml)."""
    return PACKAGE_DIR == PROJECT_ROOT / "lib" / "shuangtan" and (PROJECT_ROOT / "pyproject.toml").is_file()


def seeds_dir(override: str | os.PathLike[str] | None = None, *, must_exist: bool = False) -> Path:
    """Return the corpus folder: the argument, else $SHUANGTAN_SEEDS, else seeds/ (checkout) or the working directory.

    A relative path resolves against the working directory of the caller. With ``must_exist``,
    raise CorpusNotFoundError naming the folder when it is missing or not a folder.
    """
    chosen = override or os.environ.get(SEEDS_ENV) or (DEFAULT_SEEDS_DIR if in_checkout() else Path.cwd())
    path = Path(chosen).expanduser().resolve()
    if must_exist and not path.is_dir():
        what = "is not a folder" if path.exists() else "does not exist"
        raise CorpusNotFoundError(
            f"corpus folder {path} {what}: pass the folder (seeds_dir=..., --seeds DIR, SEEDS=DIR) or set {SEEDS_ENV}"
        )
    return path


def default_outputs_dir() -> Path:
    """Return outputs/ in a checkout, else the user cache directory of shuangtan."""
    if in_checkout():
        return DEFAULT_OUTPUTS_DIR
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("shuangtan", appauthor=False))


def outputs_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder for generated files (created if missing): argument, $SHUANGTAN_OUTPUTS, or the default."""
    chosen = override or os.environ.get(OUTPUTS_ENV) or default_outputs_dir()
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Return the on-disk cache folder under the outputs folder (created if missing)."""
    path = outputs_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def html_dir() -> Path:
    """Return the folder of the rendered site, outputs/html/ (not created)."""
    return outputs_dir() / "html"


def page_stem() -> str:
    """Return the file stem of the notebook being run: $SHUANGTAN_PAGE, else the Lab session's notebook, else "notebook"."""
    explicit = os.environ.get(PAGE_ENV)
    if explicit:
        return explicit
    session = os.environ.get("JPY_SESSION_NAME")  # set by Jupyter Server for the kernel of a notebook
    return Path(session).stem if session else "notebook"


def page_files_dir(kind: str) -> Path:
    """Return (and create) the folder for a page's `kind` of files ("tables" or "figures").

    During a site build: $SHUANGTAN_SITE_FILES/<kind>, which ends up as outputs/html/<kind>/. In
    JupyterLab or papermill: outputs/notebook-files/<kind>/, so a session never writes into the site.
    """
    base = os.environ.get(SITE_FILES_ENV)
    root = Path(base).expanduser().resolve() if base else outputs_dir() / "notebook-files"
    folder = root / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder
