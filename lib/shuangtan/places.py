"""Reference table of China's 31 provincial-level units and name resolution.

Names, ISO 3166-2:CN codes, English names, NBS four-region classification and a tile-grid
position (column, row; row 0 at the top) for tile maps come from ``data/provinces.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, object]]:
    """Return the reference rows keyed by short name (dict lookups: this runs once per statement)."""
    return {row["short_name"]: row for row in _table().to_dict("records")}


@lru_cache(maxsize=1)
def _full_names() -> dict[str, str]:
    return {row["full_name"]: short for short, row in _rows().items()}


def resolve_province(name: str | None) -> str | None:
    """Return the short simplified name for a full, short or informal province name, else None."""
    if not name:
        return None
    name = re.sub(r"\s+", "", name)
    rows = _rows()
    if name in rows:
        return name
    if name in _full_names():
        return _full_names()[name]
    if name in _ALIASES:
        return _ALIASES[name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if stem in rows:
                return stem
    return None


def province_info(short_name: str) -> dict[str, object]:
    """Return the reference row of one province (by short name) as a dict."""
    if short_name not in _rows():
        raise KeyError(f"unknown province {short_name!r}")
    return dict(_rows()[short_name])


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


# --------------------------------------------------------------------------- cities, districts, offices
# Administrative divisions below the province come from ``data/admin_divisions.csv``: every
# prefecture-level (``city``) and county-level (``district``) unit with its adcode and province,
# derived from cpca 0.5.5's ``resources/adcodes.csv`` (MIT licence; the National Bureau of Statistics'
# division codes), see ``data/ADMIN_DIVISIONS.md``.
# Short city names (温州 for 温州市) that are also common words or other places' names are not used.
_SHORT_CITY_STOP = frozenset({"安康", "中山", "白银", "长治", "大同", "通化", "吉安", "东方", "金昌", "三明", "太原市"})
# Phrases that contain a place name but are not about the place.
_NOT_PLACES = ("长治久安", "世界大同", "天下大同", "中山大学", "中山装", "中山路", "白银价格", "国泰民安")
_CITY_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:(?:[\u4e00-\u9fff]{1,3}族)+自治州|自治州|地区|盟|市)$")
_DISTRICT_SUFFIX = re.compile(r"^(?P<stem>.+?)(?:(?:[\u4e00-\u9fff]{1,3}族)+自治[县旗]|自治[县旗]|新区|区|县|市|旗)$")
# One-character abbreviations (皖 for Anhui) count only in these contexts, e.g. 外电入皖, 皖北.
_ABBR_CONTEXT = r"(?:外电入|电力入|电入|西电东送入|入|援|赴|来|离){abbr}"
# Abbreviations that are also common characters (新, 云, 宁 …) are never read alone.
_DISTINCT_ABBRS = frozenset("京津冀晋辽沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川藏陕")


@dataclass(frozen=True)
class Place:
    """A place named in a text: the name as written, its province, level and position."""

    name: str
    province: str
    level: str  # province, city or district
    start: int


@lru_cache(maxsize=1)
def admin_divisions() -> pd.DataFrame:
    """Return the prefecture-level (city) and county-level (district) units: adcode, name, level, province."""
    return pd.read_csv(DATA_DIR / "admin_divisions.csv", dtype=str)


@lru_cache(maxsize=1)
def _place_index() -> dict[str, tuple[str, str]]:
    """Return name -> (province, level) for every unambiguous place name (full and short forms)."""
    table = _table()
    index: dict[str, set[tuple[str, str]]] = {}

    def add(name: str, province: str, level: str) -> None:
        index.setdefault(name, set()).add((province, level))

    for row in table.itertuples():
        for name in (row.short_name, row.full_name):
            add(name, row.short_name, "province")
    for alias, short in _ALIASES.items():
        add(alias, short, "province")
    district_stems: set[str] = set()
    divisions = admin_divisions()
    for row in divisions.itertuples():
        add(row.name, row.province, row.level)
        if row.level == "district":
            match = _DISTRICT_SUFFIX.match(row.name)
            if match:
                district_stems.add(match.group("stem"))
    provinces_short = set(table["short_name"]) | set(_ALIASES)
    for row in divisions.loc[divisions["level"] == "city"].itertuples():
        match = _CITY_SUFFIX.match(row.name)
        if not match:
            continue
        stem = match.group("stem")
        if len(stem) >= 2 and stem not in provinces_short and stem not in district_stems and stem not in _SHORT_CITY_STOP:
            add(stem, row.province, "city")
    return {name: next(iter(places)) for name, places in index.items() if len(places) == 1}


@lru_cache(maxsize=1)
def _lengths_by_first_char() -> dict[str, tuple[int, ...]]:
    """Return, for each first character of a place name, the name lengths to try (longest first)."""
    lengths: dict[str, set[int]] = {}
    for name in _place_index():
        lengths.setdefault(name[0], set()).add(len(name))
    return {char: tuple(sorted(found, reverse=True)) for char, found in lengths.items()}


def find_places(text: str) -> list[Place]:
    """Return the provinces, cities and districts named in a text, in order (longest name at a position)."""
    index, lengths = _place_index(), _lengths_by_first_char()
    for phrase in _NOT_PLACES:
        if phrase in text:
            text = text.replace(phrase, "＿" * len(phrase))
    found: list[Place] = []
    position, end = 0, len(text)
    while position < end - 1:
        for length in lengths.get(text[position], ()):
            name = text[position:position + length]
            if name in index:
                province, level = index[name]
                found.append(Place(name, province, level, position))
                position += length
                break
        else:
            position += 1
    return found


@lru_cache(maxsize=1)
def _district_stem_index() -> dict[str, str]:
    """Return short district/county names (徐汇 for 徐汇区) -> province, only unambiguous ones of 2+ characters."""
    full = _place_index()
    stems: dict[str, set[str]] = {}
    for row in admin_divisions().loc[lambda d: d["level"] == "district"].itertuples():
        match = _DISTRICT_SUFFIX.match(row.name)
        if match and len(match.group("stem")) >= 2:
            stems.setdefault(match.group("stem"), set()).add(row.province)
    return {stem: next(iter(p)) for stem, p in stems.items()
            if len(p) == 1 and stem not in full and stem not in _SHORT_CITY_STOP}


def find_district_stems(text: str) -> list[Place]:
    """Return districts and counties named without their suffix (徐汇 for 徐汇区), for district-level texts only.

    Short district names are often ordinary words (光明, 平安), so callers use this only when the text
    is known to be about a district or county and names no place in full.
    """
    index = _district_stem_index()
    found = []
    for length in (4, 3, 2):
        for start in range(len(text) - length + 1):
            name = text[start:start + length]
            if name in index:
                found.append(Place(name, index[name], "district", start))
    return sorted(found, key=lambda place: place.start)


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    provinces_by_abbr = {row["abbr"]: short for short, row in _rows().items() if row["abbr"] in _DISTINCT_ABBRS}
    abbrs = "".join(sorted(provinces_by_abbr))
    return re.compile(_ABBR_CONTEXT.format(abbr=f"(?P<abbr>[{abbrs}])")), provinces_by_abbr


def abbreviation_provinces(text: str) -> dict[str, int]:
    """Return provinces named by a one-character abbreviation in context (外电入皖, 来晋), with counts."""
    pattern, provinces_by_abbr = _abbreviation_pattern()
    counts: dict[str, int] = {}
    for match in pattern.finditer(text):
        short = provinces_by_abbr[match.group("abbr")]
        counts[short] = counts.get(short, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@lru_cache(maxsize=1)
def officials() -> pd.DataFrame:
    """Return provincial party secretaries and governors (province, name, role, start, end, source_note).

    ``start``/``end`` are months (YYYY-MM); an empty end means still in office when the table was made.
    """
    table = pd.read_csv(DATA_DIR / "officials.csv", dtype=str, keep_default_na=False)
    table["start_date"] = pd.to_datetime(table["start"], format="%Y-%m")
    end = pd.to_datetime(table["end"].replace("", None), format="%Y-%m")
    table["end_date"] = (end + pd.offsets.MonthEnd(0)).fillna(pd.Timestamp.max.normalize())
    return table


@lru_cache(maxsize=1)
def _offices_by_name() -> dict[str, list[dict[str, object]]]:
    grouped: dict[str, list[dict[str, object]]] = {}
    for row in officials().to_dict("records"):
        grouped.setdefault(row["name"], []).append(row)
    return grouped


def offices_of(name: str, when: object = None) -> list[dict[str, str]]:
    """Return the provincial offices (province, role, source_note) a person held, on a date when given.

    Without a date every office the table knows is returned; with one, only those whose tenure covers it
    (month precision, so a month of hand-over may return two offices).
    """
    rows = _offices_by_name().get(name, [])
    if when is not None and not pd.isna(when):
        when = pd.Timestamp(when)
        rows = [row for row in rows if row["start_date"] <= when <= row["end_date"]]
    return [{key: row[key] for key in ("province", "role", "source_note")} for row in rows]


@lru_cache(maxsize=1)
def _official_names() -> tuple[str, ...]:
    return tuple(sorted(_offices_by_name()))


def named_officials(text: str) -> list[str]:
    """Return the names of table officials that occur in a text, in order of first occurrence."""
    hits = [(text.find(name), name) for name in _official_names() if name in text]
    return [name for _, name in sorted(hits)]
