"""Repairs of broken text: unicode repair, garbled spans (mojibake) and curated corrections.

:func:`repair_unicode` replaces lone surrogates and unifies compatibility ideographs (lengths kept);
:func:`find_mojibake` reports garbled spans as :class:`Doubt` rows (never drops them);
:func:`apply_corrections` applies the curated repairs of ``corrections.csv``
(:func:`load_corrections`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from .han import HAN, common_han

# A lone UTF-16 surrogate code point: not valid text, cannot be encoded as UTF-8.
SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass
class Doubt:
    """Something a cleaning step doubts: a span, its position in that step's input, and why."""

    check: str
    position: int
    span: str
    message: str


@dataclass
class Correction:
    """A curated repair: replace ``wrong`` by ``right`` in one document, with a note saying why."""

    doc_id: str
    wrong: str
    right: str
    note: str


# Blocks whose characters NFKC maps to ordinary unified ideographs: CJK compatibility ideographs
# (豈 U+F900 → 豈 U+8C48), their supplement, and Kangxi radicals (⽣ U+2F63 → 生) found in text copied from PDFs.
_COMPATIBILITY_BLOCKS = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0x2F00, 0x2FDF))


@lru_cache(maxsize=1)
def _compatibility_table() -> dict[int, str]:
    """Return code point -> unified ideograph for every compatibility character NFKC maps to one character."""
    table = {}
    for first, last in _COMPATIBILITY_BLOCKS:
        for cp in range(first, last + 1):
            mapped = unicodedata.normalize("NFKC", chr(cp))
            if mapped != chr(cp) and len(mapped) == 1:
                table[cp] = mapped
    return table


def repair_unicode(text: str) -> tuple[str, int, int]:
    """Return the text with lone surrogates replaced by U+FFFD and compatibility ideographs unified.

    Both keep the length of the text (positions stay valid); returns (text, surrogates, ideographs).
    """
    text, surrogates = SURROGATE.subn("\ufffd", text)
    unified = text.translate(_compatibility_table())
    changed = sum(a != b for a, b in zip(text, unified)) if unified != text else 0
    return unified, surrogates, changed



# --------------------------------------------------------------------------- mojibake
_MOJIBAKE_ANCHOR = re.compile(
    r"\ufffd|(?<![A-Za-z0-9/=&.%])\?(?=[a-z;:{}_\[\]])|[\u2500-\u257f](?=[" + HAN + r"])|(?<=[" + HAN + r"])[\u2500-\u257f]"
    r"|[ÃÂâåæçè][\u0080-\u00bf€™‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜š›œžŸ]"
)
_ODD = re.compile(r"[?\ufffd\u2500-\u257fA-Za-z;:{}_\[\]\u00c0-\u024f\u0080-\u00bf)(]")


def _is_odd(char: str) -> bool:
    """Return True for characters that belong to a garbled span rather than to normal text."""
    if _ODD.fullmatch(char):
        return True
    return bool(re.fullmatch(f"[{HAN}]", char)) and char not in common_han()


def find_mojibake(text: str) -> list[Doubt]:
    """Return the garbled spans in the text (replacement marks, stray '?', box drawing, Latin-1 garbage)."""
    spans: list[tuple[int, int]] = []
    tags = [(m.start(), m.end()) for m in re.finditer(r"<[^<>]*>", text)]
    tag_starts = [a for a, _ in tags]
    scanned = (0, 0)  # text[scanned[0]:scanned[1]] is known to be all odd (linear time on long garbled runs)
    for match in _MOJIBAKE_ANCHOR.finditer(text):
        start, end = match.start(), match.end()
        inside = bisect.bisect_right(tag_starts, start) - 1
        if inside >= 0 and start < tags[inside][1]:
            continue  # URLs and attributes inside markup are not garbled text
        floor = spans[-1][1] if spans else 0  # walking back past the previous span changes nothing
        while start > floor and _is_odd(text[start - 1]) and text[start - 1] not in "()":
            start -= 1
        scan_from = end
        if scanned[0] <= end <= scanned[1]:
            scan_from, end = scanned
        while end < len(text) and _is_odd(text[end]) and text[end] != "(":
            end += 1
        scanned = (scan_from, end)
        if spans and start <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return [
        Doubt("mojibake", start, text[start:end],
              f"garbled characters in '…{text[max(0, start - 8):end + 8]}…': cannot be decoded back; "
              "add a repair to corrections.csv if you know the original")
        for start, end in spans
    ]


def apply_corrections(text: str, corrections: Iterable[Correction]) -> tuple[str, int, list[Doubt]]:
    """Return the text with curated repairs applied, how many were applied, and those not found."""
    applied, missing = 0, []
    for fix in corrections:
        hits = text.count(fix.wrong)
        if hits:
            text = text.replace(fix.wrong, fix.right)
            applied += hits
        else:
            missing.append(Doubt("corrections", -1, fix.wrong,
                                 "correction not applied: its 'wrong' text is not in the document (stale entry?)"))
    return text, applied, missing


def load_corrections(rows: Sequence[dict[str, str]]) -> dict[str, list[Correction]]:
    """Return curated corrections grouped by document id from CSV rows (doc_id, wrong, right, note)."""
    grouped: dict[str, list[Correction]] = {}
    for row in rows:
        if row.get("doc_id") and row.get("wrong"):
            grouped.setdefault(row["doc_id"], []).append(
                Correction(row["doc_id"], row["wrong"], row.get("right", ""), row.get("note", "")))
    return grouped
