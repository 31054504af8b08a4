"""Classify the occasion of a statement (meeting, visit, article …) with rules kept as data.

The rules live in ``data/occasion_rules.yaml``: an ordered list of regular expressions, first
match wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .paths import DATA_DIR


@lru_cache(maxsize=1)
def occasion_rules() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Return the ordered (type, English label, compiled pattern) rules from the data file."""
    with open(DATA_DIR / "occasion_rules.yaml", encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)
    return tuple((r["type"], r["label"], re.compile(r["pattern"])) for r in rules)


def classify_occasion(occasion: str | None) -> str:
    """Return the occasion type of an occasion text ('unknown' when there is no text)."""
    if not occasion:
        return "unknown"
    for occasion_type, _label, pattern in occasion_rules():
        if pattern.search(occasion):
            return occasion_type
    return "other"


def occasion_labels() -> dict[str, str]:
    """Return a mapping from occasion type to its English label."""
    labels = {occasion_type: label for occasion_type, label, _ in occasion_rules()}
    labels["unknown"] = "Unknown"
    return labels
