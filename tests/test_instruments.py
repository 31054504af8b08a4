"""Tests for shuangtan.instruments: the YAML dictionary, coding of sentences with known instruments."""

from __future__ import annotations

import pandas as pd
import pytest

from shuangtan import instruments as ins


def speeches(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"speech_id": sid, "doc_id": "d", "level": "provincial", "province": prov,
                          "date": pd.Timestamp("2021-06-01"), "text": text} for sid, prov, text in rows],
                        columns=["speech_id", "doc_id", "level", "province", "date", "text"])


SENTENCES = [  # sentence, the categories a reader finds in it
    ("严格落实能耗“双控”制度，逐步减少煤炭消费总量。", {"targets_caps"}),
    ("积极参与全国碳市场建设，推进绿电交易和电价改革。", {"markets_prices"}),
    ("用好碳减排支持工具，大力发展绿色金融。", {"finance"}),
    ("坚决遏制“两高”项目盲目发展，依法依规淘汰落后产能。", {"restructuring"}),
    ("大力实施风电、光伏、氢能等项目，推动煤电机组改造。", {"energy_mix"}),
    ("开展近零碳排放园区试点，攻关碳捕集利用与封存技术。", {"technology_pilots"}),
    ("强化督查检查，严格考核问责。", {"monitoring_accountability"}),
    ("会议强调，要提高政治站位，统一思想认识。", set()),
]


@pytest.mark.parametrize("sentence, expected", SENTENCES)
def test_sentences_are_coded_with_the_instruments_they_name(sentence, expected):
    hits = ins.instrument_hits(speeches(("s", "河北", sentence)))
    assert set(hits["category"]) == expected


def test_counts_do_not_overlap_within_a_category():
    hits = ins.instrument_hits(speeches(("s", "河北", "推进碳排放权交易。能耗“双控”和能耗双控。")))
    assert hits.groupby("category").size().to_dict() == {"markets_prices": 1, "targets_caps": 2}


def test_matrix_counts_rates_and_presence():
    text = "碳市场" + "。" * 97  # 100 characters, one mention
    frame = speeches(("a", "北京", text), ("b", "北京", "无关的话。" * 20), ("c", "上海", "光伏光伏。"))
    counts = ins.instrument_matrix(frame, value="count").set_index("province")
    rates = ins.instrument_matrix(frame).set_index("province")
    present = ins.instrument_matrix(frame, value="present").set_index("province")
    assert counts.loc["北京", "markets_prices"] == 1 and counts.loc["北京", "characters"] == 200
    assert rates.loc["北京", "markets_prices"] == pytest.approx(50.0)
    assert rates.loc["上海", "energy_mix"] == pytest.approx(2 / 5 * 10_000)
    assert bool(present.loc["上海", "energy_mix"]) and not bool(present.loc["上海", "finance"])


def test_kwic_lines_carry_statement_province_and_date():
    hits = ins.instrument_hits(speeches(("s1", "浙江", "要加快发展光伏产业。")))
    row = hits.iloc[0]
    assert (row["speech_id"], row["province"], row["keyword"]) == ("s1", "浙江", "光伏")
    assert row["left"] == "要加快发展" and row["right"] == "产业。"
    assert row["date"] == pd.Timestamp("2021-06-01")


def test_a_user_dictionary_in_cntext_format(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("Name: mine\nCategory: [水]\nDictionary:\n  水:\n    - 节水\n", encoding="utf-8")
    categories = ins.load_instruments(path)
    assert [c.key for c in categories] == ["水"]
    assert ins.instrument_hits(speeches(("s", "北京", "推进节水。")), categories)["term"].tolist() == ["节水"]


@pytest.mark.parametrize("content, message", [
    ("a: &x [1, 2]\nb: *x\n", "aliases"),
    ("Dictionary: [1, 2]\n", "Dictionary"),
    ("Dictionary:\n  empty: []\n", "no term"),
    ("Dictionary:\n  a: [x]\nPatterns:\n  a: ['(']\n", "bad pattern"),
    ("x: [\n", "not valid YAML"),
])
def test_bad_dictionaries_are_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        ins.load_instruments(path)


def test_oversized_yaml_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * 2_000, encoding="utf-8")
    with pytest.raises(ValueError, match="bytes"):
        ins.read_yaml(path, max_bytes=1_000)


def test_shipped_dictionary_documents_every_category():
    categories = ins.load_instruments()
    assert len(categories) == 7
    assert all(c.definition and c.source and c.label for c in categories)


def test_summary_on_empty_and_instrument_free_corpora():
    assert "no provincial statement" in ins.instrument_summary(speeches()).markdown()
    text = ins.instrument_summary(speeches(("s", "北京", "统一思想认识。"))).markdown()
    assert "No term" in text


def test_seed_matrix_has_every_province(seed_corpus):
    matrix = ins.instrument_matrix(seed_corpus.speeches, value="count").set_index("province")
    assert len(matrix) == 31
    # 河北's statement: 严格落实能耗“双控”制度 … 大力实施风能、光伏、氢能 … 严格考核问责.
    assert (matrix.loc["河北", ["targets_caps", "energy_mix", "monitoring_accountability"]] > 0).all()


def test_heatmap_draws_every_province_and_category(seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    from shuangtan import plots

    plots.use_chinese_font()
    categories = ins.load_instruments()
    rates = ins.instrument_matrix(seed_corpus.speeches, categories)
    fig = plots.instrument_heatmap(rates, {c.key: c.label for c in categories})
    fig.canvas.draw()
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 31 and len(ax.get_xticklabels()) == 7


def test_reprints_count_once():
    frame = speeches(("a", "北京", "发展光伏。"), ("b", "北京", "发展光伏。"))
    frame["duplicate_of"] = ["", "a"]
    counts = ins.instrument_matrix(frame, value="count").set_index("province")
    assert counts.loc["北京", "energy_mix"] == 1 and counts.loc["北京", "statements"] == 1
