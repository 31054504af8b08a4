"""Write the corpus tables as CSV files that open safely in Excel.

Files are UTF-8 with a byte-order mark (so Excel shows the Chinese text), dates as ``YYYY-MM-DD``,
``\\n`` line endings. Every text cell is guarded against formula injection (OWASP "CSV Injection"):
a cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after any
leading spaces) gets a leading apostrophe, so a spreadsheet shows it as text instead of running it
(``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``). Numeric and date columns are written as they are: a
negative number stays a number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

__all__ = ["FORMULA_TRIGGERS", "guard_formula", "guard_frame", "write_csv", "write_tables"]

# First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: Any) -> Any:
    """Return a string cell prefixed with ``'`` when a spreadsheet would run it as a formula; other values unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in ("\t", "\r") or value.lstrip(" ").startswith(FORMULA_TRIGGERS[:4]):
        return "'" + value
    return value


def guard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the table with every string cell guarded (numbers, dates and missing values untouched)."""
    guarded = frame.copy()
    for position in range(guarded.shape[1]):  # by position: column names may repeat
        series = guarded.iloc[:, position]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            guarded.isetitem(position, series.map(guard_formula, na_action="ignore"))
    return guarded


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table as guarded UTF-8-with-BOM CSV (dates as YYYY-MM-DD) and return the path."""
    guard_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d", lineterminator="\n")
    return path


def write_tables(corpus: Any, out_dir: Path, extra: Mapping[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write documents.csv, speeches.csv, quality.csv (and one file per ``extra`` table) and return the paths.

    ``corpus`` is a :class:`shuangtan.corpus.Corpus` (anything with documents, speeches and quality
    tables); ``extra`` maps a file stem (e.g. ``clusters``) to a further table to write the same way.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {"documents": corpus.documents, "speeches": corpus.speeches, "quality": corpus.quality}
    for name, frame in (extra or {}).items():
        if name in tables:
            raise ValueError(f"extra table '{name}' would overwrite {name}.csv: give it another name")
        tables[name] = frame
    return [write_csv(frame, out_dir / f"{name}.csv") for name, frame in tables.items()]
