"""Build the tidy tables: documents, speeches and the quality report, once per corpus version.

Every file of the corpus folder becomes one row of :func:`load_documents` (``status`` ok or error).
:func:`load_speeches` splits compilations into their numbered provincial entries and turns every
other document into one statement; province, date, speaker and occasion are extracted from the
text. Facts a text does not state (a year, a speaker left unnamed) come from the folder's
``metadata.csv`` with a source note, and the row says so. :func:`quality_report` lists what every
cleaning step changed and everything the pipeline doubts.

The per-document stage (read, clean, document row, statements) runs through
:func:`shuangtan.executor.map_ordered`: in this process for a few files, a local process pool for
more, or a Dask cluster when ``client=`` is given. Text reuse runs on the whole corpus afterwards
(:mod:`shuangtan.reuse`, linear): passages shared by two documents are reported, and a document
that is another copy of the same article (a reprint) gets ``duplicate_of`` = the kept document's id
(``''`` for every original), in the documents and the speeches tables, so that analyses count each
article once (filter ``duplicate_of == ''``).

The three tables are stored as Parquet under ``paths.cache_dir()/corpus/`` keyed by the folder's
content (names and bytes of every entry) and the library (version, source and data files), so a
notebook reads them instead of rebuilding. See :func:`corpus`.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pandas as pd

from . import files as _files
from . import sidecars as _sidecars
from .executor import map_ordered
from .files import RawDocument, list_corpus_files, read_document
from .paths import PACKAGE_DIR, cache_dir
from .paths import seeds_dir as resolve_seeds_dir
from .reuse import find_shared_passages, fingerprints, near_duplicates
from .sidecars import read_corrections, read_metadata
from .statements import DOCUMENT_COLUMNS as _DOCUMENT_COLUMNS
from .statements import QUALITY_COLUMNS, Recorder, build_document, statements_of
from .statements import SPEECH_COLUMNS as _SPEECH_COLUMNS

# The kept copy's doc_id for a document (and its statements) that reprints another one, else ''.
DUPLICATE_COLUMN = "duplicate_of"
DOCUMENT_COLUMNS = [*_DOCUMENT_COLUMNS, *([] if DUPLICATE_COLUMN in _DOCUMENT_COLUMNS else [DUPLICATE_COLUMN])]
SPEECH_COLUMNS = [*_SPEECH_COLUMNS, *([] if DUPLICATE_COLUMN in _SPEECH_COLUMNS else [DUPLICATE_COLUMN])]
# Bump when the cached tables change shape or meaning without a change of the library's files.
CACHE_FORMAT = 1
# A file modified this close to (or after) the moment its hash was recorded is hashed again: a file
# rewritten within one timestamp tick of the record keeps its size and mtime (the "racy" case).
_RACY_NS = 2_000_000_000
# Files larger than this are never read as documents (files.MAX_BYTES): their size stands for content.
_HASH_MAX_BYTES = getattr(_files, "MAX_BYTES", 10 * 1024 * 1024)

__all__ = ["Corpus", "build_corpus", "corpus", "load_corpus", "load_documents", "load_speeches", "quality_report",
           "DOCUMENT_COLUMNS", "SPEECH_COLUMNS", "QUALITY_COLUMNS", "DUPLICATE_COLUMN", "corpus_key"]


@dataclass
class Corpus:
    """Everything built from one corpus folder: the three tables."""

    documents: pd.DataFrame
    speeches: pd.DataFrame
    quality: pd.DataFrame


# --------------------------------------------------------------------------- one document
def _document_task(item: tuple[Path, bool], *, folder: Path, metadata: dict, corrections: dict
                   ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (document row, statement rows, quality rows) for one file; never raises."""
    path, id_taken = item
    recorder = Recorder(folder)
    recorder.metadata = metadata
    try:
        raw = read_document(path, folder=folder)
        if id_taken and not raw.error:
            raw.error, raw.text = f"another file already has the id '{raw.doc_id}': rename one of them", ""
        doc = build_document(raw, recorder, corrections)
        speeches = statements_of(doc, recorder) if doc["status"] == "ok" else []
        doc["n_speeches"] = len(speeches)
    except Exception as exc:  # one bad file never stops the others
        recorder = Recorder(folder)
        failed = RawDocument(doc_id=path.stem, path=path)
        failed.error = (f"could not be processed ({type(exc).__name__}: {exc}); the other files were loaded: "
                        "please report this file to the shuangtan maintainers")
        doc, speeches = build_document(failed, recorder, {}), []
    return doc, speeches, recorder.quality


# --------------------------------------------------------------------------- build
def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _skipped_rows(folder: Path, recorder: Recorder) -> None:
    """Note every folder entry deliberately not read (files.skipped_files, when available)."""
    skipped = getattr(_files, "skipped_files", None)
    if skipped is None:
        return
    for path, reason in skipped(folder):
        recorder.note("", f"{folder.name}/{path.name}", "skipped", "info", message=reason)


def _sidecar_rows(folder: Path, recorder: Recorder, documents: list[dict[str, Any]]) -> None:
    """Note sidecar rows that were not applied (sidecars.sidecar_problems, when available)."""
    problems = getattr(_sidecars, "sidecar_problems", None)
    if problems is None:
        return
    try:
        takes = len(inspect.signature(problems).parameters)
        rows = problems(folder, documents) if takes >= 2 else problems(folder)
        for row in rows:
            recorder.quality.append(row if isinstance(row, dict) else dict(zip(QUALITY_COLUMNS, row)))
    except Exception as exc:  # a sidecar check never stops the corpus from loading
        recorder.note("", recorder.folder.name, "sidecars", "warning",
                      message=f"the sidecar check failed ({type(exc).__name__}: {exc}); unapplied rows are not listed")


def _reuse_rows(documents: list[dict[str, Any]], recorder: Recorder) -> dict[str, str]:
    """Mark reprints, note them and every shared passage; return {duplicate doc_id: kept doc_id}."""
    ok = {d["doc_id"]: d for d in documents if d["status"] == "ok"}
    texts = {doc_id: d["text"] for doc_id, d in ok.items()}
    prints = fingerprints([texts[doc_id] for doc_id in sorted(texts)])  # computed once for both analyses
    duplicates = near_duplicates(texts, prints=prints)
    for doc_id, (kept, resemblance) in sorted(duplicates.items()):
        doc = ok[doc_id]
        recorder.note(doc_id, doc["path"], "reprint", "info", doc["n_chars"], -1, (doc["title"] or doc["text"])[:60],
                      f"the same article as {kept} (resemblance {resemblance:.0%} of text fingerprints): "
                      f"{kept} is kept; this copy has duplicate_of='{kept}' and is left out of counts that "
                      "filter duplicate_of == ''")
    found = find_shared_passages(texts, prints=prints)
    if found.capped:
        recorder.note("", recorder.folder.name, "boilerplate_passages", "info", found.capped,
                      message=f"{found.capped} text fingerprints occur in more than {found.cap} places (boilerplate "
                              f"formulas repeated across documents): {found.boilerplate} passages made mostly of them "
                              "are not listed pair by pair")
    group = {doc_id: duplicates.get(doc_id, (doc_id, 1.0))[0] for doc_id in texts}
    for doc_a, pos_a, doc_b, pos_b, length in found.passages:
        if group[doc_a] == group[doc_b]:
            continue  # copies of one article: reported once as a reprint
        excerpt = texts[doc_a][pos_a:pos_a + length]
        for mine, pos, other, other_pos in ((doc_a, pos_a, doc_b, pos_b), (doc_b, pos_b, doc_a, pos_a)):
            recorder.note(mine, ok[mine]["path"], "shared_passage", "warning", length, pos, excerpt[:60],
                          f"{length} characters also appear in {other} at position {other_pos} (kept in both)")
    return {doc_id: kept for doc_id, (kept, _score) in duplicates.items()}


def build_corpus(folder: Path, *, client: Any = None, processes: int | None = None) -> Corpus:
    """Return the documents, speeches and quality tables for one corpus folder (no caching).

    client: a dask.distributed Client to spread the per-document stage over a cluster;
    processes: local worker processes (default: one per core for large folders, else none).
    """
    folder = Path(folder)
    recorder = Recorder(folder)
    if not folder.is_dir():
        recorder.note("", str(folder), "load", "error",
                      message=f"corpus folder {folder} does not exist: pass seeds_dir= or set SHUANGTAN_SEEDS")
        return Corpus(_empty(DOCUMENT_COLUMNS), _empty(SPEECH_COLUMNS),
                      pd.DataFrame(recorder.quality, columns=QUALITY_COLUMNS))
    recorder.metadata, problems = read_metadata(folder)
    for problem in problems:
        recorder.note("", "metadata.csv", "metadata", "warning", message=problem)
    corrections = read_corrections(folder)
    paths, seen = list_corpus_files(folder), set()
    items = []
    for path in paths:
        items.append((path, path.stem in seen))
        seen.add(path.stem)
    task = partial(_document_task, folder=folder, metadata=recorder.metadata, corrections=corrections)
    results = map_ordered(task, items, client=client, processes=processes)
    documents, speeches = [], []
    for doc, rows, quality in results:  # input order: sorted file names
        documents.append(doc)
        speeches.extend(rows)
        recorder.quality.extend(quality)
    known = {d["doc_id"] for d in documents}
    for doc_id, _province, fact in recorder.metadata:
        if doc_id not in known:
            recorder.note(doc_id, "metadata.csv", "metadata", "warning",
                          message=f"metadata row for '{doc_id}' ({fact}) matches no document file")
    _sidecar_rows(folder, recorder, documents)
    _skipped_rows(folder, recorder)
    duplicate_of = _reuse_rows(documents, recorder)
    for doc in documents:
        doc[DUPLICATE_COLUMN] = duplicate_of.get(doc["doc_id"], "")
    for row in speeches:
        row[DUPLICATE_COLUMN] = duplicate_of.get(row["doc_id"], "")
    return Corpus(_documents_frame(documents), _speeches_frame(speeches),
                  pd.DataFrame(recorder.quality, columns=QUALITY_COLUMNS))


def _documents_frame(documents: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(documents, columns=DOCUMENT_COLUMNS)
    frame["published"] = pd.to_datetime(frame["published"])
    return frame


def _speeches_frame(speeches: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(speeches, columns=SPEECH_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"n_chars": int})


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
