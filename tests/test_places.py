"""Tests for shuangtan.places: the reference table and name resolution used by the loaders."""

from __future__ import annotations

import pytest

from shuangtan.places import detect_provinces, province_info, provinces, resolve_province

# The 31 headings of the compilation seeds/003 as they read after cleaning (simplified).
COMPILATION_HEADINGS = {
    "北京市": "北京", "上海市": "上海", "天津市": "天津", "重庆市": "重庆", "安徽省": "安徽",
    "河南省": "河南", "陕西省": "陕西", "浙江省": "浙江", "山西省": "山西", "四川省": "四川",
    "江苏省": "江苏", "黑龙江省": "黑龙江", "辽宁省": "辽宁", "河北省": "河北", "福建省": "福建",
    "吉林省": "吉林", "贵州省": "贵州", "青海省": "青海", "云南省": "云南", "广东省": "广东",
    "甘肃省": "甘肃", "湖北省": "湖北", "江西省": "江西", "内蒙古自治区": "内蒙古", "山东省": "山东",
    "湖南省": "湖南", "宁夏自治区": "宁夏", "新疆自治区": "新疆", "广西自治区": "广西",
    "西藏自治区": "西藏", "海南省": "海南",
}


def test_table_has_31_units_with_unique_names_and_codes():
    table = provinces()
    assert len(table) == 31
    for column in ("short_name", "full_name", "iso_code", "english_name", "abbr"):
        assert table[column].is_unique, column
    assert table["iso_code"].str.fullmatch(r"CN-[A-Z]{2}").all()
    assert set(table["short_name"]) == set(COMPILATION_HEADINGS.values())


def test_regions_follow_the_nbs_four_way_split():
    table = provinces().set_index("short_name")
    assert set(table["region"]) == {"东部", "中部", "西部", "东北"}
    assert table["region"].value_counts().to_dict() == {"西部": 12, "东部": 10, "中部": 6, "东北": 3}
    english = dict(zip(table["region"], table["region_en"]))
    assert english == {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}
    assert table.loc["内蒙古", "region"] == "西部" and table.loc["广西", "region"] == "西部"
    assert table.loc["海南", "region"] == "东部" and table.loc["辽宁", "region"] == "东北"


def test_tile_grid_positions_are_distinct_and_inside_8_by_8():
    table = provinces()
    assert table[["tile_col", "tile_row"]].apply(tuple, axis=1).is_unique
    assert table["tile_col"].between(0, 7).all() and table["tile_row"].between(0, 7).all()
    # Geography sanity: Heilongjiang is north of Hainan, Xinjiang west of Shanghai.
    rows = table.set_index("short_name")
    assert rows.loc["黑龙江", "tile_row"] < rows.loc["海南", "tile_row"]
    assert rows.loc["新疆", "tile_col"] < rows.loc["上海", "tile_col"]


def test_provinces_returns_a_copy():
    table = provinces()
    table.loc[0, "short_name"] = "changed"
    assert provinces().loc[0, "short_name"] != "changed"


@pytest.mark.parametrize("heading, short", sorted(COMPILATION_HEADINGS.items()))
def test_every_compilation_heading_resolves(heading, short):
    assert resolve_province(heading) == short


@pytest.mark.parametrize("name, short", [
    ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"), ("宁夏回族自治区", "宁夏"),
    ("内蒙古", "内蒙古"), ("内蒙", "内蒙古"), ("龙江", "黑龙江"), ("北京", "北京"), (" 上海 市", "上海"),
])
def test_full_informal_and_spaced_names_resolve(name, short):
    assert resolve_province(name) == short


@pytest.mark.parametrize("name", ["火星省", "", None, "省", "自治区", "中国", "香港", "北京大学"])
def test_non_provinces_do_not_resolve(name):
    assert resolve_province(name) is None


def test_province_info_gives_the_reference_row_and_rejects_unknown_names():
    info = province_info("甘肃")
    assert (info["iso_code"], info["region"], info["capital"]) == ("CN-GS", "西部", "兰州")
    with pytest.raises(KeyError, match="火星"):
        province_info("火星")


def test_detect_provinces_counts_short_names_and_capitals_most_first():
    text = "浙江省委书记在杭州强调，浙江要率先行动。会上，宁波市负责人发言。"
    found = detect_provinces(text)
    assert list(found) == ["浙江"]
    assert found["浙江"] == 3  # 浙江 twice + the capital 杭州 once
    assert detect_provinces("中共中央政治局就碳达峰进行集体学习") == {}


# --------------------------------------------------------------------------- cities, districts, officials
from shuangtan.places import (abbreviation_provinces, admin_divisions, find_district_stems, find_places,  # noqa: E402
                              named_officials, offices_of, officials)


def test_admin_divisions_cover_every_province_with_cities_and_districts():
    table = admin_divisions()
    assert set(table["province"]) == set(provinces()["short_name"])
    assert set(table["level"]) == {"city", "district"}
    assert table["adcode"].str.fullmatch(r"\d{12}").all() and table["adcode"].is_unique
    assert len(table.loc[table["level"] == "city"]) > 300 and len(table.loc[table["level"] == "district"]) > 2800


@pytest.mark.parametrize("text, expected", [
    ("温州市委书记主持召开会议", [("温州市", "浙江", "city")]),
    ("在温州召开", [("温州", "浙江", "city")]),
    ("徐汇区召开碳达峰会议", [("徐汇区", "上海", "district")]),
    ("临夏州人大常委会赴永靖县调研", [("永靖县", "甘肃", "district")]),
    ("吉林市召开会议", [("吉林市", "吉林", "city")]),
    ("海南藏族自治州", [("海南藏族自治州", "青海", "city")]),
    ("浙江省委书记", [("浙江省", "浙江", "province")]),
    ("鼓楼区召开会议", []),  # several provinces have a 鼓楼区: not decided by the name
    ("要长治久安", []),
])
def test_find_places_resolves_cities_and_districts_to_their_province(text, expected):
    assert [(p.name, p.province, p.level) for p in find_places(text)] == expected


def test_district_short_names_are_read_only_on_request():
    assert find_places("加快推动徐汇绿色低碳发展") == []
    assert [(p.name, p.province) for p in find_district_stems("加快推动徐汇绿色低碳发展")] == [("徐汇", "上海")]


@pytest.mark.parametrize("text, expected", [("加快外电入皖进度", {"安徽": 1}), ("有效扩大“外电入鲁”规模", {"山东": 1}),
                                            ("调研组来晋开展调研", {"山西": 1}), ("进入新时代", {}), ("入云端", {})])
def test_one_character_abbreviations_count_only_in_context(text, expected):
    assert abbreviation_provinces(text) == expected


def test_officials_table_has_a_source_note_and_valid_tenures_for_every_row():
    table = officials()
    assert (table["source_note"].str.len() > 20).all()
    assert set(table["role"]) == {"secretary", "governor"}
    assert set(table["province"]) == set(provinces()["short_name"])
    assert (table["start_date"] <= table["end_date"]).all()


def test_tenure_decides_between_two_offices_of_one_person():
    assert [o["province"] for o in offices_of("郑栅洁", "2021-05-21")] == ["浙江"]
    assert [(o["province"], o["role"]) for o in offices_of("郑栅洁", "2022-08-31")] == [("安徽", "secretary")]
    assert {o["province"] for o in offices_of("郑栅洁")} == {"浙江", "安徽"}
    assert offices_of("张三", "2022-01-01") == []


def test_named_officials_in_order():
    assert named_officials("省长王清宪出席，省委书记郑栅洁主持") == ["王清宪", "郑栅洁"]
