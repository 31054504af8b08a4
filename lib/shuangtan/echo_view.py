"""What the central-echo notebook (04) shows: the reading view, the statement to show, the summary.

:func:`reading_view` sets a provincial statement beside the central text it echoes most, passages
marked (HTML, corpus text escaped); :func:`most_echoing_statement` picks the statement to show;
:func:`echo_summary` states the findings of :mod:`shuangtan.echo` in sentences.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from .echo import echo_by_province, pooled_shares
from .terms import Summary


# ---------------------------------------------------------------- reading view


def _marked(text: str, intervals: Sequence[tuple[int, int, str, str]]) -> str:
    """Return text HTML-escaped with <mark> around (start, end, css class, tooltip) intervals (no overlaps)."""
    out, pos = [], 0
    for start, end, css, tip in sorted(intervals):
        if start < pos:
            start = pos
        if end <= start:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{css}" title="{html.escape(tip, quote=True)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


_STYLE = ("<style>.echo-view{display:flex;gap:1.5em;align-items:flex-start}.echo-view>div{flex:1;"
          "line-height:1.7}mark.echo-central{background:#fbb4ae}mark.echo-formula{background:#b3cde3}</style>")


def reading_view(speeches: pd.DataFrame, speech_id: str, spans: pd.DataFrame, *, max_chars: int = 1500) -> str:
    """Return HTML showing a provincial statement beside the central text it echoes most, passages marked.

    Red marks passages shared with the central text, blue the standard formulas; everything from
    the corpus is HTML-escaped. Texts longer than max_chars are cut (the cut is said).
    """
    rows = speeches.set_index("speech_id")
    if speech_id not in rows.index:
        raise KeyError(f"no statement {speech_id!r}")
    text = str(rows.at[speech_id, "text"] or "")[:max_chars]
    mine = spans[(spans["speech_id"] == speech_id) & (spans["start"] < len(text))]
    marks = [(s, min(e, len(text)), f"echo-{k}", f"{k}: {src}") for s, e, k, src in
             zip(mine["start"], mine["end"], mine["kind"], mine["source"])]
    central = mine[mine["kind"] == "central"]
    left_title = f"{rows.at[speech_id, 'province']} · {speech_id}"
    if central.empty:
        right = "<p><em>No passage of this statement is shared with a central text of the corpus.</em></p>"
    else:
        source = central.assign(n=central["end"] - central["start"]).groupby("source")["n"].sum().idxmax()
        source_text = str(rows.at[source, "text"] or "")[:max_chars]
        used = central[central["source"] == source]
        source_marks = [(p, min(p + e - s, len(source_text)), "echo-central", f"in {speech_id}")
                        for s, e, p in zip(used["start"], used["end"], used["source_pos"]) if p < len(source_text)]
        right = f"<h4>{html.escape(f'central · {source}')}</h4><p>{_marked(source_text, source_marks)}</p>"
    cut = "<p><em>(cut at {} characters)</em></p>".format(max_chars)
    left = f"<h4>{html.escape(left_title)}</h4><p>{_marked(text, _non_overlapping(marks))}</p>"
    if len(str(rows.at[speech_id, "text"] or "")) <= max_chars:
        cut = ""
    return f'{_STYLE}<div class="echo-view"><div>{left}{cut}</div><div>{right}</div></div>'


def _non_overlapping(marks: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Return marks trimmed so that none overlaps an earlier one (formulas inside central passages stay red)."""
    kept, reach = [], 0
    for start, end, css, tip in sorted(marks, key=lambda m: (m[0], m[2] != "echo-central", -m[1])):
        start = max(start, reach)
        if end > start:
            kept.append((start, end, css, tip))
            reach = end
    return kept


def most_echoing_statement(table: pd.DataFrame) -> str | None:
    """Return the speech_id of the statement with the highest central share (ties: longer, then id), or None."""
    rows = table.dropna(subset=["central_share"])
    rows = rows[rows["central_chars"] > 0]
    if rows.empty:
        rows = table[table["echo_chars"] > 0]
    if rows.empty:
        return None
    order = rows.sort_values(["central_share", "echo_share", "n_chars", "speech_id"],
                             ascending=[False, False, False, True])
    return str(order["speech_id"].iloc[0])


# ---------------------------------------------------------------- summary


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(f"{html.escape(str(r.province))} ({_pct(r.echo_share)})" for r in frame.itertuples())


def _extreme(by_province: pd.DataFrame, n: int, *, highest: bool) -> pd.DataFrame:
    """Return the n provinces with the highest (or lowest) echo share, plus any tied with the n-th."""
    ordered = by_province.sort_values(["echo_share", "province"], ascending=[not highest, True])
    cut = ordered["echo_share"].iloc[n - 1]
    return ordered[ordered["echo_share"] >= cut] if highest else ordered[ordered["echo_share"] <= cut]


def echo_summary(table: pd.DataFrame, n_central: int, *, around: pd.DataFrame | None = None, top: int = 3) -> Summary:
    """Return the numbers and sentences of the echo analysis (true on any corpus, never a NaN sentence).

    n_central is the number of central statements the provincial ones were compared with.
    """
    by_province = echo_by_province(table).dropna(subset=["echo_share"])
    numbers: dict[str, object] = {"provincial statements": len(table), "central statements": n_central,
                                  "provinces": len(by_province)}
    sentences = []
    if table.empty:
        return Summary(numbers, ["The corpus holds no provincial statement, so there is no echo to measure."])
    pooled = pooled_shares(table)
    numbers.update({f"{k} (all provinces)": float(pooled[k]) for k in ("central_share", "formula_share", "echo_share")})
    if n_central:
        sentences.append(f"Over {len(table)} provincial statements, {_pct(pooled['central_share'])} of the characters "
                         f"lie in passages shared with the {n_central} central statement(s) of the corpus and "
                         f"{_pct(pooled['formula_share'])} in standard formulas; {_pct(pooled['own_share'])} "
                         "is the provinces' own.")
    else:
        sentences.append(f"The corpus holds no central statement, so there is no central text to compare with; "
                         f"{_pct(pooled['formula_share'])} of the provincial characters repeat standard formulas.")
    if len(by_province) >= 2:
        n = min(top, len(by_province) // 2) or 1
        most, least = _extreme(by_province, n, highest=True), _extreme(by_province, n, highest=False)
        numbers.update({"most echoing": ", ".join(most["province"]), "least echoing": ", ".join(least["province"])})
        sentences.append(f"Most echoing: {_names(most)}; least echoing: {_names(least)} (share of characters in "
                         "central passages or formulas, statements pooled per province).")
    elif len(by_province) == 1:
        sentences.append(f"Only one province has statements ({_names(by_province)}), so provinces cannot be compared.")
    if around is not None and len(around):
        comparable = around.dropna(subset=["change"])
        if comparable.empty:
            sentences.append("No milestone has dated statements on both sides, so echo before and after "
                             "cannot be compared.")
        else:
            rises = int((comparable["change"] > 0).sum())
            numbers["milestones where echo rises"] = rises
            sentences.append(f"Echo is higher after than before {rises} of the {len(comparable)} national milestones "
                             "with dated statements on both sides.")
    return Summary(numbers, sentences)
