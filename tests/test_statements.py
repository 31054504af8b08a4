"""Tests for shuangtan.statements on one-article pages: speaker, province, admin level, dates, metadata.

Each document is a short report written in the shape of real provincial news (see
tests/fixtures/real_pages for the pages themselves); every expected value is what a reader of the
text would say.
"""

from __future__ import annotations

import pickle

import pandas as pd

from shuangtan.corpus import build_corpus
from shuangtan.documents import DOCUMENT_COLUMNS, QUALITY_COLUMNS, Recorder
from shuangtan.statements import SPEECH_COLUMNS


def _corpus(tmp_path, documents: dict[str, str], metadata: str = ""):
    folder = tmp_path / "corpus"
    folder.mkdir(parents=True)
    for name, text in documents.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if metadata:
        (folder / "metadata.csv").write_text("doc_id,province,field,value,source_note\n" + metadata, encoding="utf-8")
    return build_corpus(folder)


def _row(tables, doc_id):
    return tables.speeches.set_index("doc_id").loc[doc_id]


def test_new_columns_are_declared():
    for column in ("published_source", "author", "url"):
        assert column in DOCUMENT_COLUMNS
    for column in ("admin_level", "date_before", "date_end"):
        assert column in SPEECH_COLUMNS
    assert QUALITY_COLUMNS[:3] == ["doc_id", "path", "check"]


def test_recorder_is_a_plain_picklable_dataclass(tmp_path):
    recorder = Recorder(tmp_path)
    recorder.note("a", "b", "check", "info", message="m")
    assert pickle.loads(pickle.dumps(recorder)).quality == recorder.quality


def test_speaker_is_the_one_who_speaks_not_the_one_who_presides(tmp_path):
    tables = _corpus(tmp_path, {"a": (
        "2022-03-02 09:00 来源：某市日报\n"
        "3月1日，全市碳达峰碳中和工作会议召开。市委副书记、市长张三主持，市委书记李四出席会议并讲话。\n"
        "李四强调，要坚定不移走生态优先、绿色低碳的高质量发展道路。\n")})
    row = _row(tables, "a")
    assert (row["speaker"], row["speaker_role"], row["speaker_source"]) == ("李四", "市委书记", "text")
    assert row["date"] == pd.Timestamp("2022-03-01") and row["date_source"] == "inferred"


def test_a_relayed_central_speech_has_no_local_speaker(tmp_path):
    tables = _corpus(tmp_path, {"a": "湖南省委常委会日前召开会议，传达学习习近平总书记在中央政治局集体学习时的重要讲话精神，研究部署碳达峰碳中和工作。\n"
                                     "会议指出，习近平总书记的重要讲话为做好工作指明了方向。\n"})
    row = _row(tables, "a")
    assert row["speaker"] == "" and row["province"] == "湖南" and row["admin_level"] == "province"
    assert pd.isna(row["date"]) and pd.isna(row["date_before"])
    assert "no_speaker" in set(tables.quality["check"])


def test_a_named_local_leader_in_a_relaying_meeting_is_the_speaker(tmp_path):
    tables = _corpus(tmp_path, {"a": "6月2日，省委书记王五主持召开省委常委会会议，传达学习习近平总书记重要讲话精神。王五强调，要抓好落实。\n"})
    assert _row(tables, "a")["speaker"] == "王五"


def test_province_from_the_speakers_office_and_tenure(tmp_path):
    text = ("发布时间：2022-09-01\n8月31日上午，省委书记郑栅洁主持召开省碳达峰碳中和工作领导小组第二次会议，听取我省工作汇报。"
            "郑栅洁在讲话中指出，要加快外电入皖进度。\n")
    row = _row(_corpus(tmp_path, {"a": text}), "a")
    assert (row["province"], row["admin_level"], row["speaker"]) == ("安徽", "province", "郑栅洁")
    earlier = text.replace("2022-09-01", "2021-05-22").replace("8月31日", "5月21日").replace("省委书记", "省长").replace("外电入皖进度", "落实")
    assert _row(_corpus(tmp_path / "b", {"a": earlier}), "a")["province"] == "浙江"


def test_city_and_district_statements_keep_their_province_and_say_their_level(tmp_path):
    tables = _corpus(tmp_path, {
        "city": "9月15日，温州市碳达峰碳中和工作领导小组召开第一次会议，市委书记赵六主持会议并讲话。\n",
        "district": "4月20日下午，我区召开碳达峰碳中和工作领导小组会议。区委副书记、区长孙七出席并讲话。孙七强调，要加快推动徐汇绿色低碳发展。\n",
        "county": "8月19日上午，平阳县召开碳达峰碳中和工作推进会，县委书记周八出席并讲话。\n",
        "municipality": "6月28日，上海市碳达峰碳中和工作领导小组会议召开，市委副书记、市长吴九指出，要坚定不移。\n",
    })
    rows = tables.speeches.set_index("doc_id")
    assert rows.loc["city", ["province", "admin_level", "level"]].tolist() == ["浙江", "city", "provincial"]
    assert rows.loc["district", ["province", "admin_level"]].tolist() == ["上海", "district"]
    assert rows.loc["county", ["province", "admin_level"]].tolist() == ["浙江", "district"]
    assert rows.loc["municipality", ["province", "admin_level"]].tolist() == ["上海", "province"]


def test_an_autonomous_region_saying_our_region_is_a_province(tmp_path):
    text = "6月4日下午，新疆自治区发展改革委召开全区碳达峰工作电视电话会议。自治区发展改革委主任王十出席会议并讲话。\n"
    row = _row(_corpus(tmp_path, {"a": text}), "a")
    assert (row["province"], row["admin_level"], row["speaker"]) == ("新疆", "province", "王十")


def test_a_national_body_visiting_is_central_with_the_visited_province(tmp_path):
    text = ("7月7日至7月11日，全国政协经济委员会调研组来内蒙古开展专题调研。全国政协常委、经济委员会副主任杨伟民出席座谈会。"
            "自治区政协主席李秀领主持座谈会。\n")
    row = _row(_corpus(tmp_path, {"a": "发布时间:2021/7/12 13:41:03\n" + text}), "a")
    assert (row["province"], row["level"], row["admin_level"], row["speaker"]) == ("内蒙古", "central", "central", "杨伟民")
    assert row["speaker_role"].startswith("全国政协")
    assert (row["date"], row["date_end"]) == (pd.Timestamp("2021-07-07"), pd.Timestamp("2021-07-11"))


def test_a_source_line_or_banner_never_decides_the_province(tmp_path):
    text = ("欢迎访问湖南红网\n发布时间：2025-11-08 20:51:18 来源：湖南日报\n"
            "新华社北京11月8日电 国务院新闻办公室8日发布《碳达峰碳中和的中国行动》白皮书。\n")
    row = _row(_corpus(tmp_path, {"a": text}), "a")
    assert pd.isna(row["province"]) and row["level"] == "central"
    assert row["date"] == pd.Timestamp("2025-11-08")


def test_no_place_at_all_asks_for_metadata_and_metadata_fills_it(tmp_path):
    text = "6月2日，区委副书记、区长马正华主持召开先导区建设方案过堂会。\n"
    tables = _corpus(tmp_path, {"a": text})
    assert pd.isna(_row(tables, "a")["province"]) and "unknown_province" in set(tables.quality["check"])
    tables = _corpus(tmp_path / "b", {"a": text}, "a,,province,江苏,the district's own portal\n")
    assert _row(tables, "a")["province"] == "江苏"


def test_document_level_speaker_row_fills_a_missing_speaker(tmp_path):
    text = "云南省委常委会日前召开会议，研究部署全省碳达峰碳中和相关工作。\n"
    tables = _corpus(tmp_path, {"a": text}, "a,,speaker,王宁,provincial party secretary chaired standing committee meetings\n")
    row = _row(tables, "a")
    assert (row["speaker"], row["speaker_source"]) == ("王宁", "metadata")
    assert "no_speaker" not in set(tables.quality["check"])


def test_metadata_date_fills_an_undated_statement_but_not_a_dated_one(tmp_path):
    tables = _corpus(tmp_path, {"a": "近日，省委书记王五主持召开会议。\n", "b": "2021年7月22日，省委书记王五主持召开会议。\n"},
                     "a,,date,2021-07-20,the provincial daily of 2021-07-21\nb,,date,2021-07-20,test\n")
    rows = tables.speeches.set_index("doc_id")
    assert (rows.loc["a", "date"], rows.loc["a", "date_source"]) == (pd.Timestamp("2021-07-20"), "metadata")
    assert (rows.loc["b", "date"], rows.loc["b", "date_source"]) == (pd.Timestamp("2021-07-22"), "text")
    assert tables.quality["message"].str.contains("metadata date 2021-07-20 ignored").any()


def test_undated_report_with_a_publication_date_gets_an_upper_bound(tmp_path):
    text = "时间：2022-10-19 11:30:43\n与会者围绕创建碳中和先行区踊跃发言，市委书记胡海峰表示要抓好落实。\n"
    row = _row(_corpus(tmp_path, {"a": text}), "a")
    assert pd.isna(row["date"]) and row["date_before"] == pd.Timestamp("2022-10-19")


def test_front_matter_url_and_header_author_reach_the_document_row(tmp_path):
    text = ("---\ntitle: 测试标题\nurl: https://example.org/x.html\ndate: 2022-02-22 10:35:00\n---\n"
            "本报讯（记者 张晶晶）2月21日，省长许昆林主持召开会议。\n")
    doc = _corpus(tmp_path, {"a": text}).documents.set_index("doc_id").loc["a"]
    assert (doc["title"], doc["url"], doc["author"]) == ("测试标题", "https://example.org/x.html", "张晶晶")
    assert (doc["published"], doc["published_source"]) == (pd.Timestamp("2022-02-22 10:35:00"), "front matter")
    assert not doc["text"].startswith("本报讯")


def test_ignored_metadata_rows_are_reported(tmp_path):
    text = "2021年7月22日，浙江省委书记袁家军主持召开会议。袁家军强调，要抓好落实。\n"
    tables = _corpus(tmp_path, {"a": text}, "a,,province,江苏,test\na,,year,2020,test\n")
    row = _row(tables, "a")
    assert (row["province"], row["date"]) == ("浙江", pd.Timestamp("2021-07-22"))
    messages = " ".join(tables.quality.loc[tables.quality["check"] == "metadata", "message"])
    assert "metadata province 江苏 ignored" in messages and "metadata year 2020 ignored" in messages


def test_a_lecturer_named_without_an_office_is_the_speaker(tmp_path):
    tables = _corpus(tmp_path, {"a": "讲座中，徐锭明围绕碳达峰碳中和的重要讲话精神作了解读。我省干部表示，要贡献力量。\n",
                                "b": "讲座中，专家围绕碳达峰作了解读。\n"})
    rows = tables.speeches.set_index("doc_id")
    assert (rows.loc["a", "speaker"], rows.loc["a", "speaker_role"]) == ("徐锭明", "")
    assert rows.loc["b", "speaker"] == ""


# One document per metadata field, written so that its text lacks that fact (level: suggests another one).
FIELD_CASES = {
    "year": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "2021", ("speeches", "date", pd.Timestamp("2021-07-22"))),
    "date": ("近日，浙江省委书记袁家军主持召开会议。\n", "2021-07-20", ("speeches", "date", pd.Timestamp("2021-07-20"))),
    "province": ("6月2日，区委副书记、区长马正华主持召开先导区建设方案过堂会。\n", "江苏", ("speeches", "province", "江苏")),
    "speaker": ("云南省委常委会日前召开会议，研究部署碳达峰碳中和工作。\n", "王宁", ("speeches", "speaker", "王宁")),
    "speaker_role": ("讲座中，徐锭明围绕碳达峰碳中和作了解读。\n", "国家能源专家咨询委员会副主任",
                     ("speeches", "speaker_role", "国家能源专家咨询委员会副主任")),
    "occasion": ("近日，浙江省委书记袁家军强调，要抓好碳达峰碳中和工作。\n", "省委常委会会议",
                 ("speeches", "occasion", "省委常委会会议")),
    "level": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "市", ("speeches", "admin_level", "city")),
    "title": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "浙江部署碳达峰", ("documents", "title", "浙江部署碳达峰")),
    "source": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "浙江日报", ("documents", "source", "浙江日报")),
    "author": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "张三", ("documents", "author", "张三")),
    "url": ("7月22日，浙江省委书记袁家军主持召开会议。\n", "https://example.org/a.html",
            ("documents", "url", "https://example.org/a.html")),
    "published": ("日前，浙江省委书记袁家军主持召开会议。\n", "2021-07-23",
                  ("documents", "published", pd.Timestamp("2021-07-23"))),
}


def test_every_metadata_field_reaches_the_tables(tmp_path):
    """Each field metadata.csv accepts changes the tables when the text lacks the fact: none is dropped silently."""
    from shuangtan.sidecars import ALLOWED_FIELDS

    assert set(FIELD_CASES) == set(ALLOWED_FIELDS)
    bare = _corpus(tmp_path / "bare", {field: text for field, (text, _, _) in FIELD_CASES.items()})
    tables = _corpus(tmp_path / "meta", {field: text for field, (text, _, _) in FIELD_CASES.items()},
                     "".join(f"{field},,{field},{value},test\n" for field, (_, value, _) in FIELD_CASES.items()))
    for field, (_text, _value, (table, column, expected)) in FIELD_CASES.items():
        before = getattr(bare, table).set_index("doc_id").loc[field, column]
        after = getattr(tables, table).set_index("doc_id").loc[field, column]
        assert after == expected and not before == expected, (field, before, after)
    rows = tables.speeches.set_index("doc_id")
    assert rows.loc["published", "date_before"] == pd.Timestamp("2021-07-23")  # 日前: bounded by the metadata date
    assert tables.documents.set_index("doc_id").loc["published", "published_source"] == "metadata"
    assert "admin level city from metadata.csv replaces province" in " ".join(tables.quality["message"])


def test_metadata_office_and_occasion_never_replace_what_the_text_gives(tmp_path):
    text = "7月22日，浙江省委书记袁家军主持召开省碳达峰碳中和工作领导小组会议。\n"
    tables = _corpus(tmp_path, {"a": text}, "a,,speaker_role,省长,test\na,,occasion,座谈会,test\n")
    row = _row(tables, "a")
    assert (row["speaker_role"], row["occasion"]) == ("浙江省委书记", "省碳达峰碳中和工作领导小组会议")
    messages = " ".join(tables.quality.loc[tables.quality["check"] == "metadata", "message"])
    assert "metadata speaker_role 省长 ignored" in messages and "metadata occasion 座谈会 ignored" in messages


def test_yu_is_a_surname_but_yu_jinri_is_no_name(tmp_path):
    tables = _corpus(tmp_path, {
        "a": "8月3日，北京市生态环境局副局长、新闻发言人于建华在峰会上发表致辞时表示，要做好碳达峰工作。\n",
        "b": "浙江省委书记于近日主持召开会议，研究部署碳达峰碳中和工作。\n"})
    rows = tables.speeches.set_index("doc_id")
    assert (rows.loc["a", "speaker"], rows.loc["a", "speaker_role"]) == ("于建华", "北京市生态环境局副局长、新闻发言人")
    assert rows.loc["b", "speaker"] != "于近日"
