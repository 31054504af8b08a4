"""Tests for the rule-based occasion classifier (rules in data/occasion_rules.yaml)."""

from __future__ import annotations

import pytest

from shuangtan.occasions import classify_occasion, occasion_labels, occasion_rules

# Real occasion texts from the compilation and the other seeds (simplified), with the expected type.
REAL_OCCASIONS = [
    ("到城市副中心调查研究座谈", "inspection_visit"),
    ("全国碳市场上线交易正式启动", "public_event"),
    (
        "天津市委理论学习中心组集体学习暨天津市推进碳达峰碳中和工作会议、市推进碳达峰碳中和工作领导小组会议",
        "theory_study",
    ),
    ("推动成渝地区双城经济圈建设重庆四川党政联席会议第四次会议", "joint_regional_meeting"),
    ("主持召开省碳达峰碳中和工作领导小组会议", "leading_group"),
    ("省委经济工作会议", "economic_work_conference"),
    ("主持召开省委常委会会议", "standing_committee"),
    ("人民日报刊发署名文章《奋力实现辽宁振兴发展新突破》", "signed_article"),
    ("贵阳会见宁德时代新能源科技股份有限公司董事长曾毓群一行", "inspection_visit"),
    ("省政府召开专家学者建言资政座谈会", "symposium"),
    ("传达学习习近平总书记在中央财经委员会第九次会议上的重要讲话", "relaying_central"),
    ("省委理论学习中心组举行2022年第一次专题学习会", "theory_study"),
    ("赴湖北碳排放权交易中心调研碳市场建设工作", "inspection_visit"),
    ("长江中游城市群碳达峰与碳中和峰会新闻发布会", "press_conference"),
    ("主持召开会议听取全区贯彻落实推动实现碳达峰碳中和目标有关情况汇报", "work_conference"),
    ("走访中石油独山子石化", "inspection_visit"),
    ("主持召开自治区党委常委会（扩大）会议", "standing_committee"),
    ("全省生态环境保护工作会议", "work_conference"),
    ("山东省委财经委员会", "finance_economic_commission"),
    ("全省碳达峰碳中和工作推进会", "work_conference"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_OCCASIONS)
def test_real_occasions_are_classified(text: str, expected: str) -> None:
    assert classify_occasion(text) == expected


def test_missing_occasion_is_unknown() -> None:
    assert classify_occasion(None) == "unknown"
    assert classify_occasion("") == "unknown"


def test_text_matching_no_specific_rule_is_other() -> None:
    assert classify_occasion("答记者问") == "other"


def test_first_matching_rule_wins() -> None:
    # 调查研究座谈 contains both an inspection and a symposium keyword: the earlier rule decides.
    assert classify_occasion("调查研究座谈") == "inspection_visit"
    assert classify_occasion("专家座谈会") == "symposium"


def test_every_type_has_an_english_label() -> None:
    labels = occasion_labels()
    for occasion_type, label, _pattern in occasion_rules():
        assert labels[occasion_type] == label
        assert label.strip()
    assert labels["unknown"] == "Unknown"


def test_rule_types_are_unique() -> None:
    types = [occasion_type for occasion_type, _label, _pattern in occasion_rules()]
    assert len(types) == len(set(types))
