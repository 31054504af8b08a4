"""Turn the bytes of a file into text: byte-order marks, UTF-8/16/32, GB18030, Big5, or a reason why not.

:func:`decode_bytes` never raises: it returns (text, encoding, notes on what was fixed) or an error
sentence that names the problem and what to do about it. Legacy encodings are scored by their share
of :func:`common_han` characters; a few undecodable bytes are replaced by U+FFFD and reported.
"""

from __future__ import annotations

import codecs
import contextvars
import re
from functools import lru_cache

# Binary formats recognised by their first bytes, with the advice to give.
BINARY_SIGNATURES = {
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
    for magic, what in BINARY_SIGNATURES.items():
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
