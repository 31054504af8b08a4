"""Read corpus files safely: detect encodings, split front matter, and explain every failure.

Nothing here raises on bad input. Each file comes back as a :class:`RawDocument` that either holds
text (with notes on what was fixed on the way, e.g. a BOM or CRLF line endings) or an ``error``
sentence that names the problem and what to do about it.
"""

from __future__ import annotations

import codecs
import hashlib
import csv
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# Largest file read as one document. Bigger files are reported, not loaded.
MAX_BYTES = 10 * 1024 * 1024
# Files in the corpus folder that are not documents (curated data that sits beside them).
RESERVED_FILES = {"metadata.csv", "corrections.csv"}
# Suffixes read as documents; anything else becomes an error row that says so.
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ""}
# Binary formats recognised by their first bytes, with the advice to give.
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/Office file (.docx, .xlsx …)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc, .xls)",
}


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


def list_corpus_files(folder: Path) -> list[Path]:
    """Return every entry of the corpus folder that should be reported on, in sorted order."""
    return sorted(
        (p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in RESERVED_FILES
         and not p.name.lower().startswith("readme")),
        key=lambda p: p.name,
    )


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """Return the set of common Han characters: GB2312 level 1 plus Big5's frequent block."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level-1 hanzi rows
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):  # Big5 frequently used characters
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def _han_score(text: str) -> float:
    """Return the share of common Han characters among the non-ASCII letters of a text (1.0 if none)."""
    letters = [c for c in text if ord(c) > 0x7F and not re.match(r"[\u3000-\u303f\uff00-\uffef\u2010-\u206f\s]", c)]
    if not letters:
        return 1.0
    common = common_han()
    return sum(c in common for c in letters) / len(letters)


def _looks_like_utf16(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when a BOM-less file has the NUL pattern of UTF-16, else None."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _best_decoding(data: bytes, encodings: tuple[str, ...]) -> tuple[float, str, str] | None:
    """Return (score, encoding, text) of the decoding with most common hanzi (a tie goes to Big5), or None."""
    candidates = []
    for encoding in encodings:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in decoded:
            candidates.append((_han_score(decoded), encoding, decoded))
    candidates.sort(key=lambda item: (-item[0], item[1] != "big5"))
    return candidates[0] if candidates else None


def decode_bytes(data: bytes) -> tuple[str, str, list[tuple[str, int, str]]] | str:
    """Return (text, encoding, notes) for file bytes, or an error sentence when they are not text."""
    notes: list[tuple[str, int, str]] = []
    if data.startswith(codecs.BOM_UTF8):
        notes.append(("bom", 1, "UTF-8 byte-order mark removed"))
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        notes.append(("encoding", 1, "decoded as UTF-16 (with BOM); save the file as UTF-8 to silence this"))
    elif (guess := _looks_like_utf16(data)) is not None:
        encoding = guess
        notes.append(("encoding", 1, f"decoded as {guess.upper()} (no BOM); save the file as UTF-8 to silence this"))
    else:
        for magic, what in _MAGIC.items():
            if data.startswith(magic):
                return f"this is {what}, not a text file: save the document as plain text (UTF-8 .txt) and put that in the folder"
        if b"\x00" in data[:8192]:
            best = _best_decoding(data, ("utf-16-le", "utf-16-be"))
            if best and best[0] >= 0.9 and re.search(r"[\u4e00-\u9fff]", best[2]):
                notes.append(("encoding", 1, f"decoded as {best[1].upper()} (no BOM); save the file as UTF-8"))
                return _finish(best[2], best[1], notes)
            return "binary content (NUL bytes): this is not a text file; export the document as UTF-8 plain text"
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        legacy = ("gb18030", "big5") + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
        best = _best_decoding(data, legacy)
        if best is None or best[0] < 0.9:
            return ("not UTF-8 and not recognisably GBK or Big5 Chinese text: open it in an editor and "
                    "save it as UTF-8")
        score, encoding, text = best
        label = {"gb18030": "GBK/GB18030", "big5": "Big5"}.get(encoding, encoding.upper() + " (no BOM)")
        notes.append(("encoding", 1, f"not UTF-8; decoded as {label} ({score:.0%} common characters); "
                                     "save the file as UTF-8 to make this certain"))
    return _finish(text, encoding, notes)


def _finish(text: str, encoding: str, notes: list[tuple[str, int, str]]) -> tuple[str, str, list[tuple[str, int, str]]] | str:
    """Return decoded text with line endings and a stray BOM character fixed (and noted)."""
    if "\x00" in text:
        return "binary content (NUL characters after decoding): export the document as UTF-8 plain text"
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    if crlf or lone_cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(("line_endings", crlf + lone_cr, "Windows/old-Mac line endings converted to \\n"))
    if text.startswith("\ufeff"):
        text = text[1:]
        notes.append(("bom", 1, "byte-order mark character removed"))
    return text, encoding, notes


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Return the decoded file, or a RawDocument whose ``error`` says what is wrong and what to do."""
    doc = RawDocument(doc_id=path.stem, path=path)
    try:
        _read(doc, path, max_bytes)
        if not doc.sha1 and path.is_file():
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


def _read(doc: RawDocument, path: Path, max_bytes: int) -> RawDocument:
    """Fill a RawDocument from the file (errors from the file system propagate to read_document)."""
    if path.is_symlink() and not path.exists():
        doc.error = "broken link: replace it with the document itself or remove it"
        return doc
    if path.is_dir():
        doc.error = "is a folder: sub-folders are not read; move its documents up into the corpus folder"
        return doc
    if path.suffix.lower() not in TEXT_SUFFIXES:
        head = path.read_bytes()[:8] if path.is_file() else b""
        what = next((w for m, w in _MAGIC.items() if head.startswith(m)), f"a '{path.suffix}' file")
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
    if isinstance(decoded, str):
        doc.error = decoded
        return doc
    doc.text, doc.encoding, doc.notes = decoded
    if not doc.text.strip():
        doc.error = "only white space: add the document's text or remove the file"
    return doc


_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str]:
    """Return (front-matter fields, body, problem) where problem is '' or why the header was ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if re.match(r"\A\s*---[ \t]*\n", text):
            return {}, text, ("front matter opened with '---' but never closed: add a closing '---' line; "
                              "the whole file was read as text")
        return {}, text, ""
    body = text[match.end():]
    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return {}, body, (f"front matter is not valid YAML{where}: fix the lines between the '---' markers; "
                          "title and date were left empty")
    if not isinstance(fields, dict):
        return {}, body, "front matter is not a list of 'key: value' lines: title and date were left empty"
    return fields, body, ""


def parse_published(value: Any) -> datetime | None:
    """Return a front-matter date (RFC 2822, ISO 8601 or a YAML date) as a datetime, else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if hasattr(value, "year") and hasattr(value, "month"):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a small UTF-8 CSV data file as dicts (empty list if the file is absent)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
