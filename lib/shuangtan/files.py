"""Read corpus files safely: list the corpus folder, read each file, and explain every failure.

Nothing here raises on bad input. Each file comes back as a :class:`RawDocument` that either holds
text (with notes on what was fixed on the way, e.g. a BOM, CRLF line endings or a few undecodable
bytes replaced by U+FFFD) or an ``error`` sentence that names the problem and what to do about it.
Bytes are decoded by :mod:`shuangtan.decoding`; front matter and its dates are read by
:mod:`shuangtan.front_matter`.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .decoding import BINARY_SIGNATURES, decode_bytes
from .front_matter import has_front_matter, split_front_matter  # overview.py imports split_front_matter from here

# Largest file read as one document. Bigger files are reported, not loaded.
MAX_BYTES = 10 * 1024 * 1024
# Files in the corpus folder that are not documents (curated data that sits beside them), with what they are.
RESERVED_FILES = {
    "metadata.csv": "the corpus's metadata sidecar (facts with source notes), read as metadata, not as a document",
    "corrections.csv": "the corpus's corrections sidecar (curated repairs), read as corrections, not as a document",
    "userdict.txt": "a user dictionary for word segmentation, not a document",
}
# Name prefixes (lower case) of notes files users keep beside their documents.
NOTES_PREFIXES = ("readme", "sources", "notes")
# Suffixes read as documents; anything else becomes an error row that says so.
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ""}


@dataclass
class RawDocument:
    """One corpus file as read from disk: decoded text or an error, plus notes on what was fixed."""

    doc_id: str
    path: Path
    text: str = ""
    encoding: str = ""
    error: str = ""
    sha1: str = ""
    notes: list[tuple[str, int, str]] = field(default_factory=list)  # (check, count, message)


# --------------------------------------------------------------------------- the corpus folder
def skip_reason(path: Path) -> str:
    """Return why a folder entry is not read as a document ('' when it is a document candidate)."""
    name = path.name
    lower = name.lower()
    if lower in RESERVED_FILES:
        return RESERVED_FILES[lower]
    if name.startswith("."):
        return "hidden file (name starts with '.'): not read as a document; rename it to load it"
    if name.startswith("_"):
        return "name starts with '_' (kept as a note): not read as a document; rename it to load it"
    if lower.startswith(NOTES_PREFIXES):
        return (f"notes file ({name.split('.')[0]}…): README, SOURCES and NOTES files are not read as documents; "
                "rename it to load it")
    return ""


def skipped_files(folder: Path) -> list[tuple[Path, str]]:
    """Return (path, reason) for every entry of the corpus folder that is deliberately not read, sorted."""
    if not folder.is_dir():
        return []
    return sorted(((p, reason) for p in folder.iterdir() if (reason := skip_reason(p))), key=lambda item: item[0].name)


def list_corpus_files(folder: Path) -> list[Path]:
    """Return every entry of the corpus folder that should be reported on as a document, in sorted order."""
    return sorted((p for p in folder.iterdir() if not skip_reason(p)), key=lambda p: p.name)


def link_problem(path: Path, folder: Path) -> str:
    """Return why a symbolic link in the corpus folder is not read ('' when it leads to a file inside the folder)."""
    try:
        target, base = path.resolve(strict=False), folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return "is a link that leads back to itself: replace it with the document itself or remove it"
    if target != base and base not in target.parents:
        return ("is a link to something outside the corpus folder: refused (never read); copy the document itself "
                "into the folder or remove the link")
    if not target.exists():
        return "broken link: replace it with the document itself or remove it"
    return ""


# --------------------------------------------------------------------------- reading one file
def read_document(path: Path, max_bytes: int = MAX_BYTES, folder: Path | None = None) -> RawDocument:
    """Return the decoded file, or a RawDocument whose ``error`` says what is wrong and what to do.

    ``folder`` is the corpus folder (default: the file's parent); a link leading outside it is refused.
    """
    doc = RawDocument(doc_id=path.stem, path=path)
    folder = path.parent if folder is None else folder
    try:
        _read(doc, path, max_bytes, folder)
        refused_link = path.is_symlink() and link_problem(path, folder)
        if not doc.sha1 and path.is_file() and not refused_link:  # files not read whole (too big, not text)
            doc.sha1 = _file_sha1(path)
    except OSError as exc:
        doc.error = f"cannot be read ({exc.strerror or exc}): replace it with the document itself or remove it"
    return doc


def _file_sha1(path: Path) -> str:
    """Return the SHA-1 of a file's bytes, read in blocks (used for files not read whole)."""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read(doc: RawDocument, path: Path, max_bytes: int, folder: Path) -> RawDocument:
    """Fill a RawDocument from the file (errors from the file system propagate to read_document)."""
    if path.is_symlink() and (problem := link_problem(path, folder)):
        doc.error = problem
        return doc
    if path.is_dir():
        doc.error = "is a folder: sub-folders are not read; move its documents up into the corpus folder"
        return doc
    if not path.is_file():
        doc.error = "is not a regular file (a device, pipe or socket): remove it from the corpus folder"
        return doc
    if path.suffix.lower() not in TEXT_SUFFIXES:
        with open(path, "rb") as handle:
            head = handle.read(8)
        what = next((w for m, w in BINARY_SIGNATURES.items() if head.startswith(m)), f"a '{path.suffix}' file")
        doc.error = f"{what} is not read: save the document as UTF-8 plain text (.txt, .md or .html)"
        return doc
    size = path.stat().st_size
    if size == 0:
        doc.error = "empty file (0 bytes): add the document's text or remove the file"
        return doc
    if size > max_bytes:
        doc.error = (f"file is {size / 1024 / 1024:.1f} MB, over the {max_bytes / 1024 / 1024:.0f} MB limit for one "
                     "document: split it into one file per article")
        return doc
    data = path.read_bytes()
    doc.sha1 = hashlib.sha1(data).hexdigest()
    decoded = decode_bytes(data)
    del data
    if isinstance(decoded, str):
        doc.error = decoded
        return doc
    doc.text, doc.encoding, doc.notes = decoded
    if not doc.text.strip():
        doc.error = "only white space: add the document's text or remove the file"
    elif has_front_matter(doc.text):
        _, body, problem = split_front_matter(doc.text)
        if not problem and not body.strip():
            doc.error = ("front matter but no text: the file has a '---' header and nothing after it; add the "
                         "document's text below the closing '---' line or remove the file")
    return doc


# --------------------------------------------------------------------------- data files
def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a small UTF-8 CSV data file as dicts (empty list if the file is absent)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
