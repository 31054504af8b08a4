"""Build the tidy tables of one corpus folder: documents, speeches and the quality report (no caching).

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

:func:`build_corpus` returns the three tables in a :class:`Corpus`; :mod:`shuangtan.corpus` stores
them on disk and holds the public loaders (``load_documents`` …), which re-export these names.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from . import files as _files
from . import sidecars as _sidecars
from .executor import map_ordered
from .files import RawDocument, list_corpus_files, read_document
from .reprints import near_duplicates
from .reuse import find_shared_passages
from .sidecars import read_corrections, read_metadata
from .documents import DOCUMENT_COLUMNS as _DOCUMENT_COLUMNS
from .documents import QUALITY_COLUMNS, Recorder, build_document
from .statements import SPEECH_COLUMNS as _SPEECH_COLUMNS
from .statements import statements_of
from .winnowing import fingerprints

# The kept copy's doc_id for a document (and its statements) that reprints another one, else ''.
DUPLICATE_COLUMN = "duplicate_of"
DOCUMENT_COLUMNS = [*_DOCUMENT_COLUMNS, DUPLICATE_COLUMN]
SPEECH_COLUMNS = [*_SPEECH_COLUMNS, DUPLICATE_COLUMN]


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
