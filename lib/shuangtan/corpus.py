"""Build the tidy tables: documents, speeches and the quality report.

Every file of the corpus folder becomes one row of :func:`load_documents` (``status`` ok or error).
:func:`load_speeches` splits compilations into their numbered provincial entries and turns every
other document into one statement; province, date, speaker and occasion are extracted from the
text. Facts a text does not state (a year, a speaker left unnamed) come from the folder's
``metadata.csv`` with a source note, and the row says so. :func:`quality_report` lists what every
cleaning step changed and everything the pipeline doubts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .files import list_corpus_files, read_document
from .paths import seeds_dir as resolve_seeds_dir
from .reuse import shared_passages
from .sidecars import read_corrections, read_metadata
from .statements import (DOCUMENT_COLUMNS, QUALITY_COLUMNS, SPEECH_COLUMNS, Recorder, build_document,
                         statements_of)

@dataclass
class Corpus:
    """Everything built from one corpus folder: the three tables."""

    documents: pd.DataFrame
    speeches: pd.DataFrame
    quality: pd.DataFrame


# --------------------------------------------------------------------------- build
def _signature(folder: Path) -> tuple:
    if not folder.is_dir():
        return (str(folder), "missing")
    entries = []
    for path in sorted(folder.iterdir()):
        info = path.lstat()  # lstat: a broken link must not stop the corpus from loading
        entries.append((path.name, info.st_size, info.st_mtime_ns))
    return (str(folder), *entries)


@lru_cache(maxsize=4)
def _build_cached(signature: tuple) -> Corpus:
    return build_corpus(Path(signature[0]))


def build_corpus(folder: Path) -> Corpus:
    """Return the documents, speeches and quality tables for one corpus folder (no caching)."""
    builder = Recorder(folder)
    if not folder.is_dir():
        builder.note("", str(folder), "load", "error",
                     message=f"corpus folder {folder} does not exist: pass seeds_dir= or set SHUANGTAN_SEEDS")
        return Corpus(pd.DataFrame(columns=DOCUMENT_COLUMNS), pd.DataFrame(columns=SPEECH_COLUMNS),
                      pd.DataFrame(builder.quality, columns=QUALITY_COLUMNS))
    builder.metadata, problems = read_metadata(folder)
    for problem in problems:
        builder.note("", "metadata.csv", "metadata", "warning", message=problem)
    corrections = read_corrections(folder)
    documents, seen = [], set()
    for path in list_corpus_files(folder):
        raw = read_document(path)
        if raw.doc_id in seen and not raw.error:
            raw.error, raw.text = f"another file already has the id '{raw.doc_id}': rename one of them", ""
        seen.add(raw.doc_id)
        documents.append(build_document(raw, builder, corrections))
    known = {d["doc_id"] for d in documents}
    for doc_id, _province, fact in builder.metadata:
        if doc_id not in known:
            builder.note(doc_id, "metadata.csv", "metadata", "warning",
                         message=f"metadata row for '{doc_id}' ({fact}) matches no document file")
    speeches = []
    for doc in documents:
        if doc["status"] == "ok":
            rows = statements_of(doc, builder)
            doc["n_speeches"] = len(rows)
            speeches.extend(rows)
    ok_texts = {d["doc_id"]: d["text"] for d in documents if d["status"] == "ok"}
    paths = {d["doc_id"]: d["path"] for d in documents}
    for doc_a, pos_a, doc_b, pos_b, length in shared_passages(ok_texts):
        excerpt = ok_texts[doc_a][pos_a:pos_a + length]
        for mine, pos, other, other_pos in ((doc_a, pos_a, doc_b, pos_b), (doc_b, pos_b, doc_a, pos_a)):
            builder.note(mine, paths[mine], "shared_passage", "warning", length, pos, excerpt[:60],
                         f"{length} characters also appear in {other} at position {other_pos} (kept in both)")
    doc_frame = pd.DataFrame(documents, columns=DOCUMENT_COLUMNS)
    doc_frame["published"] = pd.to_datetime(doc_frame["published"])
    speech_frame = pd.DataFrame(speeches, columns=SPEECH_COLUMNS)
    speech_frame["date"] = pd.to_datetime(speech_frame["date"])
    speech_frame = speech_frame.astype({"n_chars": int})
    quality = pd.DataFrame(builder.quality, columns=QUALITY_COLUMNS)
    return Corpus(doc_frame, speech_frame, quality)


def corpus(seeds_dir: str | os.PathLike[str] | None = None) -> Corpus:
    """Return the (cached while the folder is unchanged) tables for a corpus folder."""
    return _build_cached(_signature(resolve_seeds_dir(seeds_dir)))


def load_documents(seeds_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one row per input file: metadata, clean text, and status 'ok' or 'error' with a reason."""
    return corpus(seeds_dir).documents.copy()


def load_speeches(seeds_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one row per dated statement by or about one province or the central level."""
    return corpus(seeds_dir).speeches.copy()


def quality_report(seeds_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return one row per file and check: counts of what cleaning changed, doubts, errors."""
    return corpus(seeds_dir).quality.copy()
