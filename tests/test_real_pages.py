"""The library on real saved news pages: tests/fixtures/real_pages (28 pages, gold written by reading them).

The gold table ``_gold.csv`` and the furniture list ``_furniture.txt`` were written by reading each
page (see the folder's SOURCES.md), never from this library's output. :func:`field_accuracy` computes
per-field accuracy; the issue-10 thresholds are asserted below, and ``python tests/test_real_pages.py``
prints the table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from shuangtan.clean import clean_text
from shuangtan.corpus import build_corpus

REAL_PAGES = Path(__file__).resolve().parent / "fixtures" / "real_pages"
FIELDS = ("province", "admin_level", "date", "date_before", "date_end", "speaker", "speaker_role", "published",
          "title", "occasion")


def _gold_path(name: str) -> Path:
    """Return the companion file (``_gold.csv``; older checkouts named it ``gold.csv``)."""
    return next((p for p in (REAL_PAGES / f"_{name}", REAL_PAGES / name) if p.exists()), REAL_PAGES / f"_{name}")


def load_gold() -> pd.DataFrame:
    """Return the gold table, one row per page, every cell a string ('' when empty)."""
    return pd.read_csv(_gold_path("gold.csv"), dtype=str, keep_default_na=False)


def _text(value) -> str:
    """Return a cell as the gold writes it: '' for missing, YYYY-MM-DD for dates."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _title_form(title: str) -> str:
    """Return a title with spaces dropped and ASCII , : as full-width (cleaning does the same)."""
    return re.sub(r"\s", "", title).replace(",", "，").replace(":", "：")


def _occasion_form(occasion: str) -> str:
    """Return an occasion without punctuation, brackets, quotes and the verb that holds it (召开, 举行 …)."""
    return re.sub(r"[\s\W]|(?:组织)?(?:召开|举行|举办)了?", "", occasion)


def matches(field: str, gold: str, found: str) -> bool:
    """Return True when a found value agrees with the gold (roles by containment, titles without a column label,
    occasions when one contains the other: the gold may name the holder, the page may add it)."""
    if field == "occasion":
        gold, found = _occasion_form(gold), _occasion_form(found)
        return gold == found or bool(found) and bool(gold) and (found in gold or gold in found)
    if field == "speaker_role":
        return gold == found == "" or bool(gold) and gold in found
    if field == "title":
        gold, found = _title_form(gold), _title_form(found)
        return gold == found or bool(found) and gold.endswith("：" + found)  # "全球要闻：…" column label
    return gold == found


def comparison(tables) -> pd.DataFrame:
    """Return one row per page and field: gold, found, ok."""
    speeches = tables.speeches.merge(tables.documents[["doc_id", "title", "published"]], on="doc_id")
    speeches["file"] = speeches["doc_id"] + ".txt"
    merged = load_gold().merge(speeches, on="file", how="left", suffixes=("_gold", ""), validate="one_to_one")
    rows = []
    for record in merged.to_dict("records"):
        for field in FIELDS:
            gold, found = record[f"{field}_gold"], _text(record[field])
            rows.append(dict(file=record["file"], field=field, gold=gold, found=found,
                             ok=matches(field, gold, found)))
    return pd.DataFrame(rows)


def field_accuracy(tables) -> pd.DataFrame:
    """Return per-field accuracy on the real pages: field, right, pages, accuracy (quoted in reports)."""
    table = comparison(tables)
    summary = table.groupby("field", sort=False)["ok"].agg(right="sum", pages="size").reset_index()
    summary["accuracy"] = summary["right"] / summary["pages"]
    return summary


@pytest.fixture(scope="module")
def real():
    return build_corpus(REAL_PAGES)


@pytest.fixture(scope="module")
def compared(real):
    return comparison(real)


def _wrong(compared, field):
    rows = compared.loc[(compared["field"] == field) & ~compared["ok"]]
    return rows[["file", "gold", "found"]].to_dict("records")


def test_every_page_is_one_statement_and_no_notes_file_is_read(real):
    gold = load_gold()
    assert sorted(real.documents["doc_id"] + ".txt") == sorted(gold["file"])
    assert (real.documents["status"] == "ok").all()
    assert real.speeches.groupby("doc_id").size().eq(1).all()


def test_province_right_for_every_page(compared):
    assert _wrong(compared, "province") == []


def test_admin_level_right_for_every_page(compared):
    assert _wrong(compared, "admin_level") == []


@pytest.mark.parametrize("field", ["date", "date_before", "date_end", "published"])
def test_dates_right_for_every_page(compared, field):
    assert _wrong(compared, field) == []


def test_undated_statements_have_a_bound_or_a_warning(real):
    undated = real.speeches.loc[real.speeches["date"].isna()]
    warned = set(real.quality.loc[real.quality["check"] == "undated_statement", "span"])
    for row in undated.itertuples():
        assert pd.notna(row.date_before) or row.speech_id in warned, row.speech_id
        assert row.date_note, row.speech_id


def test_speaker_right_for_at_least_90_percent(compared):
    rows = compared.loc[compared["field"] == "speaker"]
    assert rows["ok"].mean() >= 0.9, _wrong(compared, "speaker")


def test_speaker_role_right_for_at_least_90_percent(compared):
    rows = compared.loc[compared["field"] == "speaker_role"]
    assert rows["ok"].mean() >= 0.9, _wrong(compared, "speaker_role")


def test_occasion_names_the_event_for_at_least_70_percent(compared):
    rows = compared.loc[compared["field"] == "occasion"]
    assert rows["ok"].mean() >= 0.7, _wrong(compared, "occasion")


def test_occasion_is_one_clause_never_what_was_said(real):
    """What follows the event's name (，深入学习贯彻…; 强调，要…) is what was said there, not the occasion."""
    occasions = real.speeches["occasion"].fillna("")
    assert not occasions.str.contains("[，,；;]").any(), occasions[occasions.str.contains("[，,；;]")].tolist()
    assert not occasions.str.match("(?:强调|指出|表示|召开$)").any()
    topics = occasions[occasions.str.match("(?:围绕|根据|按照)")]
    assert topics.str.contains("会|调研|考察|座谈|讲座").all(), topics.tolist()  # a topic alone is no occasion


def test_relayed_central_speech_has_no_local_speaker(real):
    row = real.speeches.set_index("doc_id").loc["rp04_yunnan_relay_bshib"]
    assert row["speaker"] == "" and row["province"] == "云南"
    flagged = real.quality.loc[(real.quality["check"] == "no_speaker") & (real.quality["span"] == row["speech_id"])]
    assert len(flagged) == 1


def test_national_official_visiting_is_recorded_with_a_national_role(real):
    rows = real.speeches.set_index("doc_id")
    for doc_id, speaker, province in (("rp13_shanxi_dingzhongli_visit", "丁仲礼", "山西"),
                                      ("rp16_neimenggu_cppcc_visit_range", "杨伟民", "内蒙古")):
        row = rows.loc[doc_id]
        assert (row["speaker"], row["province"], row["admin_level"], row["level"]) == (speaker, province, "central", "central")
        assert "全国" in row["speaker_role"]


def test_no_furniture_line_left_in_clean_text_or_titles(real):
    documents = real.documents.set_index("doc_id")
    left = []
    for line in _gold_path("furniture.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, raw = line.split("\t", 1)
        furniture = clean_text(raw).strip()
        doc = documents.loc[name.removesuffix(".txt")]
        if furniture and (furniture in doc["text"].split("\n") or (len(furniture) >= 8 and furniture in doc["text"])
                          or _title_form(furniture) == _title_form(doc["title"])):
            left.append((name, furniture))
    assert left == []


def test_titles_are_headlines_never_furniture(compared):
    rows = compared.loc[compared["field"] == "title"]
    assert rows["ok"].mean() >= 0.9, _wrong(compared, "title")


def test_furniture_removals_are_counted_in_the_quality_report(real):
    rows = real.quality.loc[real.quality["check"].str.startswith("furniture_")]
    assert (rows["severity"] == "info").all() and (rows["count"] > 0).all()
    kinds = set(rows["check"])
    assert {"furniture_meta_line", "furniture_breadcrumb", "furniture_headline_repeat"} <= kinds


def test_facts_from_furniture_go_to_the_document_row(real):
    documents = real.documents.set_index("doc_id")
    assert documents.loc["rp06_xuhui_district_tao5211", "source"] == "上海市徐汇区人民政府门户网站"
    assert documents.loc["rp06_xuhui_district_tao5211", "published"] == pd.Timestamp("2023-04-21 19:43:27")
    assert documents.loc["rp06_xuhui_district_tao5211", "published_source"] == "page header"
    assert documents.loc["rp26_central_whitepaper_wire", "source"] == "华声在线"


def test_a_source_line_naming_another_province_never_decides(real):
    rows = real.speeches.set_index("doc_id")
    assert pd.isna(rows.loc["rp26_central_whitepaper_wire", "province"])  # 来源: 华声在线 (a Hunan site)
    assert rows.loc["rp16_neimenggu_cppcc_visit_range", "province"] == "内蒙古"  # banner names 通辽 (same province)


if __name__ == "__main__":
    frame = field_accuracy(build_corpus(REAL_PAGES))
    print(frame.to_string(index=False))
    sys.exit(0)
