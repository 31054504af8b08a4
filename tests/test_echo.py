"""Tests for shuangtan.echo on constructed texts whose reused fraction is known by construction."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shuangtan import echo, echo_view


def han(start: int, n: int) -> str:
    """Return n distinct CJK characters from a block far from common words (no accidental sharing)."""
    return "".join(chr(0x5000 + start + i) for i in range(n))


CENTRAL = han(0, 100)
OWN = han(1000, 70)


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"doc_id": "d", "province_code": None, "region": None, "date": pd.NaT}
    columns = ["speech_id", "doc_id", "level", "province", "province_code", "region", "date", "text"]
    return pd.DataFrame([{**base, **row} for row in rows], columns=columns)


def corpus(*provincial: tuple[str, str, str], central: str = CENTRAL) -> pd.DataFrame:
    rows = [{"speech_id": "c1", "level": "central", "province": None, "text": central}] if central else []
    rows += [{"speech_id": sid, "level": "provincial", "province": prov, "text": text} for sid, prov, text in provincial]
    return frame(rows)


def test_share_of_a_statement_that_copies_30_of_100_characters():
    speeches = corpus(("p1", "北京", CENTRAL[10:40] + OWN))
    row = echo.echo_table(speeches, min_chars=10).iloc[0]
    assert row["n_chars"] == 100
    assert row["central_chars"] == 30
    assert math.isclose(row["central_share"], 0.3)
    assert math.isclose(row["own_share"], 0.7)
    assert row["central_sources"] == "c1"
    assert row["longest_echo"] == CENTRAL[10:40]


def test_passages_shorter_than_min_chars_do_not_count():
    speeches = corpus(("p1", "北京", CENTRAL[0:9] + OWN + CENTRAL[50:62]))
    row = echo.echo_table(speeches, min_chars=10).iloc[0]
    assert row["central_chars"] == 12  # the 9-character piece is too short


def test_two_passages_from_different_places_add_up():
    text = CENTRAL[0:20] + OWN[:30] + CENTRAL[60:85] + OWN[30:55]
    speeches = corpus(("p1", "上海", text))
    row = echo.echo_table(speeches, min_chars=10).iloc[0]
    assert row["central_chars"] == 45 and row["n_chars"] == 100
    assert row["n_passages"] == 2


def test_formulas_count_with_or_without_quotation_marks():
    text = OWN[:40] + "坚持先立后破，推动能耗“双控”向碳排放总量和强度“双控”转变" + OWN[40:]
    speeches = corpus(("p1", "河北", text), central="")
    row = echo.echo_table(speeches).iloc[0]
    assert row["formula_chars"] == len("先立后破") + len("能耗“双控”向碳排放总量和强度“双控”转变")
    assert row["central_chars"] == 0
    assert set(row["formulas"].split("; ")) == {"establish_before_breaking", "dual_control_shift"}


def test_formula_inside_a_central_passage_is_not_counted_twice():
    central = OWN[:20] + "先立后破" + OWN[20:40]
    speeches = corpus(("p1", "河北", han(3000, 10) + central[5:35] + han(3100, 10)), central=central)
    row = echo.echo_table(speeches, min_chars=10).iloc[0]
    assert row["central_chars"] == 30 and row["formula_chars"] == 4 and row["echo_chars"] == 30


def test_reprints_count_once():
    speeches = corpus(("p1", "北京", CENTRAL[:50] + OWN), ("p2", "北京", CENTRAL[:50] + OWN))
    speeches["duplicate_of"] = ["", "", "p1"]
    assert echo.echo_table(speeches, min_chars=10)["speech_id"].tolist() == ["p1"]


def test_province_pooling_weighs_characters():
    speeches = corpus(("p1", "北京", CENTRAL[:50] + OWN[:50]), ("p2", "北京", OWN[:100 - 50] + OWN[50:]),
                      ("p3", "上海", OWN[:20]))
    by_province = echo.echo_by_province(echo.echo_table(speeches, min_chars=10)).set_index("province")
    assert math.isclose(by_province.loc["北京", "central_share"], 50 / (100 + 70))
    assert by_province.loc["上海", "echo_share"] == 0
    assert by_province.index[0] == "北京"


def test_summary_names_most_and_least_echoing_with_figures():
    speeches = corpus(("p1", "北京", CENTRAL[:50] + OWN[:50]), ("p2", "上海", CENTRAL[:20] + OWN[:80]),
                      ("p3", "天津", OWN[:60]))
    summary = echo_view.echo_summary(echo.echo_table(speeches, min_chars=10), n_central=1)
    text = summary.markdown()
    assert "Most echoing: 北京 (50.0%)" in text and "least echoing: 天津 (0.0%)" in text
    assert "nan" not in text.lower()


@pytest.mark.parametrize("speeches, expected", [
    (corpus(central=""), "no provincial statement"),
    (corpus(("p1", "北京", OWN)), "only one province"),
    (corpus(("p1", "北京", OWN), ("p2", "上海", OWN[:10]), central=""), "no central statement"),
])
def test_summary_is_true_on_degenerate_corpora(speeches, expected):
    table = echo.echo_table(speeches)
    n_central = int((speeches["level"] == "central").sum())
    around = echo.echo_around_milestones(table)
    text = echo_view.echo_summary(table, n_central, around=around).markdown()
    assert expected in text.lower()
    assert "nan" not in text.lower()


def test_empty_speeches_table():
    empty = pd.DataFrame(columns=["speech_id", "doc_id", "level", "province", "province_code", "region", "date", "text"])
    table = echo.echo_table(empty)
    assert table.empty and list(table.columns) == echo.TABLE_COLUMNS
    assert echo.echo_by_province(table).empty
    assert echo_view.most_echoing_statement(table) is None


def test_milestones_compare_before_and_after():
    speeches = corpus(("p1", "北京", CENTRAL[:50] + OWN[:50]), ("p2", "上海", OWN[:100]))
    speeches["date"] = pd.to_datetime([None, "2021-06-01", "2021-01-01"])
    milestones = pd.DataFrame({"key": ["m"], "label": ["M"], "date": pd.to_datetime(["2021-03-01"])})
    row = echo.echo_around_milestones(echo.echo_table(speeches, min_chars=10), milestones).iloc[0]
    assert (row["n_before"], row["n_after"]) == (1, 1)
    assert row["echo_before"] == 0 and math.isclose(row["change"], 0.5)


def test_reading_view_marks_passages_and_escapes_corpus_text():
    text = "<script>alert(1)</script>" + CENTRAL[:30] + OWN[:20]
    speeches = corpus(("p1", "北京", text), central=CENTRAL + "<b>")
    spans = echo.echo_spans(speeches, min_chars=10)
    view = echo_view.reading_view(speeches, "p1", spans)
    assert "<script>alert" not in view and "&lt;script&gt;alert(1)" in view
    assert f'">{CENTRAL[:30]}</mark>' in view  # the echoed passage, marked on both sides
    assert view.count("<mark") == 2


def test_covered_merges_overlaps():
    assert echo.covered([(0, 10), (5, 15), (20, 22)]) == 17
    assert echo.covered([]) == 0


def test_shipped_formulas_have_sources():
    formulas = echo.load_formulas()
    assert len(formulas) >= 10 and formulas["source"].str.len().min() > 20
    assert formulas["id"].is_unique


def test_seed_table_has_every_provincial_statement(seed_corpus):
    speeches = seed_corpus.speeches
    table = echo.echo_table(speeches)
    assert len(table) == int((speeches["level"] == "provincial").sum())
    assert table["echo_share"].between(0, 1).all()
    # 黑龙江's statement quotes the four relations of the 2022-01-24 central text word for word.
    assert table.set_index("province").loc["黑龙江", "central_share"] > 0.2


def test_echo_figures_draw_with_chinese_glyphs(seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    from shuangtan import plots
    from shuangtan.timeline import milestones

    plots.use_chinese_font()
    table = echo.echo_table(seed_corpus.speeches)
    by_province = echo.echo_by_province(table)
    empty = echo.echo_table(corpus(central=""))
    figures = [plots.echo_map(by_province), plots.echo_bars(by_province), plots.echo_timeline(table, milestones()),
               plots.echo_map(echo.echo_by_province(empty)), plots.echo_timeline(empty, milestones())]
    for fig in figures:
        fig.canvas.draw()  # a missing glyph would raise (UserWarnings are errors in the tests)
    assert len(figures[0].axes[0].patches) == 31
    # A "province" that is a city or unknown is left off the map instead of stopping the notebook.
    odd = pd.DataFrame({"province": ["北京", "深圳", "Atlantis"], "echo_share": [0.1, 0.2, 0.3]})
    plots.echo_map(odd).canvas.draw()


def test_echo_timeline_names_dots_only_while_they_stay_readable(seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    from shuangtan import plots
    from shuangtan.plots.layout import MAX_LABELS
    from shuangtan.timeline import milestones

    table = echo.echo_table(seed_corpus.speeches).dropna(subset=["date", "echo_share"])
    few = plots.echo_timeline(table, milestones())
    assert {t.get_text() for t in few.axes[0].texts} >= set(table["province"])
    many = pd.concat([table] * (MAX_LABELS // len(table) + 1), ignore_index=True)
    crowded = plots.echo_timeline(many, milestones())
    assert not set(t.get_text() for t in crowded.axes[0].texts) & set(table["province"])
    assert "too many to name" in crowded.axes[0].get_title()


def test_own_sentences_are_those_without_any_echo():
    text = CENTRAL[:20] + "。" + OWN[:30] + "。" + OWN[30:40] + "；" + OWN[40:45] + CENTRAL[50:62] + "。"
    speeches = corpus(("p1", "北京", text))
    own = echo.own_sentences(speeches, echo.echo_spans(speeches, min_chars=10)).iloc[0]
    assert (own["sentences"], own["own_sentences"]) == (4, 2)
    assert own["own_sentence_share"] == 0.5
    assert own["own_example"] == OWN[:30] + "。"
