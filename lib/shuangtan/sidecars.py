"""Read the curated sidecar files that sit beside the documents: metadata.csv and corrections.csv.

Facts a text does not state come from ``metadata.csv`` (doc_id, province, field, value, source_note);
curated repairs of garbled spans from ``corrections.csv`` (doc_id, wrong, right, note). Every row
that is not used is reported with the reason.
"""

from __future__ import annotations

from pathlib import Path

from .clean import load_corrections
from .files import read_csv_rows

__all__ = ["read_metadata", "read_corrections"]

def read_metadata(folder: Path) -> tuple[dict[tuple[str, str, str], tuple[str, str]], list[str]]:
    """Return metadata facts keyed by (doc_id, province, field) -> (value, source note), and problems."""
    facts: dict[tuple[str, str, str], tuple[str, str]] = {}
    problems = []
    for number, row in enumerate(read_csv_rows(folder / "metadata.csv"), start=2):
        key = (row.get("doc_id", ""), row.get("province", ""), row.get("field", ""))
        if not all((key[0], key[2], row.get("value"))):
            problems.append(f"metadata.csv line {number}: doc_id, field and value are required")
        elif not row.get("source_note"):
            problems.append(f"metadata.csv line {number}: no source_note; the fact was ignored (say where it comes from)")
        else:
            facts[key] = (row["value"], row["source_note"])
    return facts, problems


def read_corrections(folder: Path) -> dict[str, list]:
    """Return the folder's curated corrections grouped by document id (empty when there is no file)."""
    return load_corrections(read_csv_rows(folder / "corrections.csv"))
