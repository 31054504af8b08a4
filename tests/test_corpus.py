"""Tests for shuangtan.corpus on the real seeds: documents, the 35 statements, and the quality report.

The expected table of the compilation (seeds/003) was typed from the traditional-character text by
reading it, converted to simplified by hand; it is not derived from the library's output.
"""

from __future__ import annotations

import re
import shutil

import opencc
import pandas as pd
import pytest

from shuangtan.han import HAN, variants
from shuangtan.corpus import (DOCUMENT_COLUMNS, QUALITY_COLUMNS, SPEECH_COLUMNS, build_corpus, load_documents,
                              load_speeches, quality_report)
from shuangtan.reuse import shared_passages
from shuangtan.files import read_document
from shuangtan.places import provinces

COMPILATION = "003_40244c0166258a0d"
# Entry number -> (province, date, speaker) as printed in seeds/003 (entry 21 names no speaker).
ENTRIES = {
    1: ("北京", "2021-05-29", "蔡奇"),
    2: ("上海", "2021-07-16", "李强"),
    3: ("天津", "2021-11-06", "李鸿忠"),
    4: ("重庆", "2021-12-24", "陈敏尔"),
    5: ("安徽", "2021-12-04", "郑栅洁"),
    6: ("河南", "2021-07-07", "楼阳生"),
    7: ("陕西", "2021-08-19", "刘国中"),
    8: ("浙江", "2021-07-20", "袁家军"),
    9: ("山西", "2021-12-27", "林武"),
    10: ("四川", "2021-06-29", "彭清华"),
    11: ("江苏", "2021-12-22", "吴政隆"),
    12: ("黑龙江", "2022-02-07", "许勤"),
    13: ("辽宁", "2021-05-11", "张国清"),
    14: ("河北", "2022-03-18", "王东峰"),
    15: ("福建", "2021-12-20", "尹力"),
    16: ("吉林", "2021-11-04", "景俊海"),
    17: ("贵州", "2021-10-28", "谌贻琴"),
    18: ("青海", "2021-05-18", "王建军"),
    19: ("云南", "2021-04-13", "阮成发"),
    20: ("广东", "2021-06-02", "李希"),
    21: ("甘肃", "2022-02-18", None),
    22: ("湖北", "2021-07-13", "应勇"),
    23: ("江西", "2021-11-18", "易炼红"),
    24: ("内蒙古", "2022-01-06", "石泰峰"),
    25: ("山东", "2021-09-14", "刘家义"),
    26: ("湖南", "2021-10-20", "周震虹"),
    27: ("宁夏", "2021-05-14", "陈润儿"),
    28: ("新疆", "2022-01-01", "马兴瑞"),
    29: ("广西", "2022-01-28", "刘宁"),
    30: ("西藏", "2022-01-29", "王君正"),
    31: ("海南", "2021-05-17", "沈晓明"),
}
# The statements outside the compilation: doc id -> (level, province, date, date_source, speaker).
OTHER_STATEMENTS = {
    # 000 and 001 print only month and day: the year comes from the publication date (inferred).
    "000_18aacb4e4a36c856": ("central", None, "2022-01-24", "inferred", "习近平"),
    "001_9222412ebf730171": ("central", None, "2022-01-06", "inferred", "刘德春"),
    "002_1866d2bbd4d0eafa": ("provincial", "浙江", "2021-05-21", "metadata", "袁家军"),
    "004_f799dbbec6d66dff": ("provincial", "山西", "2021-07-22", "metadata", "林武"),
}
# The four garbled spans of seeds/003 (see NOTES.md) and what corrections.csv turns each passage into.
MOJIBAKE = {
    "?qū)嵤┨": "有序实施碳达峰碳中和山西行动",
    "?shù)": "交通运输等重点领域节能减排",
    "?zé)": "“全域地热三峡”",
    "?;s": "推进新能源规模化集约化开发",
}
TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A Han character followed by a parenthesised syllable with a tone mark or tone number.
PINYIN_ANNOTATION = re.compile(rf"[{HAN}][(（][a-zü{TONE}]*(?:[{TONE}][a-zü]*|[1-5])[)）]")
_T2S = opencc.OpenCC("t2s")


def traditional_characters(text: str) -> set[str]:
    """Return the characters of the text that OpenCC t2s (or the variants table) would change."""
    return {c for c in set(text) if _T2S.convert(c) != c or c in variants()}


@pytest.fixture(scope="module")
def documents(seed_corpus):
    return seed_corpus.documents.set_index("doc_id")


@pytest.fixture(scope="module")
def speeches(seed_corpus):
    return seed_corpus.speeches


@pytest.fixture(scope="module")
def quality(seed_corpus):
    return seed_corpus.quality


@pytest.fixture(scope="module")
def compilation(speeches):
    rows = speeches.loc[speeches["doc_id"] == COMPILATION].copy()
    rows["entry"] = rows["speech_id"].str.rsplit("-", n=1).str[1].astype(int)
    return rows.set_index("entry")


# --------------------------------------------------------------------------- documents
def test_public_loaders_agree_with_build_corpus(seeds_path, seed_corpus):
    pd.testing.assert_frame_equal(load_documents(seeds_path), seed_corpus.documents)
    pd.testing.assert_frame_equal(load_speeches(seeds_path), seed_corpus.speeches)
    pd.testing.assert_frame_equal(quality_report(seeds_path), seed_corpus.quality)


def test_loaders_return_copies(seeds_path):
    table = load_speeches(seeds_path)
    table.loc[:, "speaker"] = "changed"
    assert "changed" not in set(load_speeches(seeds_path)["speaker"])


def test_five_documents_all_ok_in_file_order(documents):
    assert list(documents.columns) == DOCUMENT_COLUMNS[1:]
    assert list(documents.index) == sorted(OTHER_STATEMENTS)[:3] + [COMPILATION] + ["004_f799dbbec6d66dff"]
    assert (documents["status"] == "ok").all() and (documents["error"] == "").all()
    assert documents["n_speeches"].to_dict() == {**{d: 1 for d in OTHER_STATEMENTS}, COMPILATION: 31}
    assert (documents["n_chars"] == documents["text"].str.len()).all()
    assert documents["sha1"].str.fullmatch("[0-9a-f]{40}").all()


def test_document_metadata(documents):
    assert documents.loc["000_18aacb4e4a36c856", "title"] == "把系统观念贯穿_双碳_工作全过程"
    assert documents.loc["000_18aacb4e4a36c856", "source"] == "ZAKER"
    # Front matter says "Tue, 25 Jan 2022 17:07:55 GMT": stored as China local time (UTC+8), never UTC.
    assert documents.loc["000_18aacb4e4a36c856", "published"] == pd.Timestamp("2022-01-26 01:07:55")
    assert documents.loc["001_9222412ebf730171", "source"] == "新浪财经"
    assert documents.loc["001_9222412ebf730171", "published"] == pd.Timestamp("2022-01-07 20:45:47")
    assert (documents.loc[["000_18aacb4e4a36c856", "001_9222412ebf730171"], "published_source"] == "front matter").all()
    assert documents.loc["002_1866d2bbd4d0eafa", "source"] == "微信公众号 zhejiangjingxin"
    assert documents.loc["004_f799dbbec6d66dff", "source"] == "山西日报"
    assert documents["script"].to_dict() == {
        "000_18aacb4e4a36c856": "simplified", "001_9222412ebf730171": "simplified",
        "002_1866d2bbd4d0eafa": "simplified", COMPILATION: "traditional", "004_f799dbbec6d66dff": "traditional"}


# --------------------------------------------------------------------------- speeches
def test_speeches_table_shape(speeches):
    assert list(speeches.columns) == SPEECH_COLUMNS
    assert len(speeches) == 35 and speeches["speech_id"].is_unique
    assert speeches["level"].value_counts().to_dict() == {"provincial": 33, "central": 2}
    provincial = speeches.loc[speeches["level"] == "provincial"]
    assert provincial["province"].nunique() == 31
    assert provincial["province"].value_counts().loc[["浙江", "山西"]].tolist() == [2, 2]
    assert pd.api.types.is_datetime64_any_dtype(speeches["date"]) and speeches["date"].notna().all()
    assert (speeches["n_chars"] == speeches["text"].str.len()).all() and (speeches["n_chars"] > 0).all()


def test_province_codes_and_regions_come_from_the_reference_table(speeches):
    reference = provinces().set_index("short_name")
    provincial = speeches.loc[speeches["level"] == "provincial"]
    assert (provincial["province_code"] == reference.loc[provincial["province"], "iso_code"].values).all()
    assert (provincial["region"] == reference.loc[provincial["province"], "region"].values).all()
    central = speeches.loc[speeches["level"] == "central"]
    assert central[["province", "province_code", "region"]].isna().all().all()


def test_compilation_has_31_entries_in_order(compilation):
    assert list(compilation.index) == list(range(1, 32))
    assert list(compilation["speech_id"]) == [f"{COMPILATION}-{n:02d}" for n in range(1, 32)]
    assert (compilation["level"] == "provincial").all()


@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_compilation_entry_province_date_speaker(compilation, entry):
    province, date, speaker = ENTRIES[entry]
    row = compilation.loc[entry]
    assert row["province"] == province
    assert row["date"] == pd.Timestamp(date)
    assert row["date_source"] == "text"  # every entry prints its year
    if speaker is not None:
        assert (row["speaker"], row["speaker_source"]) == (speaker, "text")


def test_gansu_speaker_comes_from_metadata_with_its_source(compilation, quality):
    row = compilation.loc[21]
    assert (row["province"], row["speaker"], row["speaker_source"]) == ("甘肃", "尹弘", "metadata")
    assert row["speaker_role"] == "甘肃省委书记"
    assert "尹弘" not in row["lead"]  # the text itself names nobody
    assert not ((quality["check"] == "no_speaker") & (quality["span"] == row["speech_id"])).any()


def test_only_gansu_relies_on_metadata_in_the_compilation(compilation):
    assert list(compilation.index[compilation["speaker_source"] != "text"]) == [21]


@pytest.mark.parametrize("doc_id", sorted(OTHER_STATEMENTS))
def test_statements_outside_the_compilation(speeches, doc_id):
    level, province, date, date_source, speaker = OTHER_STATEMENTS[doc_id]
    rows = speeches.loc[speeches["doc_id"] == doc_id]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["speech_id"] == f"{doc_id}-01"
    assert row["level"] == level
    assert (row["province"] == province) if province else pd.isna(row["province"])
    assert row["date"] == pd.Timestamp(date)
    assert row["date_source"] == date_source
    assert row["speaker"] == speaker
    if date_source == "metadata":
        assert row["date_note"].startswith("year from metadata.csv")
    if date_source == "inferred":
        assert "publication date (front matter)" in row["date_note"]


def test_compilation_dates_span_april_2021_to_march_2022(compilation):
    assert compilation["date"].min() == pd.Timestamp("2021-04-13")
    assert compilation["date"].max() == pd.Timestamp("2022-03-18")


# --------------------------------------------------------------------------- clean text everywhere
def _cleaned_strings(documents, speeches):
    yield from documents.loc[documents["status"] == "ok", "text"].items()
    for column in ("text", "lead", "occasion", "speaker", "speaker_role", "title"):
        frame = speeches if column in speeches else documents
        yield from frame[column].dropna().items()


def test_no_traditional_character_left_in_any_clean_text(documents, speeches):
    for key, text in _cleaned_strings(documents, speeches):
        assert not traditional_characters(text), (key, traditional_characters(text))


def test_no_pinyin_annotation_left_in_any_clean_text(documents, speeches):
    for key, text in _cleaned_strings(documents, speeches):
        assert not PINYIN_ANNOTATION.search(text), (key, PINYIN_ANNOTATION.findall(text))


def test_the_checks_above_would_catch_a_leftover(documents):
    assert traditional_characters("碳達峰") == {"達"} and traditional_characters("陜西") == {"陜"}
    assert PINYIN_ANNOTATION.search("實(shí)現") and PINYIN_ANNOTATION.search("实（shi2）现")
    assert not PINYIN_ANNOTATION.search("全体(扩大)会议，国际能源署(IEA)")


def test_real_parentheses_survive(documents, compilation):
    text = documents.loc[COMPILATION, "text"]
    assert "全体(扩大)会议" in text and "常委会(扩大)会议" in text
    assert "(扩大)" in compilation.loc[7, "lead"] and "(扩大)" in compilation.loc[30, "lead"]
    assert "“1+N”政策体系" in compilation.loc[7, "text"]


# --------------------------------------------------------------------------- quality report
def test_quality_report_columns_and_severities(quality):
    assert list(quality.columns) == QUALITY_COLUMNS
    assert set(quality["severity"]) <= {"info", "warning", "error"}
    assert not (quality["severity"] == "error").any()


def test_the_four_mojibake_spans_are_reported_with_positions(quality, seeds_path):
    mine = quality.loc[(quality["doc_id"] == COMPILATION) & (quality["check"] == "mojibake")]
    rows = mine.loc[mine["severity"] == "warning"]
    assert list(rows["span"]) == list(MOJIBAKE)
    raw = read_document(seeds_path / f"{COMPILATION}.txt").text
    for position, span in zip(rows["position"], rows["span"]):
        assert raw[position:position + len(span)] == span
    assert rows["position"].is_monotonic_increasing
    assert rows["message"].str.contains("corrections.csv").all()
    assert mine.loc[mine["severity"] == "info", "count"].tolist() == [4]  # the step's own count


def test_the_mojibake_is_repaired_by_corrections_csv(documents, quality, compilation):
    text = documents.loc[COMPILATION, "text"]
    for repaired in MOJIBAKE.values():
        assert repaired in text
    assert "?" not in text and "�" not in text
    applied = quality.loc[(quality["doc_id"] == COMPILATION) & (quality["check"] == "corrections")]
    assert applied["count"].tolist() == [4]  # one info row: four repairs, no stale entry
    assert "有序实施碳达峰碳中和山西行动" in compilation.loc[9, "text"]
    assert "规模化集约化开发" in compilation.loc[21, "text"]


def test_without_corrections_csv_the_spans_stay_reported_and_unrepaired(seeds_path, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(seeds_path / f"{COMPILATION}.txt", folder)
    tables = build_corpus(folder)
    text = tables.documents["text"].iloc[0]
    assert "有序实施碳达峰" not in text and "规模化集约化" not in text
    reported = tables.quality.loc[(tables.quality["check"] == "mojibake") & (tables.quality["severity"] == "warning")]
    assert list(reported["span"]) == list(MOJIBAKE)


def test_stale_correction_is_reported(seeds_path, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(seeds_path / "004_f799dbbec6d66dff.txt", folder)
    (folder / "corrections.csv").write_text(
        "doc_id,wrong,right,note\n004_f799dbbec6d66dff,不存在的文字,替换,test\n", encoding="utf-8")
    quality = build_corpus(folder).quality
    stale = quality.loc[(quality["check"] == "corrections") & (quality["severity"] == "warning")]
    assert list(stale["span"]) == ["不存在的文字"] and "stale" in stale["message"].iloc[0]


def test_repeated_yunnan_sentence_is_removed_and_counted(quality, compilation):
    sentence = "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革，与云南密切相关。"
    assert compilation.loc[19, "text"].count(sentence) == 1
    rows = quality.loc[(quality["doc_id"] == COMPILATION) & (quality["check"] == "repeated_sentences")]
    assert rows.loc[rows["severity"] == "warning", "span"].tolist() == [sentence]
    assert rows.loc[rows["severity"] == "info", "count"].tolist() == [1]


def test_zhejiang_near_duplicate_lead_is_removed_and_counted(documents, quality):
    text = documents.loc["002_1866d2bbd4d0eafa", "text"]
    assert text.startswith("5月21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。他强调")
    assert text.count("全省碳达峰碳中和工作推进会在杭州召开") == 1
    rows = quality.loc[(quality["doc_id"] == "002_1866d2bbd4d0eafa") & (quality["check"] == "near_duplicate_sentences")]
    assert rows.loc[rows["severity"] == "warning", "span"].tolist() == [
        "21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。"]


def test_zhejiang_shared_passage_between_002_and_003_is_reported(quality, documents):
    shared = quality.loc[quality["check"] == "shared_passage"]
    pairs = {(row.doc_id, re.search(r"appear in (\S+) at", row.message).group(1)) for row in shared.itertuples()}
    assert ("002_1866d2bbd4d0eafa", COMPILATION) in pairs and (COMPILATION, "002_1866d2bbd4d0eafa") in pairs
    mine = shared.loc[(shared["doc_id"] == "002_1866d2bbd4d0eafa") & shared["message"].str.contains(COMPILATION)]
    assert mine["count"].max() >= 100  # the 按照“全国一盘棋”的要求 … passage is well over 100 characters
    for row in shared.itertuples():  # positions point into the clean text of that document
        text = documents.loc[row.doc_id, "text"]
        assert text[row.position:row.position + len(row.span)] == row.span


def test_shared_passages_finds_maximal_runs():
    common = "要深入学习贯彻习近平生态文明思想和总书记关于碳达峰碳中和重要论述精神"
    found = shared_passages({"a": "甲乙丙" + common + "丁", "b": common + "戊己", "c": "毫不相干的一句话" * 5})
    assert found == [("a", 3, "b", 0, len(common))]
    assert shared_passages({"a": common[:20], "b": common[:20]}) == []  # shorter than the minimum


def test_seed_boilerplate_does_not_leak(documents):
    leaks = {
        "000_18aacb4e4a36c856": ["http", "zkres", "iframe", "<", "&"],
        "001_9222412ebf730171": ["appendQr", "&#123;", "{", "font-size", "原标题", "新浪财经APP", "责任编辑", "<!--"],
        "002_1866d2bbd4d0eafa": ["微信号", "zhejiangjingxin", "功能介绍", "您手中的浙江经信", "往期", "推荐◆",
                                 "看一看", "朋友在看", "微信扫一扫", "已发送"],
        "004_f799dbbec6d66dff": ["山西日报报道", "责任编辑", "吉政"],
    }
    for doc_id, fragments in leaks.items():
        text = documents.loc[doc_id, "text"]
        for fragment in fragments:
            assert fragment not in text, (doc_id, fragment)


def test_seed_content_survives_cleaning(documents):
    kept = {
        "000_18aacb4e4a36c856": ["1月24日，中共中央政治局", "实现2030年前碳排放达峰", "政府和市场4对关系"],
        "001_9222412ebf730171": ["加快完善碳达峰碳中和“1+N”政策体系。", "司长刘德春主持会议并作总结",
                                 "维护《联合国气候变化框架公约》"],
        "002_1866d2bbd4d0eafa": ["会议以视频会议形式召开，各市县设分会场。省直有关单位负责人参加。"],
        "004_f799dbbec6d66dff": ["7月22日，省委书记", "蓝佛安", "确保如期实现目标。"],
    }
    for doc_id, fragments in kept.items():
        for fragment in fragments:
            assert fragment in documents.loc[doc_id, "text"], (doc_id, fragment)


def test_compilation_introduction_is_not_attributed(quality, compilation):
    intro = quality.loc[(quality["doc_id"] == COMPILATION) & (quality["check"] == "unattributed_text")]
    assert len(intro) == 1 and intro["count"].iloc[0] > 100
    assert not compilation["text"].str.contains("本文梳理了").any()


# --------------------------------------------------------------------------- metadata behaviour
def _copy_seed(seeds_path, folder, doc_id):
    folder.mkdir(exist_ok=True)
    shutil.copy(seeds_path / f"{doc_id}.txt", folder)


def test_without_metadata_the_yearless_date_is_missing_and_explained(seeds_path, tmp_path):
    folder = tmp_path / "seeds"
    _copy_seed(seeds_path, folder, "004_f799dbbec6d66dff")
    tables = build_corpus(folder)
    row = tables.speeches.iloc[0]
    assert pd.isna(row["date"]) and "add a 'year' row to metadata.csv" in row["date_note"]
    assert (tables.quality["check"] == "undated_statement").sum() == 1


def test_metadata_speaker_never_overrides_the_text(seeds_path, tmp_path):
    folder = tmp_path / "seeds"
    _copy_seed(seeds_path, folder, "004_f799dbbec6d66dff")
    (folder / "metadata.csv").write_text(
        "doc_id,province,field,value,source_note\n"
        "004_f799dbbec6d66dff,,year,2021,test\n"
        "004_f799dbbec6d66dff,山西,speaker,张三,test\n"
        "004_f799dbbec6d66dff,,year,2020,\n"
        "999_missing,,year,2021,test\n", encoding="utf-8")
    tables = build_corpus(folder)
    row = tables.speeches.iloc[0]
    assert (row["speaker"], row["speaker_source"], row["date"]) == ("林武", "text", pd.Timestamp("2021-07-22"))
    messages = " ".join(tables.quality.loc[tables.quality["check"] == "metadata", "message"])
    assert "张三 ignored" in messages and "no source_note" in messages and "999_missing" in messages
