"""shuangtan: load, clean and tabulate documents about China's dual-carbon (双碳) goals.

The public API is re-exported here; heavy modules (jieba, matplotlib, scikit-learn) are
imported only when one of their names is first used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "clean_text": "shuangtan.clean",
    "write_tables": "shuangtan.export",
    "guard_formula": "shuangtan.export",
    "published_date": "shuangtan.front_matter",
    "load_documents": "shuangtan.corpus",
    "load_speeches": "shuangtan.corpus",
    "quality_report": "shuangtan.corpus",
    "load_corpus": "shuangtan.corpus",
    "shared_passages": "shuangtan.reuse",
    "reuse_spans": "shuangtan.reuse",
    "provinces": "shuangtan.places",
    "resolve_province": "shuangtan.places",
    "officials": "shuangtan.places",
    "admin_divisions": "shuangtan.places",
    "RANDOM_STATE": "shuangtan.paths",
    "tokenize": "shuangtan.tokens",
    "tokenize_corpus": "shuangtan.tokens",
    "use_chinese_font": "shuangtan.plots",
    "cluster_speeches": "shuangtan.clustering",
    "milestones": "shuangtan.timeline",
    "first_actions": "shuangtan.timeline",
    "classify_occasion": "shuangtan.occasions",
    "clusters_table": "shuangtan.clustering",
    "statements_by_province": "shuangtan.timeline",
    "echo_table": "shuangtan.echo",
    "echo_by_province": "shuangtan.echo",
    "instrument_matrix": "shuangtan.instruments",
    "instrument_hits": "shuangtan.instruments",
    "load_instruments": "shuangtan.instruments",
    "keyness": "shuangtan.terms",
    "kwic_lines": "shuangtan.concordance",
    "window_collocates": "shuangtan.concordance",
    "discover_terms": "shuangtan.discovery",
    "accept_terms": "shuangtan.discovery",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Return a public name, importing its module on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'shuangtan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
