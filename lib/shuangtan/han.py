"""Han-script helpers shared by the loaders and the cleaning steps, in one place.

``HAN`` and ``CJK_PUNCT`` are regex character ranges; :func:`common_han` is the set of common Han
characters (defined in :mod:`shuangtan.decoding`, which scores encodings with it);
:func:`to_simplified` converts traditional to simplified characters (OpenCC plus the variants it
misses, ``data/variants.csv``) and :func:`detect_script` says which script a text is in.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from .decoding import common_han  # noqa: F401 (one place for the Han-script helpers)
from .files import read_csv_rows
from .paths import DATA_DIR

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014\u00b7"


@lru_cache(maxsize=1)
def t2s_converter() -> opencc.OpenCC:
    """Return the OpenCC traditional-to-simplified converter (made once)."""
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def variants() -> dict[str, str]:
    """Return the variant characters OpenCC misses, mapped to their simplified form."""
    return {row["variant"]: row["simplified"] for row in read_csv_rows(DATA_DIR / "variants.csv")}


def to_simplified(text: str) -> tuple[str, int]:
    """Return the text in simplified characters and how many characters changed."""
    converted = t2s_converter().convert(text)
    table = variants()
    if table:
        converted = converted.translate(str.maketrans(table))
    if len(converted) == len(text):
        changed = sum(a != b for a, b in zip(text, converted))
    else:  # OpenCC never changes length for t2s, but do not count wrongly if it does
        changed = abs(len(text) - len(converted)) + sum(a != b for a, b in zip(text, converted))
    return converted, changed


_NOT_HAN = re.compile(f"[^{HAN}]+")


def detect_script(text: str) -> str:
    """Return 'traditional', 'simplified' or 'none' (no Han characters) for a text as found."""
    han = _NOT_HAN.sub("", text)  # one string, not a list of millions of one-character strings
    if not han:
        return "none"
    _, changed = to_simplified(han)
    return "traditional" if changed / len(han) > 0.05 else "simplified"
