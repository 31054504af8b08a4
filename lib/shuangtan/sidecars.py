"""Read the curated sidecar files that sit beside the documents: metadata.csv and corrections.csv.

Facts a text does not state come from ``metadata.csv`` (doc_id, province, field, value, source_note);
curated repairs of garbled spans from ``corrections.csv`` (doc_id, wrong, right, note). Both are read
in any encoding a document may be in (UTF-8 with or without BOM, GBK as Excel writes it on Chinese
Windows, UTF-16 as Excel's "Unicode text", Big5 …; see :func:`shuangtan.decoding.decode_bytes`), comma-
or tab-separated, at most :data:`MAX_SIDECAR_BYTES` long. Every row that is not used is reported
with the reason: :func:`read_metadata` returns the problems found in metadata.csv itself, and
:func:`sidecar_problems` those that need the list of documents (corrections.csv and rows for
documents that do not exist) as quality-report rows.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from .decoding import decode_bytes
from .front_matter import published_date
from .places import resolve_province
from .repairs import load_corrections

__all__ = ["ALLOWED_FIELDS", "MAX_SIDECAR_BYTES", "read_metadata", "read_corrections", "read_sidecar",
           "sidecar_problems", "normalise_year"]

# Largest sidecar file read (a few thousand rows fit in well under this).
MAX_SIDECAR_BYTES = 5 * 1024 * 1024
# Facts metadata.csv may give, with what each one is.
ALLOWED_FIELDS = {
    "year": "year of an event the text dates only by month and day (e.g. 2021 or 2021年)",
    "date": "date of the statement (e.g. 2021-09-14 or 2021年9月14日)",
    "province": "province of a statement whose text names none (e.g. 浙江)",
    "speaker": "speaker the text does not name",
    "speaker_role": "office of the speaker (e.g. 省委书记)",
    "title": "document title",
    "source": "publisher or outlet",
    "published": "publication date of the document",
    "occasion": "occasion of the statement (meeting, inspection …)",
    "level": "administrative level of the statement (province, city, district, central); replaces the level the text suggests",
    "author": "author of the document",
    "url": "address the document was saved from",
}
# Words accepted for the `level` field, and the admin level each one means.
ADMIN_LEVELS = {
    **dict.fromkeys(("province", "provincial", "省", "省级"), "province"),
    **dict.fromkeys(("city", "prefecture", "市", "市级", "地级", "州"), "city"),
    **dict.fromkeys(("district", "county", "区", "县", "区县", "县级", "区级"), "district"),
    **dict.fromkeys(("central", "national", "中央", "国家"), "central"),
}
METADATA_COLUMNS = ("doc_id", "province", "field", "value", "source_note")
CORRECTION_COLUMNS = ("doc_id", "wrong", "right", "note")


def read_sidecar(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str], list[str]]:
    """Return ([(line number, row)], header columns, problems) of a sidecar CSV in any supported encoding.

    A missing file gives no rows and no problem; an unreadable one gives no rows and one problem.
    """
    name = path.name
    if not path.is_file():
        return [], [], []
    size = path.stat().st_size
    if size > MAX_SIDECAR_BYTES:
        return [], [], [f"{name} is {size / 1024 / 1024:.1f} MB, over the {MAX_SIDECAR_BYTES // 1024 // 1024} MB "
                        "limit for a sidecar: it was not read; split the corpus or remove unused rows"]
    decoded = decode_bytes(path.read_bytes())
    if isinstance(decoded, str):
        return [], [], [f"{name} could not be read: {decoded}"]
    text, encoding, notes = decoded
    problems = [f"{name}: {message}" for check, _, message in notes if check in ("encoding", "undecodable_bytes")]
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records = list(reader)
    except csv.Error as exc:
        return [], [], problems + [f"{name} is not a valid CSV file ({exc}): open it in a spreadsheet and save it "
                                   "again as CSV (UTF-8)"]
    if not records:
        return [], [], problems
    header = [unicodedata.normalize("NFKC", cell).strip().lower() for cell in records[0]]
    rows = []
    line = 1
    for record in records[1:]:
        line += 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(f"{name} line {line}: {len(record)} cells but {len(header)} columns in the header; "
                            "the extra cells were ignored (quote values that contain commas)")
        rows.append((line, {key: (value or "").strip() for key, value in zip(header, record) if key}))
    return rows, header, problems


def normalise_year(value: str) -> tuple[str, str]:
    """Return (four-digit year, '') or ('', why the value is not a year): accepts 2021, 2021年, ２０２１, 2021.0."""
    text = unicodedata.normalize("NFKC", value).strip()
    match = re.fullmatch(r"(\d{4})(?:\s*年|\.0+)?", text)
    if not match:
        return "", f"year '{value}' is not a year: write four digits, e.g. 2021"
    if not 1900 <= int(match.group(1)) <= 2100:
        return "", f"year '{value}' is outside 1900–2100: fix it"
    return match.group(1), ""


def _normalise_value(field: str, value: str) -> tuple[str, str]:
    """Return (value as statements.py expects it, '') or ('', why the row cannot be applied)."""
    if field == "year":
        return normalise_year(value)
    if field in ("date", "published"):
        moment, problem = published_date(value)
        if moment is None:
            return "", problem or f"{field} '{value}' is not a date: write it as 2021-09-14"
        return (moment.strftime("%Y-%m-%d") if field == "date" or moment == moment.replace(hour=0, minute=0, second=0)
                else moment.strftime("%Y-%m-%d %H:%M:%S")), ""
    if field == "level":
        level = ADMIN_LEVELS.get(unicodedata.normalize("NFKC", value).strip().lower())
        if level is None:
            return "", f"level '{value}' is not one of province, city, district, central (or 省, 市, 区/县, 中央)"
        return level, ""
    if field == "province":
        resolved = resolve_province(value)
        if resolved is None:
            return "", (f"province '{value}' is not one of the 31 provincial units: write its name, e.g. 浙江 or "
                        "浙江省")
        return resolved, ""
    return value, ""


def _metadata_rows(folder: Path) -> tuple[dict[tuple[str, str, str], tuple[str, str]], list[str], list[int]]:
    """Return (facts, problems, line number of each fact) for metadata.csv."""
    rows, header, problems = read_sidecar(folder / "metadata.csv")
    facts: dict[tuple[str, str, str], tuple[str, str]] = {}
    lines: dict[tuple[str, str, str], int] = {}
    if rows and not {"doc_id", "field", "value"} <= set(header):
        missing = ", ".join(c for c in ("doc_id", "field", "value", "source_note") if c not in header)
        return {}, problems + [f"metadata.csv has no column {missing}: the header must be "
                               f"{','.join(METADATA_COLUMNS)}; no row was used"], []
    for number, row in rows:
        where = f"metadata.csv line {number}"
        doc_id, field, value = row.get("doc_id", ""), row.get("field", "").lower(), row.get("value", "")
        province = row.get("province", "")
        if not all((doc_id, field, value)):
            problems.append(f"{where}: doc_id, field and value are required")
            continue
        if not row.get("source_note"):
            problems.append(f"{where}: no source_note; the fact was ignored (say where it comes from)")
            continue
        if field not in ALLOWED_FIELDS:
            problems.append(f"{where}: unknown field '{field}' was ignored: use one of {', '.join(sorted(ALLOWED_FIELDS))}")
            continue
        if province:
            resolved = resolve_province(province)
            if resolved is None:
                problems.append(f"{where}: province '{province}' is not one of the 31 provincial units: fix it (e.g. "
                                "浙江 or 浙江省) or leave it empty for the whole document; the row was ignored")
                continue
            province = resolved
        value, problem = _normalise_value(field, value)
        if problem:
            problems.append(f"{where}: {problem}; the row was ignored")
            continue
        key = (doc_id, province, field)
        if key in facts:
            if facts[key][0] != value:
                problems.append(f"{where}: {field} '{value}' for {doc_id}{' ' + province if province else ''} "
                                f"conflicts with line {lines[key]} ('{facts[key][0]}'); the first row was kept: remove "
                                "the wrong one")
            else:
                problems.append(f"{where}: repeats line {lines[key]} ({field} '{value}' for {doc_id}); remove one")
            continue
        facts[key] = (value, row["source_note"])
        lines[key] = number
    return facts, problems, [lines[key] for key in facts]


def read_metadata(folder: Path) -> tuple[dict[tuple[str, str, str], tuple[str, str]], list[str]]:
    """Return metadata facts keyed by (doc_id, province, field) -> (value, source note), and problems.

    Values are normalised (year ``2021年`` → ``2021``, province ``浙江省`` → ``浙江``, dates to
    ``YYYY-MM-DD``); a row with an unknown field, an unknown province, a value that cannot be read or a
    value conflicting with an earlier row is not used and its problem says why.
    """
    facts, problems, _ = _metadata_rows(folder)
    return facts, problems


def read_corrections(folder: Path) -> dict[str, list]:
    """Return the folder's curated corrections grouped by document id (empty when there is no file)."""
    rows, header, _ = read_sidecar(folder / "corrections.csv")
    if not {"doc_id", "wrong"} <= set(header):
        return {}
    return load_corrections([row for _, row in rows])


def _doc_ids(documents: Iterable[Any]) -> set[str]:
    """Return document ids from an iterable of ids or of document rows (dicts with 'doc_id')."""
    ids = set()
    for item in documents:
        ids.add(item["doc_id"] if isinstance(item, dict) else str(item))
    return ids


def sidecar_problems(folder: Path, documents: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Return quality rows (doc_id, path, check, severity, count, position, span, message) for sidecar
    rows that are not applied and are not already among :func:`read_metadata`'s problems.

    These are: every problem of corrections.csv (encoding, missing columns, incomplete rows, rows for
    documents that do not exist, repeated rows). ``documents`` are the corpus's doc ids or document rows.
    Rows of metadata.csv for unknown documents are reported by the corpus (see corpus.build_corpus).
    """
    known = _doc_ids(documents)
    out: list[dict[str, Any]] = []
    path = f"{folder.name}/corrections.csv"

    def add(doc_id: str, line: int, span: str, message: str) -> None:
        out.append(dict(doc_id=doc_id, path=path, check="corrections", severity="warning", count=1,
                        position=line, span=span[:60], message=message))

    rows, header, problems = read_sidecar(folder / "corrections.csv")
    for problem in problems:
        add("", -1, "", problem)
    if rows and not {"doc_id", "wrong"} <= set(header):
        add("", -1, "", "corrections.csv needs the columns doc_id,wrong,right,note: no correction was applied; "
                        "fix the header line")
        return out
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for number, row in rows:
        doc_id, wrong, right = row.get("doc_id", ""), row.get("wrong", ""), row.get("right", "")
        where = f"corrections.csv line {number}"
        if not doc_id or not wrong:
            add(doc_id, number, wrong, f"{where}: doc_id and wrong are required; the row was ignored")
            continue
        if known and doc_id not in known:
            add(doc_id, number, wrong, f"{where}: no document '{doc_id}' in the corpus folder; the correction was "
                                       "not applied (fix the doc_id: the file name without its extension)")
        if (doc_id, wrong) in seen:
            first, first_right = seen[(doc_id, wrong)]
            if first_right != right:
                add(doc_id, number, wrong, f"{where}: corrects the same text as line {first} differently "
                                           f"('{first_right}' vs '{right}'): the first row is applied and this one then "
                                           "finds nothing to replace; remove one")
            else:
                add(doc_id, number, wrong, f"{where}: repeats line {first}; remove one")
            continue
        seen[(doc_id, wrong)] = (number, right)
    return out
