"""Central echo: how much of each provincial statement repeats the centre, and what is its own.

For every provincial statement of the speeches table, :func:`echo_spans` finds

* passages of at least ``min_chars`` characters shared with a central text of the corpus (rows with
  level ``central``), found with one :class:`shuangtan.reuse.PassageIndex` of all central texts
  (winnowed k-gram fingerprints: linear in the corpus), and
* the campaign's standard formulas (``data/formulas.yaml``: wording and source of each),

and :func:`echo_table` turns them into one row per provincial statement: the share of its
characters inside a passage shared with a central text (``central_share``), inside a formula
(``formula_share``), inside either (``echo_share``) and the rest, the province's own
(``own_share``). Reprints (a non-empty ``duplicate_of`` column) count once. Shares are of the
statement's characters, so a long statement and a short one weigh alike in the per-statement
table; per province (:func:`echo_by_province`) and around milestones (:func:`echo_around_milestones`)
shares are pooled over characters. The reading view and the summary sentences are in
:mod:`shuangtan.echo_view`.

A shared passage says that two texts share wording, not who copied whom: a central text dated
after a provincial statement can share a formula both took from an earlier central source. Read
``central_share`` as closeness to the centre's language; the date columns allow the direction to
be checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd

from .paths import DATA_DIR
from .places import provinces
from .reuse import PassageIndex
from .safe_yaml import read_yaml

FORMULAS_FILE = DATA_DIR / "formulas.yaml"
# Shortest passage (characters) counted as repeated from a central text: long enough that two
# texts rarely share it by chance (碳达峰碳中和工作 is 8), short enough for one clause of a formula.
ECHO_MIN_CHARS = 10
SPAN_COLUMNS = ["speech_id", "start", "end", "kind", "source", "source_pos", "text"]
TABLE_COLUMNS = ["speech_id", "doc_id", "province", "province_code", "region", "date", "n_chars",
                 "central_chars", "formula_chars", "echo_chars", "own_chars", "central_share",
                 "formula_share", "echo_share", "own_share", "n_passages", "central_sources", "formulas",
                 "longest_echo"]
# Characters ignored between the characters of a formula: quotation marks and spaces.
_QUOTES = "[\\s“”‘’「」『』\"']*"


# ---------------------------------------------------------------- inputs


def load_formulas(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the formulas (id, formula, variants, source, pattern) of data/formulas.yaml or another file."""
    return _formulas(str(path or FORMULAS_FILE)).copy()


@lru_cache(maxsize=4)
def _formulas(path: str) -> pd.DataFrame:
    data = read_yaml(path) or {}
    rows = []
    for entry in data.get("formulas", []):
        if not entry.get("id") or not entry.get("formula") or not entry.get("source"):
            raise ValueError(f"{path}: every formula needs id, formula and source: {entry}")
        variants = [str(v) for v in entry.get("variants", [])]
        wordings = sorted({str(entry["formula"]), *variants}, key=lambda w: (-len(w), w))
        pattern = "|".join(_QUOTES.join(re.escape(ch) for ch in _bare(w)) for w in wordings)
        rows.append({"id": str(entry["id"]), "formula": str(entry["formula"]), "variants": "、".join(variants),
                     "source": " ".join(str(entry["source"]).split()), "pattern": pattern})
    return pd.DataFrame(rows, columns=["id", "formula", "variants", "source", "pattern"])


def _bare(wording: str) -> str:
    """Return a wording without quotation marks and spaces (they are matched optionally)."""
    return re.sub(_QUOTES, "", wording)


def originals(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the rows that are not reprints (duplicate_of empty or missing; all rows without the column)."""
    if "duplicate_of" not in speeches:
        return speeches
    mark = speeches["duplicate_of"].fillna("").astype(str).str.strip()
    return speeches[mark == ""]


def provincial_rows(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the provincial statements (level provincial, a province named), reprints left out."""
    rows = originals(speeches)
    return rows[(rows["level"] == "provincial") & rows["province"].notna()].reset_index(drop=True)


def central_texts(speeches: pd.DataFrame) -> dict[str, str]:
    """Return the texts of the central statements by speech_id (reprints left out), sorted by id."""
    rows = originals(speeches)
    rows = rows[rows["level"] == "central"]
    return {str(k): str(v or "") for k, v in sorted(zip(rows["speech_id"], rows["text"]))}


# ---------------------------------------------------------------- shared passages


def _reuse_finder(sources: Mapping[str, str], min_chars: int):
    """Return a function target → [(start, end, source_id, source_pos)] over one index of the sources."""
    return PassageIndex(dict(sources), min_chars).spans


def formula_spans(text: str, formulas: pd.DataFrame | list[tuple[str, re.Pattern]]) -> list[tuple[int, int, str]]:
    """Return (start, end, formula id) of every formula occurrence in text (formulas table or compiled pairs)."""
    compiled = _compiled(formulas) if isinstance(formulas, pd.DataFrame) else formulas
    return sorted((m.start(), m.end(), formula_id) for formula_id, regex in compiled for m in regex.finditer(text))


def _compiled(formulas: pd.DataFrame) -> list[tuple[str, re.Pattern]]:
    """Return (id, compiled pattern) for every formula."""
    return [(str(i), re.compile(p)) for i, p in zip(formulas["id"], formulas["pattern"])]


def echo_spans(speeches: pd.DataFrame, *, min_chars: int = ECHO_MIN_CHARS,
               formulas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per echoed passage of a provincial statement: SPAN_COLUMNS.

    kind is "central" (source = the central speech_id, source_pos its position there) or
    "formula" (source = the formula id, source_pos -1); start/end are positions in the statement.
    """
    formulas = load_formulas() if formulas is None else formulas
    centrals = central_texts(speeches)
    find = _reuse_finder(centrals, min_chars) if centrals else (lambda _text: [])
    compiled = _compiled(formulas)
    rows = []
    for speech_id, text in zip(*(provincial_rows(speeches)[c] for c in ("speech_id", "text"))):
        text = str(text or "")
        for start, end, source, source_pos in find(text):
            rows.append((speech_id, start, end, "central", source, source_pos, text[start:end]))
        for start, end, formula_id in formula_spans(text, compiled):
            rows.append((speech_id, start, end, "formula", formula_id, -1, text[start:end]))
    spans = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    return spans.sort_values(["speech_id", "start", "end", "kind", "source"], kind="stable").reset_index(drop=True)


def covered(intervals: Iterable[tuple[int, int]]) -> int:
    """Return how many positions the union of half-open intervals [start, end) covers."""
    total, reach = 0, None
    for start, end in sorted(intervals):
        if reach is None or start > reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


# ---------------------------------------------------------------- tables


def echo_table(speeches: pd.DataFrame, *, spans: pd.DataFrame | None = None, min_chars: int = ECHO_MIN_CHARS,
               formulas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per provincial statement with its echo: TABLE_COLUMNS, sorted by province then date.

    Shares are of the statement's characters (NaN for an empty statement); central_sources lists
    the central speech_ids it shares a passage with, formulas the formula ids it repeats.
    """
    rows = provincial_rows(speeches)
    if spans is None:
        spans = echo_spans(speeches, min_chars=min_chars, formulas=formulas)
    groups: dict[str, list[tuple[int, int, str, str, str]]] = {}
    for span in zip(spans["speech_id"], spans["start"], spans["end"], spans["kind"], spans["source"], spans["text"]):
        groups.setdefault(span[0], []).append(span[1:])
    records = []
    for row in rows.itertuples():
        text = str(row.text or "")
        part = groups.get(row.speech_id, [])
        central = [(a, b, src) for a, b, kind, src, _ in part if kind == "central"]
        formula = [(a, b, src) for a, b, kind, src, _ in part if kind == "formula"]
        counts = {
            "central_chars": covered((a, b) for a, b, _ in central),
            "formula_chars": covered((a, b) for a, b, _ in formula),
            "echo_chars": covered((a, b) for a, b, *_ in part),
        }
        longest = max((t for *_, t in part), key=lambda t: (len(t), t), default="")
        records.append({
            "speech_id": row.speech_id, "doc_id": row.doc_id, "province": row.province,
            "province_code": getattr(row, "province_code", None), "region": getattr(row, "region", None),
            "date": row.date, "n_chars": len(text), **counts, "own_chars": len(text) - counts["echo_chars"],
            "n_passages": len(part), "central_sources": "; ".join(sorted({src for *_, src in central})),
            "formulas": "; ".join(sorted({src for *_, src in formula})), "longest_echo": longest,
        })
    table = pd.DataFrame(records, columns=[c for c in TABLE_COLUMNS if not c.endswith("_share")])
    for name in ("central", "formula", "echo", "own"):
        share = table[f"{name}_chars"] / table["n_chars"].where(table["n_chars"] > 0)
        table[f"{name}_share"] = share.astype(float)
    table["date"] = pd.to_datetime(table["date"])
    table = table[TABLE_COLUMNS]
    table = table.sort_values(["province", "date", "speech_id"], na_position="last", kind="stable")
    return table.reset_index(drop=True)


def pooled_shares(frame: pd.DataFrame) -> pd.Series:
    """Return statements, characters and character-pooled shares of a group of echo rows."""
    chars = frame["n_chars"].sum()
    result = {"statements": len(frame), "characters": int(chars)}
    for name in ("central", "formula", "echo", "own"):
        result[f"{name}_share"] = frame[f"{name}_chars"].sum() / chars if chars else float("nan")
    return pd.Series(result)


def echo_by_province(table: pd.DataFrame) -> pd.DataFrame:
    """Return one row per province with statements: statements, characters, pooled shares; most echo first."""
    columns = ["province", "region", "statements", "characters", "central_share", "formula_share", "echo_share",
               "own_share"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    pooled = table.groupby("province").apply(pooled_shares, include_groups=False).reset_index()
    regions = provinces().set_index("short_name")["region"]
    pooled["region"] = pooled["province"].map(regions)
    pooled[["statements", "characters"]] = pooled[["statements", "characters"]].astype(int)
    return pooled[columns].sort_values(["echo_share", "province"], ascending=[False, True],
                                       na_position="last").reset_index(drop=True)


def echo_around_milestones(table: pd.DataFrame, milestones: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return per national milestone the pooled echo share of dated statements before and after it.

    Columns: key, label, date, n_before, echo_before, n_after, echo_after, change (after − before,
    NaN when either side has no statement). Undated statements are left out.
    """
    if milestones is None:
        from .timeline import milestones as national

        milestones = national()
    dated = table.dropna(subset=["date"])
    rows = []
    for m in milestones.itertuples():
        before, after = pooled_shares(dated[dated["date"] < m.date]), pooled_shares(dated[dated["date"] >= m.date])
        rows.append({"key": m.key, "label": m.label, "date": m.date,
                     "n_before": int(before["statements"]), "echo_before": before["echo_share"],
                     "n_after": int(after["statements"]), "echo_after": after["echo_share"],
                     "change": after["echo_share"] - before["echo_share"]})
    return pd.DataFrame(rows, columns=["key", "label", "date", "n_before", "echo_before", "n_after",
                                       "echo_after", "change"])


def echoed_phrases(spans: pd.DataFrame, table: pd.DataFrame, formulas: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the echoed passages and formulas with how many statements and provinces repeat them.

    A formula is one row (phrase = its usual wording); a passage shared with a central text is
    one row per distinct wording. Sorted by provinces, statements, then length.
    """
    formulas = load_formulas() if formulas is None else formulas
    wording = dict(zip(formulas["id"], formulas["formula"]))
    province = dict(zip(table["speech_id"], table["province"]))
    frame = spans.assign(
        phrase=[wording.get(s, t) if k == "formula" else t
                for k, s, t in zip(spans["kind"], spans["source"], spans["text"])],
        province=spans["speech_id"].map(province))
    columns = ["phrase", "kind", "statements", "provinces", "province_list", "chars"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby(["phrase", "kind"]).agg(
        statements=("speech_id", "nunique"), provinces=("province", "nunique"),
        province_list=("province", lambda p: "、".join(sorted(set(p.dropna()))))).reset_index()
    grouped["chars"] = grouped["phrase"].str.len()
    return grouped[columns].sort_values(["provinces", "statements", "chars", "phrase"],
                                        ascending=[False, False, False, True]).reset_index(drop=True)


def own_sentences(speeches: pd.DataFrame, spans: pd.DataFrame, *, example_chars: int = 80) -> pd.DataFrame:
    """Return per provincial statement how many of its sentences echo nothing, and its longest such sentence.

    A sentence (ended by 。！？；) is the province's own when none of its characters lies in an
    echoed passage or formula. Columns: speech_id, province, date, sentences, own_sentences,
    own_sentence_share, own_example (the longest own sentence, cut to example_chars).
    """
    marked: dict[str, list[tuple[int, int]]] = {}
    for speech_id, start, end in zip(spans["speech_id"], spans["start"], spans["end"]):
        marked.setdefault(speech_id, []).append((start, end))
    rows = []
    for row in provincial_rows(speeches).itertuples():
        text, echoed = str(row.text or ""), marked.get(row.speech_id, [])
        sentences = [(m.start(), m.end()) for m in re.finditer(r"[^。！？；\n]+[。！？；]?", text) if m.group().strip()]
        own = [(a, b) for a, b in sentences if not any(s < b and e > a for s, e in echoed)]
        longest = max((text[a:b].strip() for a, b in own), key=lambda t: (len(t), t), default="")
        rows.append({"speech_id": row.speech_id, "province": row.province, "date": row.date,
                     "sentences": len(sentences), "own_sentences": len(own),
                     "own_sentence_share": len(own) / len(sentences) if sentences else float("nan"),
                     "own_example": longest if len(longest) <= example_chars else longest[:example_chars - 1] + "…"})
    columns = ["speech_id", "province", "date", "sentences", "own_sentences", "own_sentence_share", "own_example"]
    return pd.DataFrame(rows, columns=columns)
