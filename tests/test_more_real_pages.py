"""The library on three more sets of real pages: tests/fixtures/real_pages_2, _3 (22 pages each) and _4 (21).

Each gold (``_gold.csv``) was written by reading the pages (see each folder's SOURCES.md), never from
this library's output. Both sets were measured before any change was made for them:
- real_pages_2: province 19, date 15, speaker 19, office 17 of 22 right;
- real_pages_3 (held out until the real_pages_2 fixes were done): province 20, admin level 16,
  date 14, speaker 18, office 18 of 22 (the library of the session's start got admin level 16, date 13,
  speaker 17, office 17);
- real_pages_4 (held out until the others were fixed): province 18, admin level 17, date 14,
  speaker 14, office 13 of 21 (session start: speaker 13, office 12, the rest the same).
The pages still wrong are explained in the notes column of each gold; each family fixed has its own
test below. ``python tests/test_more_real_pages.py`` prints the per-field tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from shuangtan.corpus import build_corpus
from test_real_pages import _text  # a cell as a gold writes it

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SETS = ("real_pages_2", "real_pages_3", "real_pages_4")
FIELDS = ("province", "admin_level", "date", "date_before", "speaker", "speaker_role")
# Share of pages right per field, at least.
THRESHOLDS = {"real_pages_2": dict.fromkeys(FIELDS, 0.85),
              "real_pages_3": {**dict.fromkeys(FIELDS, 0.75), "province": 0.85, "admin_level": 0.85},
              "real_pages_4": {**dict.fromkeys(FIELDS, 0.7), "province": 0.8, "date": 0.65, "date_before": 0.9}}


def comparison(tables, name: str) -> pd.DataFrame:
    """Return one row per page and field of set `name`: file, field, gold, found, ok (offices by containment)."""
    gold = pd.read_csv(FIXTURES / name / "_gold.csv", dtype=str, keep_default_na=False)
    found = tables.speeches.groupby("doc_id").first()
    rows = []
    for record in gold.to_dict("records"):
        statement = found.loc[record["file"].removesuffix(".txt")]
        for field in FIELDS:
            value, expected = _text(statement[field]), record[field]
            ok = (expected in value if expected else value == "") if field == "speaker_role" else value == expected
            rows.append(dict(file=record["file"], field=field, gold=expected, found=value, ok=ok))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables():
    return {name: build_corpus(FIXTURES / name) for name in SETS}


@pytest.fixture(scope="module")
def real(tables):
    return tables["real_pages_2"]


@pytest.fixture(scope="module")
def held_out(tables):
    return tables["real_pages_3"]


@pytest.mark.parametrize("name", SETS)
def test_every_page_gives_one_statement(tables, name):
    gold = pd.read_csv(FIXTURES / name / "_gold.csv", dtype=str)
    assert len(tables[name].documents) == len(gold) and (tables[name].documents["status"] == "ok").all()
    assert tables[name].speeches.groupby("doc_id").size().eq(1).all()


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("field", FIELDS)
def test_each_field_right_often_enough(tables, name, field):
    rows = comparison(tables[name], name).query("field == @field")
    assert rows["ok"].mean() >= THRESHOLDS[name][field], rows.loc[~rows["ok"], ["file", "gold", "found"]].to_dict("records")


def test_the_general_secretary_quoted_on_a_local_page_is_not_its_speaker(real):
    # sw20: a Beijing official's speech quotes "习近平总书记要求…"; sw19: a district plan cites him.
    rows = real.speeches.set_index("doc_id")
    for doc_id in ("sw19_tianjin_sdlites", "sw20_beijing_crntt"):
        assert rows.loc[doc_id, "speaker"] != "习近平", doc_id


def test_a_banner_and_an_update_line_give_the_page_date(real):
    rows = real.speeches.set_index("doc_id")
    assert rows.loc["sw15_hubei_dawuhanapp", "date"] == pd.Timestamp("2022-03-29")  # "©原创 2022-03-30 10:55"
    assert rows.loc["sw08_fujian_ceeeea", "date"] == pd.Timestamp("2021-11-05")  # "更新时间：…发布人：admin", then 5日


def test_an_event_named_with_its_year_dates_its_month_and_day(real):
    rows = real.speeches.set_index("doc_id")
    assert rows.loc["sw09_fujian_qswyx", "date"] == pd.Timestamp("2025-05-19")  # 5月19日，2025(第三届)…大会
    assert rows.loc["sw13_guangxi_gqsoso", "date"] == pd.Timestamp("2023-07-10")  # 7月10日，2023年广西节能宣传周


def test_a_preamble_citing_the_centre_does_not_make_a_county_notice_central(real):
    # sw22: "为深入贯彻…，全面落实党中央、国务院，省委、省政府…的决策部署，…" opens 岳阳县's plan.
    row = real.speeches.set_index("doc_id").loc["sw22_hunan_yyxgov"]
    assert (row["level"], row["province"]) == ("provincial", "湖南")


def test_titles_are_never_page_furniture(real):
    titles = real.documents.set_index("doc_id")["title"]
    assert titles["sw22_hunan_yyxgov"] == "岳阳县人民政府关于印发《岳阳县碳达峰实施方案》的通知"  # after a 索引号 block
    for doc_id, furniture in [("sw05_hunan_crntt", "打印"), ("sw08_fujian_ceeeea", "收藏本站"),
                              ("sw16_shanghai_people", ">>"), ("sw18_shaanxi_sxdaily", "版")]:
        assert furniture not in titles[doc_id], (doc_id, titles[doc_id])
    assert titles["sw18_shaanxi_sxdaily"].startswith("刘国中在省碳达峰碳中和工作领导小组")  # below an e-paper header


def test_office_is_read_without_quotes_and_before_a_vague_date(real):
    rows = real.speeches.set_index("doc_id")
    assert rows.loc["sw05_hunan_crntt", "speaker_role"] == "湖南省发展改革委党组成员、副主任"
    assert rows.loc["sw06_heilongjiang_zmdce", "speaker_role"].startswith("黑龙江省委书记")  # …许勤近日主持


def test_a_notice_dated_under_its_issuer_does_not_date_the_page(held_out):
    # h04, h17: "…管委会 / 2023年5月26日" signs the notice the page reprints; the page's 6月8日 is not 2022.
    rows = held_out.speeches.set_index("doc_id")
    for doc_id in ("h04_chongqing_rafflentry", "h17_qinghai_lzzcloud"):
        assert pd.isna(rows.loc[doc_id, "date"]) or rows.loc[doc_id, "date"].year >= 2022, doc_id
    assert held_out.documents.set_index("doc_id")["published"].isna()["h04_chongqing_rafflentry"]


def test_a_current_date_widget_is_furniture_not_a_relative_date(held_out):
    row = held_out.speeches.set_index("doc_id").loc["h14_neimenggu_hhhtzx"]  # "当前日期：" holds 前日
    assert row["date"] == pd.Timestamp("2024-06-27") and "当前日期" not in row["lead"]


def test_an_event_year_after_a_purpose_clause_or_a_time_of_day(held_out):
    rows = held_out.speeches.set_index("doc_id")
    assert rows.loc["h09_shandong_wzxrmtzx", "date"] == pd.Timestamp("2023-08-29")  # 8月29日上午,2023绿色…大会
    assert rows.loc["h11_unnamed_wuhainews", "date"] == pd.Timestamp("2024-05-13")  # 为…,5月13日，…“2024年…宣传周”


def test_the_tier_of_the_body_holding_the_event(held_out):
    rows = held_out.speeches.set_index("doc_id")["admin_level"]
    assert rows["h04_chongqing_rafflentry"] == "district"  # 重庆市万盛经开区管委会
    assert rows["h06_gansu_kuainv"] == "district"  # 临夏市's 市委书记: a county-level city
    assert rows["h08_yunnan_jeffcaceres"] == "city"  # 云南省普洱市人民政府


def test_other_articles_after_related_news_never_give_the_speaker(tables):
    # q14: "相关新闻" then a 侨商 meeting where 万立骏 speaks; the article is 福建省省长王宁's.
    rows = tables["real_pages_4"].speeches.set_index("doc_id")
    assert (rows.loc["q14_fujian_taihainet", "speaker"], rows.loc["q14_fujian_taihainet", "speaker_role"]) == ("王宁", "福建省省长")
    assert "related_articles" in set(tables["real_pages_4"].quality["check"].str.removeprefix("furniture_"))


def test_a_name_before_its_office_is_the_speaker(tables):
    row = tables["real_pages_4"].speeches.set_index("doc_id").loc["q18_hainan_haikougov"]  # "，丁飞副市长在…召开"
    assert (row["speaker"], row["speaker_role"]) == ("丁飞", "副市长")
    title = tables["real_pages_4"].documents.set_index("doc_id").loc["q18_hainan_haikougov", "title"]
    assert title.startswith("丁飞副市长主持召开专题会议")  # not the "无障碍系统" switch above it


if __name__ == "__main__":
    for name in SETS:
        table = comparison(build_corpus(FIXTURES / name), name)
        print(name)
        print(table.groupby("field", sort=False)["ok"].agg(right="sum", pages="size").to_string())
    sys.exit(0)
