"""The tables of a corpus folder, built once per corpus version and cached on disk, and the public loaders.

:func:`corpus` returns the documents, speeches and quality tables of a folder (built by
:func:`shuangtan.corpus_build.build_corpus`, re-exported here with :class:`Corpus` and the column
lists); :func:`load_documents`, :func:`load_speeches`, :func:`quality_report` and
:func:`load_corpus` hand out copies of them.

The three tables are stored as Parquet under ``paths.cache_dir()/corpus/`` keyed by the folder's
content (names and bytes of every entry) and the library (version, source and data files), so a
notebook reads them instead of rebuilding. See :func:`corpus`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import files as _files
# Building the tables lives in corpus_build; its public names are re-exported here.
from .corpus_build import (DOCUMENT_COLUMNS, DUPLICATE_COLUMN, QUALITY_COLUMNS, SPEECH_COLUMNS, Corpus,  # noqa: F401
                           build_corpus)
from .paths import PACKAGE_DIR, cache_dir
from .paths import seeds_dir as resolve_seeds_dir

# Bump when the cached tables change shape or meaning without a change of the library's files.
CACHE_FORMAT = 1
# A file modified this close to (or after) the moment its hash was recorded is hashed again: a file
# rewritten within one timestamp tick of the record keeps its size and mtime (the "racy" case).
_RACY_NS = 2_000_000_000
# Files larger than this are never read as documents (files.MAX_BYTES): their size stands for content.
_HASH_MAX_BYTES = getattr(_files, "MAX_BYTES", 10 * 1024 * 1024)

__all__ = ["Corpus", "build_corpus", "corpus", "load_corpus", "load_documents", "load_speeches", "quality_report",
           "DOCUMENT_COLUMNS", "SPEECH_COLUMNS", "QUALITY_COLUMNS", "DUPLICATE_COLUMN", "corpus_key"]


# --------------------------------------------------------------------------- the on-disk cache
def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# `from .x import a, b`, `from ..x.y import a`, `from . import x, y` (also inside functions).
_RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w, \t]+))", re.M)


_ABSOLUTE_NAME = re.compile(r"(?:^[ \t]*(?:from|import)[ \t]+|import_module\(\s*[\'\"])shuangtan\.(\w+)", re.M)


def _relative_imports(path: Path) -> set[Path]:
    """Return the package files a module imports relatively (anywhere in it, lazy imports included)."""
    found = set()
    for dots, module, grouped, names in _RELATIVE_IMPORT.findall(path.read_text(encoding="utf-8")):
        names = grouped or names
        folder = path.parent
        for _ in range(len(dots) - 1):
            folder = folder.parent
        target = folder.joinpath(*module.split(".")) if module else folder
        names = [n.split()[0] for n in re.sub(r"#.*", "", names).replace("\n", ",").split(",") if n.strip()]
        for candidate in [target] + [target / name for name in names]:
            for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                if file.is_file():
                    found.add(file)
    for name in _ABSOLUTE_NAME.findall(path.read_text(encoding="utf-8")):  # import shuangtan.x, import_module
        for file in (PACKAGE_DIR / f"{name}.py", PACKAGE_DIR / name / "__init__.py"):
            if file.is_file():
                found.add(file)
    return found


def upstream_files() -> list[Path]:
    """Return the library files the tables depend on: corpus.py's import closure and the data it names.

    Modules above the corpus (tokens, analyses, plots, site) cannot change the tables (imports flow
    one way) and are left out, so editing a notebook helper does not rebuild every corpus. A data
    file is left out only when its name appears in those modules and in none of the closure.
    """
    todo, modules = [PACKAGE_DIR / "corpus.py", PACKAGE_DIR / "__init__.py"], set()
    while todo:
        path = todo.pop()
        if path not in modules:
            modules.add(path)
            if path != PACKAGE_DIR / "__init__.py":  # its lazy table of public names imports nothing
                todo.extend(_relative_imports(path) - modules)
    sources = {path: path.read_text(encoding="utf-8") for path in PACKAGE_DIR.rglob("*.py")}
    upstream_text = "".join(sources[path] for path in modules if path in sources)
    downstream_text = "".join(text for path, text in sources.items() if path not in modules)
    data = [path for path in sorted((PACKAGE_DIR / "data").rglob("*")) if path.is_file()
            and (path.name in upstream_text or path.name not in downstream_text)]
    return sorted(modules) + data


@lru_cache(maxsize=1)
def library_key() -> str:
    """Return a hash of what shapes the tables besides the corpus: upstream library files, dependency versions."""
    from importlib import metadata as importlib_metadata

    from . import __version__

    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(json.dumps([__version__, CACHE_FORMAT, DOCUMENT_COLUMNS, SPEECH_COLUMNS]).encode())
    for path in upstream_files():
        hasher.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in ("pandas", "numpy", "pyarrow", "opencc", "pyyaml", "beautifulsoup4", "lxml", "selectolax",
                 "pypinyin", "charset-normalizer", "jionlp", "cpca", "dateparser", "htmldate", "trafilatura"):
        try:
            hasher.update(f"{name}={importlib_metadata.version(name)};".encode())
        except importlib_metadata.PackageNotFoundError:
            hasher.update(f"{name}=-;".encode())
    return hasher.hexdigest()


def _entries(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Return name -> (size, mtime_ns, kind) for every entry of the folder (links followed)."""
    found = {}
    with os.scandir(folder) as scan:
        for entry in scan:
            try:
                info = entry.stat(follow_symlinks=True)
                kind = "dir" if entry.is_dir(follow_symlinks=True) else "file" if entry.is_file() else "other"
            except OSError:
                info, kind = entry.stat(follow_symlinks=False), "broken"
            if entry.is_symlink():
                kind += f"->{os.readlink(entry.path)}"
            found[entry.name] = (info.st_size, info.st_mtime_ns, kind)
    return found


def _content_digest(path: Path, size: int, kind: str) -> str:
    """Return the digest standing for an entry's content (bytes for readable files, else its kind)."""
    if not kind.startswith("file") or size > _HASH_MAX_BYTES:
        return f"{kind}:{size}"
    try:
        return _digest(path.read_bytes())
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def _manifest_path(folder: Path) -> Path:
    return cache_dir() / "corpus" / "folders" / f"{_digest(str(folder).encode())}.json"


def _read_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def corpus_key(folder: str | os.PathLike[str]) -> str:
    """Return the hash identifying a corpus version: every entry's name and bytes, the folder, the library.

    File contents are hashed once and remembered with their size and modification time; an entry
    whose size and time are unchanged (and were not recorded within two seconds of a change) is not
    read again, as git does for its index.
    """
    folder = Path(folder).resolve()
    manifest_path = _manifest_path(folder)
    known = _read_json(manifest_path).get("entries", {})
    recorded_at = _read_json(manifest_path).get("recorded_ns", 0)
    now = time.time_ns()
    entries, changed = {}, False
    for name, (size, mtime, kind) in sorted(_entries(folder).items()):
        old = known.get(name)
        if old and old[:3] == [size, mtime, kind] and mtime < recorded_at - _RACY_NS:
            digest = old[3]
        else:
            digest, changed = _content_digest(folder / name, size, kind), True
        entries[name] = [size, mtime, kind, digest]
    if changed or set(entries) != set(known):
        _write_atomic(manifest_path, json.dumps({"folder": str(folder), "recorded_ns": now, "entries": entries},
                                                ensure_ascii=False).encode())
    listing = json.dumps([str(folder), library_key(), [(name, value[2], value[3]) for name, value in entries.items()]],
                         ensure_ascii=False)
    return _digest(listing.encode())


_TABLES = ("documents", "speeches", "quality")


def _read_tables(folder: Path) -> Corpus | None:
    """Return the tables stored in a cache folder, or None when absent or unreadable."""
    if not all((folder / f"{name}.parquet").is_file() for name in _TABLES):
        return None
    try:
        return Corpus(*(pd.read_parquet(folder / f"{name}.parquet", engine="pyarrow") for name in _TABLES))
    except Exception:  # a damaged cache is rebuilt, never trusted
        return None


def _same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    return list(left.columns) == list(right.columns) and left.dtypes.equals(right.dtypes) and left.equals(right)


def _write_tables(folder: Path, tables: Corpus) -> bool:
    """Store the tables as Parquet (atomically) and check they read back identical; return success."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".building-"))
    try:
        for name in _TABLES:
            getattr(tables, name).to_parquet(tmp / f"{name}.parquet", engine="pyarrow", index=False)
        back = _read_tables(tmp)
        if back is None or not all(_same(getattr(back, n), getattr(tables, n)) for n in _TABLES):
            return False  # a table that would not round-trip exactly is never cached
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
        return True
    except Exception:  # a table pyarrow cannot store (or a full disk) is simply not cached
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# In-process copies of the last few corpora, by key (a notebook asks for the tables several times).
_MEMORY: dict[str, Corpus] = {}
_MEMORY_SIZE = 4


def corpus(seeds_dir: str | os.PathLike[str] | None = None, *, client: Any = None, cache: bool = True,
           processes: int | None = None) -> Corpus:
    """Return the tables of a corpus folder, built once per corpus version and cached on disk.

    The key is :func:`corpus_key`; the tables live in ``paths.cache_dir()/corpus/<key>/`` as Parquet
    (no pickle) and are checked to read back identical before they are kept. ``cache=False``
    always rebuilds. ``client`` (dask.distributed) and ``processes`` only matter when building.
    """
    folder = resolve_seeds_dir(seeds_dir)
    if not cache or not folder.is_dir():
        return build_corpus(folder, client=client, processes=processes)
    key = corpus_key(folder)
    if key in _MEMORY:
        return _MEMORY[key]
    stored = cache_dir() / "corpus" / key
    tables = _read_tables(stored)
    if tables is None:
        tables = build_corpus(folder, client=client, processes=processes)
        _write_tables(stored, tables)
    while len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = tables
    return tables


def load_corpus(seeds_dir: str | os.PathLike[str] | None = None, *, client: Any = None) -> Corpus:
    """Return copies of the three tables (documents, speeches, quality) of a corpus folder, in one call."""
    tables = corpus(seeds_dir, client=client)
    return Corpus(tables.documents.copy(), tables.speeches.copy(), tables.quality.copy())


def load_documents(seeds_dir: str | os.PathLike[str] | None = None, *, client: Any = None) -> pd.DataFrame:
    """Return one row per input file: metadata, clean text, status 'ok' or 'error' with a reason, duplicate_of."""
    return corpus(seeds_dir, client=client).documents.copy()


def load_speeches(seeds_dir: str | os.PathLike[str] | None = None, *, client: Any = None) -> pd.DataFrame:
    """Return one row per dated statement by or about one province or the central level (with duplicate_of)."""
    return corpus(seeds_dir, client=client).speeches.copy()


def quality_report(seeds_dir: str | os.PathLike[str] | None = None, *, client: Any = None) -> pd.DataFrame:
    """Return one row per file and check: counts of what cleaning changed, doubts, errors, reprints."""
    return corpus(seeds_dir, client=client).quality.copy()
