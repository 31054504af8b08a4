"""Tests for shuangtan.export: CSV files for Excel, guarded against formula injection (OWASP)."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pandas as pd
import pytest

from shuangtan.export import guard_formula, guard_frame, write_tables


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\",\"点击\")", "'=HYPERLINK(\"http://x\",\"点击\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("  =1+1", "'  =1+1"), ("浙江", "浙江"), ("a=b", "a=b"), ("", ""), (None, None), (-3, -3), (2.5, 2.5),
])
def test_guard_formula(value, expected):
    assert guard_formula(value) == expected


def test_guard_frame_leaves_numbers_and_dates_alone():
    frame = pd.DataFrame({"title": ["=1+1", "正常", None], "count": [-1, 2, 3], "position": [-5.5, 0.0, 1.0],
                          "date": pd.to_datetime(["2021-09-14", None, "2022-01-01"])})
    guarded = guard_frame(frame)
    assert list(guarded["title"].iloc[:2]) == ["'=1+1", "正常"] and pd.isna(guarded["title"].iloc[2])
    pd.testing.assert_series_equal(guarded["count"], frame["count"])
    pd.testing.assert_series_equal(guarded["position"], frame["position"])
    pd.testing.assert_series_equal(guarded["date"], frame["date"])
    assert frame["title"].iloc[0] == "=1+1"  # the caller's table is not changed


def test_write_tables_writes_bom_csv_with_guarded_cells(tmp_path):
    corpus = SimpleNamespace(
        documents=pd.DataFrame({"doc_id": ["a"], "title": ["=HYPERLINK(\"http://evil\",\"看\")"],
                                "published": pd.to_datetime(["2022-01-01 07:00"])}),
        speeches=pd.DataFrame({"speech_id": ["a-01"], "speaker": ["@某人"], "n_chars": [-1]}),
        quality=pd.DataFrame({"doc_id": ["a"], "position": [-1], "message": ["-不是公式"]}),
    )
    paths = write_tables(corpus, tmp_path / "out", extra={"clusters": pd.DataFrame({"label": ["+x"]})})
    assert [p.name for p in paths] == ["documents.csv", "speeches.csv", "quality.csv", "clusters.csv"]
    for path in paths:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" not in path.read_bytes()
    rows = {p.stem: list(csv.DictReader(open(p, encoding="utf-8-sig", newline=""))) for p in paths}
    assert rows["documents"][0]["title"] == "'=HYPERLINK(\"http://evil\",\"看\")"
    assert rows["documents"][0]["published"] == "2022-01-01"
    assert rows["speeches"][0]["speaker"] == "'@某人" and rows["speeches"][0]["n_chars"] == "-1"
    assert rows["quality"][0]["position"] == "-1" and rows["quality"][0]["message"] == "'-不是公式"
    assert rows["clusters"][0]["label"] == "'+x"
    with pytest.raises(ValueError):
        write_tables(corpus, tmp_path / "again", extra={"quality": corpus.quality})


def test_guard_frame_handles_repeated_column_names():
    frame = pd.DataFrame([["=a", "=b", 1]], columns=["x", "x", "n"])
    assert guard_frame(frame).values.tolist() == [["'=a", "'=b", 1]]
