"""Tests for shuangtan.sidecars: metadata.csv and corrections.csv in any encoding, every unused row explained."""

from __future__ import annotations

import codecs

import pytest

from shuangtan.sidecars import (ALLOWED_FIELDS, MAX_SIDECAR_BYTES, normalise_year, read_corrections, read_metadata,
                                sidecar_problems)

HEADER = "doc_id,province,field,value,source_note\n"


def _write(folder, name, text, encoding="utf-8", bom=b""):
    (folder / name).write_bytes(bom + text.encode(encoding))


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""),
                                           ("utf-16-le", codecs.BOM_UTF16_LE), ("big5", b"")])
def test_metadata_is_read_in_the_encodings_documents_come_in(tmp_path, encoding, bom):
    _write(tmp_path, "metadata.csv", HEADER + "doc1,,year,2021年,報道未寫年份，據會議名稱推定\n", encoding, bom)
    facts, problems = read_metadata(tmp_path)
    assert facts == {("doc1", "", "year"): ("2021", "報道未寫年份，據會議名稱推定")}
    assert all("encoding" in p or "decoded as" in p for p in problems), problems


def test_excel_unicode_text_is_tab_separated_utf16(tmp_path):
    text = HEADER.replace(",", "\t") + "doc1\t浙江省\tspeaker\t袁家军\t浙江日报报道\n"
    _write(tmp_path, "metadata.csv", text, "utf-16-le", codecs.BOM_UTF16_LE)
    facts, _ = read_metadata(tmp_path)
    assert facts == {("doc1", "浙江", "speaker"): ("袁家军", "浙江日报报道")}


@pytest.mark.parametrize("value, year, word", [
    ("2021", "2021", ""), ("2021年", "2021", ""), ("２０２１", "2021", ""), ("2021.0", "2021", ""),
    ("abc", "", "not a year"), ("21", "", "not a year"), ("1066", "", "outside"),
])
def test_normalise_year(value, year, word):
    got, problem = normalise_year(value)
    assert got == year and word in problem


def test_every_unused_metadata_row_says_why(tmp_path):
    rows = [
        "doc1,,year,abc,note",                     # bad year
        "doc1,,colour,red,note",                   # unknown field
        "doc1,火星省,speaker,张三,note",            # unknown province in the province column
        "doc1,,province,火星,note",                # unknown province as a value
        "doc1,,speaker,李四,note",
        "doc1,,speaker,王五,note",                 # conflicts with the row before
        "doc1,,speaker,李四,note",                 # repeats the first speaker row
        "doc1,,date,2021-09-14T25:00:00,note",     # invalid date
        "doc1,,title,标题,",                       # no source note
        ",,title,标题,note",                       # no doc_id
        "doc1,浙江省,date,2021年9月14日,note",      # fine: normalised
    ]
    _write(tmp_path, "metadata.csv", HEADER + "\n".join(rows) + "\n")
    facts, problems = read_metadata(tmp_path)
    assert facts == {("doc1", "", "speaker"): ("李四", "note"), ("doc1", "浙江", "date"): ("2021-09-14", "note")}
    text = "\n".join(problems)
    for line, word in [(2, "not a year"), (3, "unknown field 'colour'"), (4, "火星省"), (5, "火星"),
                       (7, "conflicts with line 6"), (8, "repeats line 6"), (9, "hour must be in 0..23"),
                       (10, "no source_note"), (11, "required")]:
        assert any(p.startswith(f"metadata.csv line {line}:") and word in p for p in problems), (line, text)
    assert len(problems) == 9


def test_metadata_without_the_needed_columns_is_reported(tmp_path):
    _write(tmp_path, "metadata.csv", "id,what\ndoc1,2021\n")
    facts, problems = read_metadata(tmp_path)
    assert facts == {} and "no column" in problems[0]


def test_oversized_and_binary_sidecars_are_refused_with_a_reason(tmp_path):
    (tmp_path / "metadata.csv").write_bytes(b"x" * (MAX_SIDECAR_BYTES + 1))
    assert "limit" in read_metadata(tmp_path)[1][0]
    (tmp_path / "metadata.csv").write_bytes(b"PK\x03\x04" + bytes(100))
    facts, problems = read_metadata(tmp_path)
    assert facts == {} and "ZIP" in problems[0]


def test_corrections_in_gbk_are_applied_and_unknown_documents_reported(tmp_path):
    text = ("doc_id,wrong,right,note\n"
            "doc1,碳中和,碳中和,fine\n"
            "ghost,错字,正字,no such document\n"
            "doc1,碳中和,碳达峰,conflicts\n"
            ",x,y,no id\n")
    _write(tmp_path, "corrections.csv", text, "gbk")
    assert [c.wrong for c in read_corrections(tmp_path)["doc1"]] == ["碳中和", "碳中和"]
    rows = sidecar_problems(tmp_path, [{"doc_id": "doc1"}])
    messages = {row["position"]: row["message"] for row in rows}
    assert "GBK" in messages[-1]
    assert "no document 'ghost'" in messages[3] and "differently" in messages[4] and "required" in messages[5]
    assert all(row["path"] == f"{tmp_path.name}/corrections.csv" and row["check"] == "corrections" for row in rows)
    assert set(rows[0]) == {"doc_id", "path", "check", "severity", "count", "position", "span", "message"}


def test_no_sidecars_no_problems(tmp_path):
    assert read_metadata(tmp_path) == ({}, []) and read_corrections(tmp_path) == {}
    assert sidecar_problems(tmp_path, ["a"]) == []


def test_allowed_fields_cover_what_statements_apply():
    assert {"year", "date", "province", "speaker", "title", "source"} <= set(ALLOWED_FIELDS)


@pytest.mark.parametrize("value, level", [("city", "city"), ("市", "city"), ("县", "district"), ("中央", "central"),
                                          ("Province", "province"), ("省级", "province")])
def test_level_values_are_read_in_english_or_chinese(tmp_path, value, level):
    _write(tmp_path, "metadata.csv", HEADER + f"doc1,,level,{value},note\n")
    assert read_metadata(tmp_path) == ({("doc1", "", "level"): (level, "note")}, [])


def test_a_level_that_is_no_level_is_reported(tmp_path):
    _write(tmp_path, "metadata.csv", HEADER + "doc1,,level,planet,note\n")
    facts, problems = read_metadata(tmp_path)
    assert facts == {} and problems[0].startswith("metadata.csv line 2:") and "planet" in problems[0]
