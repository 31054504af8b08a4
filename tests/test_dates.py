"""Tests for shuangtan.dates: publication dates in common forms and event dates resolved against them."""

from __future__ import annotations

import pandas as pd
import pytest

from shuangtan.dates import event_date, find_dateline, parse_date_text

PUBLISHED = pd.Timestamp("2022-01-05 10:35")


@pytest.mark.parametrize("value, expected", [
    ("2022-02-22 10:35:00", "2022-02-22 10:35:00"),
    ("2022-02-22 10:35", "2022-02-22 10:35:00"),
    ("2022年2月22日", "2022-02-22"),
    ("2021年08月19日 19:15:00", "2021-08-19 19:15:00"),
    ("2022/02/22", "2022-02-22"),
    ("2021/7/12 13:41:03", "2021-07-12 13:41:03"),
    ("2022.02.22", "2022-02-22"),
    ("Tue, 25 Jan 2022 17:07:55 GMT", "2022-01-26 01:07:55"),  # China local time, never UTC
    ("2022-01-05T23:30:00+08:00", "2022-01-05 23:30:00"),  # local date kept: not shifted to the 5th 15:30 UTC
])
def test_publication_dates_in_common_forms(value, expected):
    assert parse_date_text(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("value", [None, "", "昨天", "2022-13-45", "not a date"])
def test_unreadable_publication_dates_are_none(value):
    assert parse_date_text(value) is None


def test_a_full_date_in_the_text_is_the_date():
    found = event_date("2021年5月29日，北京市委书记蔡奇到城市副中心调查研究", PUBLISHED)
    assert (found.date, found.date_source, found.date_note) == (pd.Timestamp("2021-05-29"), "text", "")


def test_month_day_takes_the_publication_year_with_a_note():
    found = event_date("1月3日上午，省委书记主持召开会议", PUBLISHED, "publication date (page header)")
    assert (found.date, found.date_source) == (pd.Timestamp("2022-01-03"), "inferred")
    assert "2022-01-05" in found.date_note and "page header" in found.date_note


def test_a_december_event_in_a_january_article_is_the_previous_year():
    found = event_date("12月20日，省委常委会召开会议", PUBLISHED)
    assert found.date == pd.Timestamp("2021-12-20") and found.date_source == "inferred"


def test_the_event_is_never_after_publication_even_on_the_same_year():
    assert event_date("1月6日召开", PUBLISHED).date == pd.Timestamp("2021-01-06")
    assert event_date("1月5日召开", PUBLISHED).date == pd.Timestamp("2022-01-05")


def test_metadata_year_comes_before_inference_and_a_stated_year_before_both():
    found = event_date("7月22日，省委书记林武主持召开", PUBLISHED, metadata_year=("2021", "note"))
    assert (found.date, found.date_source) == (pd.Timestamp("2021-07-22"), "metadata")
    found = event_date("2020年7月22日召开", PUBLISHED, metadata_year=("2021", "note"))
    assert (found.date, found.date_source) == (pd.Timestamp("2020-07-22"), "text")


@pytest.mark.parametrize("word, expected", [("昨天下午", "2022-01-04"), ("前天", "2022-01-03"), ("今天上午", "2022-01-05"),
                                            ("昨日", "2022-01-04")])
def test_relative_days_resolve_against_publication(word, expected):
    found = event_date(f"{word}，市委书记主持召开会议", PUBLISHED)
    assert (found.date, found.date_source) == (pd.Timestamp(expected), "inferred")
    assert "2022-01-05" in found.date_note


def test_a_relative_day_that_disagrees_with_its_own_day_is_not_a_date():
    found = event_date("会议今天(28日)召开", PUBLISHED)
    assert pd.isna(found.date) and found.date_before == pd.Timestamp("2022-01-05")


def test_relative_days_without_publication_stay_empty_with_advice():
    found = event_date("昨日，市政协召开通报会", pd.NaT)
    assert pd.isna(found.date) and pd.isna(found.date_before) and "metadata.csv" in found.date_note


@pytest.mark.parametrize("word", ["日前", "近日", "近期"])
def test_vague_words_are_not_dates_but_give_an_upper_bound(word):
    found = event_date(f"云南省委常委会{word}召开会议", PUBLISHED)
    assert pd.isna(found.date) and found.date_source == ""
    assert found.date_before == pd.Timestamp("2022-01-05") and word in found.date_note


def test_a_range_gives_the_start_and_keeps_the_end():
    found = event_date("7月7日至7月11日，全国政协调研组来内蒙古", pd.Timestamp("2021-07-12"))
    assert (found.date, found.date_end) == (pd.Timestamp("2021-07-07"), pd.Timestamp("2021-07-11"))
    found = event_date("7月18日至22日，调研组在浙江调研", pd.Timestamp("2021-08-01"))
    assert (found.date, found.date_end) == (pd.Timestamp("2021-07-18"), pd.Timestamp("2021-07-22"))


def test_a_range_without_any_year_stays_empty():
    found = event_date("6月17日至20日，调研组在山西开展专题调研", pd.NaT)
    assert pd.isna(found.date) and pd.isna(found.date_end) and "metadata.csv" in found.date_note


def test_a_wire_dateline_is_the_report_date_not_the_event_date():
    assert find_dateline("中评社北京7月27日电（记者 张三）国家发展改革委26日召开会议").group(0).startswith("中评社北京7月27日电")
    found = event_date("中评社北京7月27日电 7月26日，国家发展改革委召开会议", pd.Timestamp("2021-07-27 20:00"))
    assert found.date == pd.Timestamp("2021-07-26")
    found = event_date("新华社北京11月8日电(记者魏玉坤)国务院新闻办公室8日发布白皮书", pd.Timestamp("2025-11-08 20:51"))
    assert (found.date, found.date_source) == (pd.Timestamp("2025-11-08"), "inferred")


def test_a_dateline_alone_dates_the_report():
    found = event_date("新华社杭州5月21日电 浙江省碳达峰碳中和工作推进会召开", pd.Timestamp("2021-05-22"))
    assert (found.date, found.date_source) == (pd.Timestamp("2021-05-21"), "dateline")


def test_year_hint_only_when_nothing_else_gives_a_year():
    hint = ("2021", "the year from '2021年度' in the text")
    assert event_date("4月29日，区委书记主持召开2021年度第二次会议", pd.NaT, year_hint=hint).date == pd.Timestamp("2021-04-29")
    assert event_date("4月29日召开", pd.Timestamp("2022-05-01"), year_hint=hint).date == pd.Timestamp("2022-04-29")


def test_target_years_are_not_dates():
    found = event_date("要在2025年前实现碳达峰", PUBLISHED)
    assert pd.isna(found.date)


def test_written_out_numbers():
    assert event_date("七月二十二日，省委书记主持召开", PUBLISHED).date == pd.Timestamp("2021-07-22")
