"""Read corpus files safely: detect encodings, split front matter, and explain every failure.

Nothing here raises on bad input. Each file comes back as a :class:`RawDocument` that either holds
text (with notes on what was fixed on the way, e.g. a BOM, CRLF line endings or a few undecodable
bytes replaced by U+FFFD) or an ``error`` sentence that names the problem and what to do about it.

Dates in front matter are China-local calendar dates: a value with a UTC offset is converted to
UTC+08:00 and the offset then dropped (``2022-01-01 07:00 +08:00`` stays 2022-01-01;
``Tue, 25 Jan 2022 17:07:55 GMT`` becomes 2022-01-26 01:07:55). Nothing is stored in UTC.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# Largest file read as one document. Bigger files are reported, not loaded.
MAX_BYTES = 10 * 1024 * 1024
# Largest front matter (between the '---' lines) parsed as YAML; a longer header is reported, not parsed.
MAX_FRONT_MATTER_CHARS = 64 * 1024
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
# China's civil time: every date is stored as a China-local calendar date/time (no tzinfo).
CHINA_TZ = timezone(timedelta(hours=8))
# Binary formats recognised by their first bytes, with the advice to give.
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP/Office file (.docx, .xlsx …)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc, .xls)",
}
# Characters sampled when scoring an encoding guess (scoring the whole of a 10 MB file adds nothing).
_SCORE_SAMPLE = 200_000
# Most undecodable bytes tolerated before an encoding is given up (a few bad bytes never lose a file).
_MAX_BAD_SHARE = 0.02
# Byte positions listed in the note about replaced bytes.
_SHOWN_POSITIONS = 5


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


def outside_folder(path: Path, folder: Path) -> bool:
    """Return True when a link (or any step of its chain) resolves to something outside the folder."""
    try:
        target = path.resolve(strict=False)
        return os.path.commonpath([str(target), str(folder.resolve())]) != str(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # symlink loops, different drives
        return True


# --------------------------------------------------------------------------- decoding
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


_LETTER = re.compile(r"[^\x00-\x7f\u3000-\u303f\uff00-\uffef\u2010-\u206f\s\ufffd]")


def _han_score(text: str) -> float:
    """Return the share of common Han characters among the non-ASCII letters of a text (1.0 if none)."""
    letters = _LETTER.findall(text[:_SCORE_SAMPLE])
    if not letters:
        return 1.0
    common = common_han()
    return sum(c in common for c in letters) / len(letters)


def _nul_pattern(data: bytes) -> str | None:
    """Return 'utf-32-le/be' or 'utf-16-le/be' when BOM-less bytes have that encoding's NUL pattern, else None."""
    sample = data[:8000]
    if len(sample) >= 8 and len(data) % 4 == 0:
        columns = [sample[i::4] for i in range(4)]
        nul = [col.count(0) / len(col) for col in columns]
        if nul[2] > 0.99 and nul[3] > 0.99 and nul[0] < 0.5:
            return "utf-32-le"
        if nul[0] > 0.99 and nul[1] > 0.99 and nul[3] < 0.5:
            return "utf-32-be"
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


_BAD_BYTES: contextvars.ContextVar[list[int]] = contextvars.ContextVar("shuangtan_bad_bytes")
_BAD_LIMIT: contextvars.ContextVar[int] = contextvars.ContextVar("shuangtan_bad_limit")


def _record_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: note where undecodable bytes are, replace them by U+FFFD (give up past the limit)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    found = _BAD_BYTES.get()
    found.append(exc.start)
    if len(found) > _BAD_LIMIT.get():
        raise exc
    return "\ufffd", exc.end


codecs.register_error("shuangtan-record", _record_bad_bytes)


def decode_tolerant(data: bytes, encoding: str, max_bad: int | None = None) -> tuple[str, list[int]] | None:
    """Return (text, byte offsets replaced by U+FFFD) or None when more than ``max_bad`` bytes are undecodable."""
    limit = int(len(data) * _MAX_BAD_SHARE) + 1 if max_bad is None else max_bad
    token_bad, token_limit = _BAD_BYTES.set([]), _BAD_LIMIT.set(limit)
    try:
        text = data.decode(encoding, errors="shuangtan-record")
        return text, _BAD_BYTES.get()
    except UnicodeDecodeError:
        return None
    finally:
        _BAD_BYTES.reset(token_bad)
        _BAD_LIMIT.reset(token_limit)


def _bad_bytes_note(positions: list[int], encoding: str) -> tuple[str, int, str]:
    """Return the quality note for bytes replaced by U+FFFD: how many and where the first ones are."""
    shown = ", ".join(str(p) for p in positions[:_SHOWN_POSITIONS]) + (" …" if len(positions) > _SHOWN_POSITIONS else "")
    return ("undecodable_bytes", len(positions),
            f"{len(positions)} byte sequence(s) are not valid {encoding.upper()} (at byte offset {shown}; a truncated "
            "file or a stray byte): each was replaced by '\ufffd' and the rest of the document kept; "
            "re-save the file from its source if you can")


_LABELS = {"gb18030": "GBK/GB18030", "big5": "Big5", "big5hkscs": "Big5-HKSCS"}
# Legacy Chinese encodings tried when the bytes are not UTF-8, in order of preference on a tie.
_LEGACY = ("gb18030", "big5", "big5hkscs")


def _wide_encodings(data: bytes) -> tuple[str, ...]:
    """Return the BOM-less UTF-16/UTF-32 variants the length of the bytes allows."""
    return (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ()) + (
        ("utf-32-le", "utf-32-be") if len(data) % 4 == 0 else ())


def _best_of(data: bytes, encodings: tuple[str, ...], tolerant: bool = True) -> tuple[float, str, str, list[int]] | None:
    """Return (score, encoding, text, bad positions) of the decoding with most common hanzi, or None.

    The score is the share of common Han characters minus the share of replaced bytes; a tie goes to
    the encoding listed first.
    """
    candidates = []
    for rank, encoding in enumerate(encodings):
        decoded = decode_tolerant(data, encoding, None if tolerant else 0)
        if decoded is None or "\x00" in decoded[0]:
            continue
        text, bad = decoded
        letters = max(1, len(_LETTER.findall(text[:_SCORE_SAMPLE])))
        score = _han_score(text) - len(bad) / letters  # every replaced byte counts against the guess
        candidates.append((score, len(bad), rank, encoding, text, bad))
    if not candidates:
        return None
    score, _, _, encoding, text, bad = min(candidates, key=lambda c: (-c[0], c[1], c[2]))
    return score, encoding, text, bad


def _not_text_reason(data: bytes) -> str:
    """Return the error sentence for bytes that no supported encoding decodes convincingly."""
    return ("not recognisable as Chinese text in UTF-8, UTF-16, UTF-32, GB18030/GBK or Big5(-HKSCS): open it in an "
            "editor and save it as UTF-8")


def decode_bytes(data: bytes) -> tuple[str, str, list[tuple[str, int, str]]] | str:
    """Return (text, encoding, notes) for file bytes, or an error sentence when they are not text.

    Order: byte-order marks (UTF-32 before UTF-16, whose BOM is a prefix of UTF-32-LE's), the NUL
    pattern of BOM-less UTF-32/UTF-16, binary signatures, UTF-8, then GB18030 / Big5 / Big5-HKSCS
    scored by their share of common Han characters. A few undecodable bytes are replaced by U+FFFD
    and reported with their byte offsets; the document is kept.
    """
    notes: list[tuple[str, int, str]] = []
    for bom, encoding, label in ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
                                 (codecs.BOM_UTF8, "utf-8", ""), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
                                 (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16")):
        if data.startswith(bom):
            data = data[len(bom):]
            if label:
                notes.append(("encoding", 1, f"decoded as {label} (with BOM); save the file as UTF-8 to silence this"))
            else:
                notes.append(("bom", 1, "UTF-8 byte-order mark removed"))
            return _decode_as(data, encoding, notes)
    guess = _nul_pattern(data)
    if guess is not None:
        decoded = _decode_as(data, guess, notes)
        if not isinstance(decoded, str) and _han_score(decoded[0]) >= 0.5:
            decoded[2].insert(0, ("encoding", 1, f"decoded as {guess.upper()} (no BOM); save the file as UTF-8 "
                                                 "to silence this"))
            return decoded
        notes = []
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return f"this is {what}, not a text file: save the document as plain text (UTF-8 .txt) and put that in the folder"
    if b"\x00" in data[:8192]:
        best = _best_of(data, _wide_encodings(data), tolerant=False)
        if best is not None and best[0] >= 0.9 and re.search(r"[\u4e00-\u9fff]", best[2]):
            notes.append(("encoding", 1, f"decoded as {best[1].upper()} (no BOM); save the file as UTF-8"))
            return _finish(best[2], best[1], notes)
        return "binary content (NUL bytes): this is not a text file; export the document as UTF-8 plain text"
    try:
        return _finish(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    utf8 = decode_tolerant(data, "utf-8")
    if utf8 is not None and _han_score(utf8[0]) >= 0.5 and len(_LETTER.findall(utf8[0][:_SCORE_SAMPLE])) >= 10 * len(utf8[1]):
        notes.append(_bad_bytes_note(utf8[1], "utf-8"))
        return _finish(utf8[0], "utf-8", notes)
    best = _best_of(data, _LEGACY + _wide_encodings(data))
    if best is not None and best[0] >= 0.9:
        score, encoding, text, bad = best
        label = _LABELS.get(encoding, encoding.upper() + " (no BOM)")
        notes.append(("encoding", 1, f"not UTF-8; decoded as {label} ({score:.0%} common characters); "
                                     "save the file as UTF-8 to make this certain"))
        if bad:
            notes.append(_bad_bytes_note(bad, encoding))
        return _finish(text, encoding, notes)
    if utf8 is not None and len(utf8[1]) <= max(3, len(data) // 1000):  # mostly ASCII text with a stray byte
        notes.append(_bad_bytes_note(utf8[1], "utf-8"))
        return _finish(utf8[0], "utf-8", notes)
    return _not_text_reason(data)


def _decode_as(data: bytes, encoding: str, notes: list[tuple[str, int, str]]) -> tuple[str, str, list[tuple[str, int, str]]] | str:
    """Return the bytes decoded in a known encoding (a few bad bytes replaced and noted) or an error sentence."""
    decoded = decode_tolerant(data, encoding)
    if decoded is None:
        return (f"starts like {encoding.upper()} but too many bytes are not valid {encoding.upper()}: open it in an "
                "editor and save it as UTF-8")
    text, bad = decoded
    if bad:
        notes.append(_bad_bytes_note(bad, encoding))
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


# --------------------------------------------------------------------------- reading one file
def read_document(path: Path, max_bytes: int = MAX_BYTES, folder: Path | None = None) -> RawDocument:
    """Return the decoded file, or a RawDocument whose ``error`` says what is wrong and what to do.

    ``folder`` is the corpus folder (default: the file's parent); a link leading outside it is refused.
    """
    doc = RawDocument(doc_id=path.stem, path=path)
    try:
        _read(doc, path, max_bytes, path.parent if folder is None else folder)
        if not doc.sha1 and not doc.error and path.is_file():
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
    if path.is_symlink():
        if outside_folder(path, folder):
            doc.error = ("is a link to something outside the corpus folder: refused (never read); copy the document "
                         "itself into the folder or remove the link")
            return doc
        if not path.exists():
            doc.error = "broken link: replace it with the document itself or remove it"
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
    del data
    if isinstance(decoded, str):
        doc.error = decoded
        return doc
    doc.text, doc.encoding, doc.notes = decoded
    if not doc.text.strip():
        doc.error = "only white space: add the document's text or remove the file"
    elif _FRONT_MATTER_OPEN.match(doc.text):
        _, body, problem = split_front_matter(doc.text)
        if not problem and not body.strip():
            doc.error = ("front matter but no text: the file has a '---' header and nothing after it; add the "
                         "document's text below the closing '---' line or remove the file")
    return doc


# --------------------------------------------------------------------------- front matter
_FRONT_MATTER_OPEN = re.compile(r"\A[ \t\n]*---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"\n---[ \t]*(?:\n|\Z)")
# Front-matter keys whose value must be one line of text (or a date): lists and mappings are refused.
TEXT_KEYS = ("title", "author", "source", "date", "published", "url", "speaker", "province", "occasion")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no expansion, so no alias bomb) and keeps dates as text."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed in front matter",
                                              event.start_mark)
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, date))


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str]:
    """Return (front-matter fields, body, problem) where problem is '' or why (part of) the header was ignored.

    The header is at most MAX_FRONT_MATTER_CHARS long, parsed with a safe loader that refuses YAML
    aliases and keeps dates as text (see :func:`published_date`). Keys in TEXT_KEYS whose value is a
    list or mapping are dropped with a problem, never turned into text.
    """
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return {}, text, ""
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end() - 1, opening.end() + MAX_FRONT_MATTER_CHARS + 8)
    if not closing:
        if _FRONT_MATTER_CLOSE.search(text, opening.end() - 1):
            header_end = _FRONT_MATTER_CLOSE.search(text, opening.end() - 1)
            return {}, text[header_end.end():], (f"front matter is longer than {MAX_FRONT_MATTER_CHARS // 1024} KB: it "
                                                 "was not read (title and date left empty); shorten the header")
        return {}, text, ("front matter opened with '---' but never closed: add a closing '---' line; "
                          "the whole file was read as text")
    header, body = text[opening.end():closing.start()], text[closing.end():]
    try:
        fields = yaml.load(header, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or ""
        detail = f": {reason}" if "alias" in reason else ""
        return {}, body, (f"front matter is not valid YAML{where}{detail}: fix the lines between the '---' markers; "
                          "title and date were left empty")
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        return {}, body, (f"front matter could not be read ({type(exc).__name__}): fix the lines between the '---' "
                          "markers; title and date were left empty")
    if fields is None:
        return {}, body, ""
    if not isinstance(fields, dict):
        return {}, body, "front matter is not a list of 'key: value' lines: title and date were left empty"
    problems = []
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if not isinstance(key, str):
            problems.append("a front-matter key is not text: that line was ignored")
            continue
        if key.lower() in TEXT_KEYS and not _is_scalar(value):
            problems.append(f"front-matter '{key}' is a {type(value).__name__}, not one value: it was ignored; "
                            f"write it as one line '{key}: …'")
            continue
        clean[key] = value
    return clean, body, "; ".join(problems)


# --------------------------------------------------------------------------- dates
_YMD = re.compile(r"(?P<y>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]?"
                  r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))")
_DMY = re.compile(r"(?P<d>\d{1,2})([/.])(?P<m>\d{1,2})\2(?P<y>\d{4})")
_TIME = re.compile(r"(?:[T\s]|日|号)*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:\.\d+)?)?"
                   r"\s*秒?\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?")


def _aware_to_china(moment: datetime) -> datetime:
    """Return a datetime as China-local wall time without tzinfo (aware values converted to UTC+8 first)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TZ).replace(tzinfo=None)
    return moment


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(text: str, year: str, month: str, day: str, rest: str) -> tuple[datetime | None, str]:
    """Return the datetime of matched parts (with an optional time) or (None, the reason it is invalid)."""
    hour = minute = second = 0
    zone = None
    rest = rest.strip()
    if rest:
        clock = _TIME.fullmatch(rest)
        if not clock:
            return None, f"'{text}' has a date followed by '{rest}', which is not a time: write it as 2021-09-14 or 2021-09-14 10:35"
        hour, minute, second = int(clock["H"]), int(clock["M"]), int(clock["S"] or 0)
        zone = _offset(clock["tz"])
    try:
        moment = datetime(int(year), int(month), int(day), hour, minute, second, tzinfo=zone)
    except ValueError as exc:
        return None, f"'{text}' is not a valid date/time ({exc}): fix it, e.g. 2021-09-14 or 2021-09-14 10:35"
    if not 1900 <= moment.year <= 2100:
        return None, f"'{text}' has the year {moment.year}, outside 1900–2100: fix the date"
    return _aware_to_china(moment), ""


def published_date(value: Any) -> tuple[datetime | None, str]:
    """Return (China-local datetime without tzinfo or None, problem '' or why the value is not a date).

    Accepted: datetime/date objects, ISO 8601 with or without time and offset, RFC 2822
    (``Tue, 25 Jan 2022 17:07:55 GMT``), ``2021年9月14日``, ``2021/09/14``, ``2021.09.14`` and
    ``14/09/2021`` (day first; an order that could be either is refused). Values with an offset are
    converted to UTC+08:00, then the offset is dropped: never stored in UTC. Never raises.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, datetime):
        return _aware_to_china(value), ""
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"the date is a {type(value).__name__}, not one date: write it as one line like 2021-09-14"
    text = str(value).strip()
    if len(text) > 100:
        return None, "the date is longer than 100 characters: write it as one date like 2021-09-14"
    if re.fullmatch(r"\d{8}", text):
        return _build(text, text[:4], text[4:6], text[6:], "")
    match = _YMD.match(text)
    if match:
        month, day = match["m1"] or match["m2"], match["d1"] or match["d2"]
        return _build(text, match["y"], month, day, text[match.end():])
    match = _DMY.match(text)
    if match:
        first, second = int(match["d"]), int(match["m"])
        if first <= 12 and second <= 12 and first != second:
            return None, (f"'{text}' could be day/month or month/day: write it as year-month-day, "
                          f"e.g. {match['y']}-{second:02d}-{first:02d}")
        return _build(text, match["y"], match["m"], match["d"], text[match.end():])
    try:
        return _aware_to_china(parsedate_to_datetime(text)), ""
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    return None, (f"'{text}' is not a date this library reads: write it as 2021-09-14, 2021年9月14日 or "
                  "2021-09-14 10:35")


def parse_published(value: Any) -> datetime | None:
    """Return a front-matter date as a China-local datetime without tzinfo, else None (see published_date)."""
    return published_date(value)[0]


# --------------------------------------------------------------------------- data files
def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of a small UTF-8 CSV data file as dicts (empty list if the file is absent)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]
