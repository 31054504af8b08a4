"""Reference table of China's 31 provincial-level units and name resolution.

Names, ISO 3166-2:CN codes, English names, NBS four-region classification and a tile-grid
position (column, row; row 0 at the top) for tile maps come from ``data/provinces.csv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .paths import DATA_DIR

# Suffixes stripped from a full or informal name to reach the short name (longest first).
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
# Informal names seen in Chinese news text.
_ALIASES = {"龙江": "黑龙江", "内蒙": "内蒙古"}


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "provinces.csv", dtype=str).assign(
        tile_col=lambda d: d["tile_col"].astype(int), tile_row=lambda d: d["tile_row"].astype(int)
    )


def provinces() -> pd.DataFrame:
    """Return the 31 provincial units: short/full/English names, ISO code, region, tile position."""
    return _table().copy()


def resolve_province(name: str | None) -> str | None:
    """Return the short simplified name for a full, short or informal province name, else None."""
    if not name:
        return None
    name = re.sub(r"\s+", "", name)
    table = _table()
    if name in set(table["short_name"]):
        return name
    if name in set(table["full_name"]):
        return table.loc[table["full_name"] == name, "short_name"].iloc[0]
    if name in _ALIASES:
        return _ALIASES[name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if stem in set(table["short_name"]):
                return stem
    return None


def province_info(short_name: str) -> dict[str, object]:
    """Return the reference row of one province (by short name) as a dict."""
    row = _table().loc[_table()["short_name"] == short_name]
    if row.empty:
        raise KeyError(f"unknown province {short_name!r}")
    return row.iloc[0].to_dict()


def detect_provinces(text: str) -> dict[str, int]:
    """Return how often each province is named in the text (short names and capitals), most first."""
    counts: dict[str, int] = {}
    for row in _table().itertuples():
        hits = text.count(row.short_name)
        if row.capital != row.short_name:
            hits += text.count(row.capital)
        if hits:
            counts[row.short_name] = hits
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
