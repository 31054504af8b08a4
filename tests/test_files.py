"""Tests for shuangtan.files and the loaders on bad input: every file becomes one row, ok or error with a reason.

The folder tests/fixtures/bad_input/ is committed (written by tests/fixtures/make_bad_input.py); the
50 MB file is created only in a temporary copy of it.
"""

from __future__ import annotations

import codecs
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from conftest import fixture_script

from shuangtan.corpus import build_corpus, load_documents
from shuangtan.decoding import decode_bytes
from shuangtan.files import MAX_BYTES, list_corpus_files, read_document, skipped_files
from shuangtan.front_matter import parse_published, published_date, split_front_matter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Words that tell a researcher what to do; every error reason must contain one.
ACTIONS = ("save", "add", "remove", "split", "fix", "export", "rename", "pass", "set", "move", "must")
# Per file: expected status, and for errors a word of the reason, for ok files the quality check
# (and a word of its message) that explains what was wrong with the file.
EXPECTED = {
    "empty.txt": ("error", "empty"),
    "image.png": ("error", "PNG"),
    "binary.txt": ("error", "binary"),
    "gbk.txt": ("ok", ("encoding", "GBK")),
    "big5.txt": ("ok", ("encoding", "Big5")),
    "utf16.txt": ("ok", ("encoding", "UTF-16")),
    "bom.txt": ("ok", ("bom", "byte-order mark")),
    "crlf.txt": ("ok", ("line_endings", "line endings")),
    "broken_front_matter.md": ("ok", ("front_matter", "YAML")),
    "unknown_province.txt": ("ok", ("unknown_province", "火星省")),
    "good.txt": ("ok", None),
}
# Checks that concern how a file was read (as opposed to what its text lacks, e.g. a title).
LOAD_CHECKS = {"load", "encoding", "bom", "line_endings", "front_matter", "unknown_province"}


def _generator():
    return fixture_script("make_bad_input")


@pytest.fixture(scope="module")
def generator():
    """The fixture generator module (its texts are the expected decoded contents)."""
    return _generator()


@pytest.fixture(scope="module")
def bad_corpus(bad_input_dir):
    """The three tables built from the committed bad-input folder."""
    return build_corpus(bad_input_dir)


@pytest.fixture()
def bad_copy(bad_input_dir, tmp_path):
    """A writable copy of the bad-input folder."""
    folder = tmp_path / "bad_input"
    shutil.copytree(bad_input_dir, folder)
    return folder


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- the fixture folder
def test_committed_fixture_bytes_match_the_generator(bad_input_dir, generator):
    expected = generator.files()
    on_disk = {p.name for p in bad_input_dir.iterdir()}
    assert on_disk == set(expected), "run tests/fixtures/make_bad_input.py and commit the result"
    for name, data in expected.items():
        assert (bad_input_dir / name).read_bytes() == data, name


def test_fixture_files_really_are_what_their_names_say(bad_input_dir):
    read = lambda name: (bad_input_dir / name).read_bytes()  # noqa: E731
    assert read("empty.txt") == b""
    assert read("image.png").startswith(b"\x89PNG")
    assert b"\x00" in read("binary.txt")
    with pytest.raises(UnicodeDecodeError):
        read("gbk.txt").decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        read("big5.txt").decode("utf-8")
    assert read("utf16.txt").startswith(codecs.BOM_UTF16_LE)
    assert read("bom.txt").startswith(codecs.BOM_UTF8)
    assert b"\r\n" in read("crlf.txt") and b"\n" not in read("crlf.txt").replace(b"\r\n", b"")


# --------------------------------------------------------------------------- one row per file
def test_every_bad_input_file_gives_exactly_one_document_row(bad_corpus, bad_input_dir):
    files = sorted(p.name for p in bad_input_dir.iterdir() if p.name != "README.md")
    rows = bad_corpus.documents
    assert sorted(rows["path"].map(_file_name)) == files
    assert rows["doc_id"].is_unique
    assert set(rows["status"]) <= {"ok", "error"}
    assert set(files) == set(EXPECTED), "describe every fixture file in EXPECTED"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gets_its_status_and_an_actionable_reason(bad_corpus, name):
    status, expectation = EXPECTED[name]
    docs = bad_corpus.documents
    row = docs.loc[docs["path"].map(_file_name) == name].iloc[0]
    assert row["status"] == status, row["error"]
    assert name in row["path"]
    quality = bad_corpus.quality
    mine = quality.loc[quality["path"].map(_file_name) == name]
    if status == "error":
        assert expectation in row["error"]
        assert any(word in row["error"].lower() for word in ACTIONS), row["error"]
        assert row["text"] == "" and row["n_chars"] == 0
        load = mine.loc[mine["check"] == "load"]
        assert list(load["severity"]) == ["error"] and list(load["message"]) == [row["error"]]
        return
    assert row["error"] == "" and row["n_chars"] > 0
    if expectation is None:  # the control file: nothing went wrong while reading it
        assert not set(mine.loc[mine["severity"] != "info", "check"]) & LOAD_CHECKS
        return
    check, word = expectation
    notes = mine.loc[(mine["check"] == check) & (mine["severity"] == "warning")]
    assert len(notes) == 1, mine[["check", "message"]]
    message = notes["message"].iloc[0] + " " + notes["span"].iloc[0]
    assert word in message
    if check in ("encoding", "front_matter", "unknown_province"):  # the user should act on these
        assert any(action in message.lower() for action in ACTIONS), message


def test_ok_files_have_clean_simplified_text_and_speeches(bad_corpus):
    docs = bad_corpus.documents.set_index("doc_id")
    ok = docs.loc[docs["status"] == "ok"]
    assert not ok["text"].str.contains("\r|\ufeff|\x00").any()
    assert (ok["n_speeches"] >= 1).all()
    speeches = bad_corpus.speeches
    assert set(speeches["doc_id"]) == set(ok.index)
    assert set(speeches["doc_id"]).isdisjoint(docs.index[docs["status"] == "error"])


def test_gbk_and_big5_files_decode_to_the_right_text(bad_input_dir, generator):
    gbk = read_document(bad_input_dir / "gbk.txt")
    assert (gbk.error, gbk.encoding, gbk.text) == ("", "gb18030", generator.GBK_TEXT)
    big5 = read_document(bad_input_dir / "big5.txt")
    assert (big5.error, big5.encoding, big5.text) == ("", "big5", generator.BIG5_TEXT)


def test_utf16_bom_and_crlf_files_decode_to_the_right_text(bad_input_dir, generator):
    assert read_document(bad_input_dir / "utf16.txt").text == generator.UTF16_TEXT
    assert read_document(bad_input_dir / "bom.txt").text == generator.BOM_TEXT
    assert read_document(bad_input_dir / "crlf.txt").text == generator.CRLF_TEXT


def test_big5_document_is_converted_to_simplified(bad_corpus):
    row = bad_corpus.documents.set_index("doc_id").loc["big5"]
    assert row["script"] == "traditional"
    assert "海南省委书记沈晓明" in row["text"] and "實現" not in row["text"]


def test_broken_front_matter_keeps_the_body_and_names_the_line(bad_corpus):
    docs = bad_corpus.documents.set_index("doc_id")
    row = docs.loc["broken_front_matter"]
    assert row["text"].startswith("2021年7月16日，上海市委书记李强")
    assert "---" not in row["text"] and "title:" not in row["text"]
    assert row["title"] == "" and pd.isna(row["published"])
    quality = bad_corpus.quality
    message = quality.loc[(quality["doc_id"] == "broken_front_matter") & (quality["check"] == "front_matter"),
                          "message"].iloc[0]
    assert "line 3" in message


def test_unknown_province_entry_is_kept_without_a_province(bad_corpus):
    speeches = bad_corpus.speeches.set_index("speech_id")
    rows = speeches.loc[speeches["doc_id"] == "unknown_province"]
    assert list(rows.index) == ["unknown_province-01", "unknown_province-02", "unknown_province-03"]
    assert list(rows["province"].iloc[:2]) == ["北京", "上海"]
    assert pd.isna(rows.loc["unknown_province-03", "province"])
    assert rows.loc["unknown_province-03", "date"] == pd.Timestamp("2021-08-01")
    assert list(rows["speaker"]) == ["蔡奇", "李强", "张三"]
    quality = bad_corpus.quality
    note = quality.loc[(quality["doc_id"] == "unknown_province") & (quality["check"] == "unknown_province")]
    assert list(note["span"]) == ["火星省"] and "entry 03" in note["message"].iloc[0]


# --------------------------------------------------------------------------- files made in tmp copies
def test_50_mb_file_is_an_error_naming_the_size_limit_and_others_still_load(bad_copy, bad_corpus):
    big = bad_copy / "huge.txt"
    line = "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革。\n".encode("utf-8")
    with open(big, "wb") as handle:
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > 50 * 1024 * 1024 > MAX_BYTES
    docs = load_documents(bad_copy).set_index("doc_id")
    row = docs.loc["huge"]
    assert row["status"] == "error"
    assert f"{MAX_BYTES / 1024 / 1024:.0f} MB limit" in row["error"] and "split" in row["error"]
    assert row["path"].endswith("huge.txt")
    others = docs.drop(index="huge")
    expected = bad_corpus.documents.set_index("doc_id")
    assert others["status"].to_dict() == expected["status"].to_dict()


def test_one_bad_file_never_stops_the_others(bad_copy, seeds_path):
    """The good real documents load in a folder crowded with every kind of bad file."""
    for seed in sorted(seeds_path.glob("00[0-4]_*.txt")):
        shutil.copy(seed, bad_copy / seed.name)
    (bad_copy / "subfolder").mkdir()
    (bad_copy / "whitespace.txt").write_text(" \n\t\n", encoding="utf-8")
    (bad_copy / "minutes.docx").write_bytes(b"PK\x03\x04" + bytes(60))
    (bad_copy / "good.md").write_text("另一份同名文件", encoding="utf-8")  # same id as good.txt
    docs = load_documents(bad_copy).set_index("doc_id")
    real = docs.loc[docs.index.str.match(r"00[0-4]_")]
    assert len(real) == 5 and (real["status"] == "ok").all()
    errors = docs.loc[docs["status"] == "error", "error"]
    assert "folder" in errors["subfolder"]
    assert "white space" in errors["whitespace"]
    assert "ZIP/Office" in errors["minutes"]
    assert (docs.index == "good").sum() == 2  # both files get a row; the later one says to rename
    assert docs.loc[docs.index == "good", "error"].str.contains("rename").sum() == 1
    assert all(any(a in reason.lower() for a in ACTIONS) for reason in errors), errors


def test_dangling_symlink_becomes_an_error_row(bad_copy):
    (bad_copy / "moved.txt").symlink_to(bad_copy / "does_not_exist.txt")
    docs = load_documents(bad_copy).set_index("doc_id")
    assert docs.loc["moved", "status"] == "error"
    assert (docs.loc[["good", "gbk"], "status"] == "ok").all()


def test_missing_folder_gives_an_error_row_in_the_quality_report(tmp_path):
    tables = build_corpus(tmp_path / "nowhere")
    assert tables.documents.empty and tables.speeches.empty
    message = tables.quality["message"].iloc[0]
    assert "does not exist" in message and "SHUANGTAN_SEEDS" in message


# --------------------------------------------------------------------------- io functions
def test_list_corpus_files_skips_readme_hidden_and_data_files(tmp_path):
    for name in ["b.txt", "a.txt", "README.md", "readme.txt", ".hidden.txt", "metadata.csv", "corrections.csv"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in list_corpus_files(tmp_path)] == ["a.txt", "b.txt"]


def test_notes_files_are_skipped_and_listed_with_a_reason(tmp_path):
    names = ["doc.txt", "README.md", "SOURCES.md", "notes.txt", "NOTES_2021.md", "_draft.txt", ".DS_Store",
             "metadata.csv", "corrections.csv", "userdict.txt", "with space.txt", "100%.txt", "a:b.txt", "$^$x.txt"]
    for name in names:
        (tmp_path / name).write_text("2021年9月14日，山东省委书记刘家义强调推进碳达峰。", encoding="utf-8")
    listed = [p.name for p in list_corpus_files(tmp_path)]
    assert listed == ["$^$x.txt", "100%.txt", "a:b.txt", "doc.txt", "with space.txt"]
    skipped = dict((p.name, reason) for p, reason in skipped_files(tmp_path))
    assert set(skipped) == set(names) - set(listed)
    assert "README" in skipped["README.md"] and "'_'" in skipped["_draft.txt"] and "hidden" in skipped[".DS_Store"]
    assert "metadata" in skipped["metadata.csv"] and "dictionary" in skipped["userdict.txt"]
    assert all(read_document(tmp_path / name).error == "" for name in listed)
    assert skipped_files(tmp_path / "missing") == []


def test_links_leaving_the_folder_are_refused_with_a_reason(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "private"
    corpus.mkdir()
    outside.mkdir()
    (outside / "id_rsa").write_text("SECRET", encoding="utf-8")
    (corpus / "doc.txt").write_text("正文", encoding="utf-8")
    (corpus / "key.txt").symlink_to(outside / "id_rsa")
    (corpus / "chain.txt").symlink_to(corpus / "key.txt")  # inside link to a link leading out
    (corpus / "alias.txt").symlink_to(corpus / "doc.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    for name in ("key.txt", "chain.txt"):
        doc = read_document(corpus / name, folder=corpus)
        assert "outside the corpus folder" in doc.error and doc.text == "" and "SECRET" not in doc.error
        assert doc.sha1 == ""  # not even hashed
    assert read_document(corpus / "alias.txt", folder=corpus).text == "正文"
    assert "leads back to itself" in read_document(corpus / "loop.txt", folder=corpus).error


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
def test_decode_bytes_recovers_chinese_text_in_common_encodings(encoding):
    text = "實現碳達峰、碳中和是一場廣泛而深刻的經濟社會系統性變革。" if encoding == "big5" else \
        "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革。"
    decoded = decode_bytes(text.encode(encoding))
    assert not isinstance(decoded, str), decoded
    assert decoded[0] == text


@pytest.mark.parametrize("text", ["05.安徽省", "我國在2020年", "各省市省委書記高度重視碳"])
def test_short_big5_text_is_not_taken_for_gbk(text):
    decoded = decode_bytes(text.encode("big5"))
    assert isinstance(decoded, str) or decoded[0] == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["7月22日,省委書記林武主持召開會議(2021)。", "实现碳达峰、碳中和是一场广泛而深刻的变革。"])
def test_utf16_without_bom_gives_the_right_text_or_an_error_never_garbage(encoding, text):
    decoded = decode_bytes(text.encode(encoding))
    assert isinstance(decoded, str) or decoded[0] == text


def test_decode_bytes_notes_what_it_fixed():
    text, encoding, notes = decode_bytes(codecs.BOM_UTF8 + "甲\r\n乙\r丙".encode("utf-8"))
    assert (text, encoding) == ("甲\n乙\n丙", "utf-8")
    assert {(check, count) for check, count, _ in notes} == {("bom", 1), ("line_endings", 2)}


@pytest.mark.parametrize("data, word", [
    (b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04rest", "ZIP"), (b"\xff\xd8\xff\xe0", "JPEG"),
    (bytes(range(256)) * 4, "binary"), (bytes(range(0x80, 0x100)) * 3, "UTF-8"),
])
def test_decode_bytes_explains_non_text(data, word):
    reason = decode_bytes(data)
    assert isinstance(reason, str) and word in reason
    assert any(action in reason.lower() for action in ACTIONS)


def test_split_front_matter_of_a_real_seed(seeds_path):
    text = read_document(seeds_path / "000_18aacb4e4a36c856.txt").text
    fields, body, problem = split_front_matter(text)
    assert problem == ""
    assert fields["title"] == "把系统观念贯穿_双碳_工作全过程" and fields["author"] == "ZAKER"
    assert body.lstrip().startswith("<div>")
    # 'Tue, 25 Jan 2022 17:07:55 GMT' is 01:07:55 the next day in China: dates are China-local, never UTC.
    assert parse_published(fields["date"]) == datetime(2022, 1, 26, 1, 7, 55)


def test_split_front_matter_problems():
    assert split_front_matter("正文") == ({}, "正文", "")
    fields, body, problem = split_front_matter("---\ntitle: 标题\n正文没有结束标记")
    assert fields == {} and body.endswith("正文没有结束标记") and "never closed" in problem
    fields, body, problem = split_front_matter("---\n- a\n- b\n---\n正文")
    assert fields == {} and body == "正文" and "key: value" in problem


@pytest.mark.parametrize("value, expected", [
    ("Fri, 07 Jan 2022 12:45:47 GMT", datetime(2022, 1, 7, 20, 45, 47)),
    ("2022-01-01 07:00 +08:00", datetime(2022, 1, 1, 7)),
    ("2022-01-01T07:00:00+08:00", datetime(2022, 1, 1, 7)),
    ("2021-12-31T23:30:00Z", datetime(2022, 1, 1, 7, 30)),
    ("2021年9月14日", datetime(2021, 9, 14)),
    ("2022年2月22日 10:35", datetime(2022, 2, 22, 10, 35)),
    ("2021/09/14", datetime(2021, 9, 14)),
    ("2021.09.14", datetime(2021, 9, 14)),
    ("14/09/2021", datetime(2021, 9, 14)),
    ("2022-02-22 10:35:00", datetime(2022, 2, 22, 10, 35)),
    (datetime(2022, 1, 1, 7, tzinfo=timezone(timedelta(hours=8))), datetime(2022, 1, 1, 7)),
    (20210914, datetime(2021, 9, 14)),
    ("2021-05-21", datetime(2021, 5, 21)),
    ("2021-05-21T08:00:00", datetime(2021, 5, 21, 8)),
    (pd.Timestamp("2021-05-21").date(), datetime(2021, 5, 21)),
    ("", None), (None, None), ("去年五月", None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value, word", [
    ("2021-09-14T25:00:00", "hour must be in 0..23"),
    ("2021-02-30", "day is out of range"),
    ("03/04/2021", "day/month or month/day"),
    ("去年五月", "not a date"),
    (["2021-09-14"], "list"),
    ({"a": 1}, "dict"),
    ("0001-01-01", "outside 1900"),
    ("2021-09-14 lunchtime", "not a time"),
])
def test_published_date_gives_the_reason_never_an_exception(value, word):
    moment, problem = published_date(value)
    assert moment is None and word in problem


def test_yaml_dates_stay_text_so_an_invalid_one_is_a_warning_not_a_crash():
    fields, body, problem = split_front_matter("---\ndate: 2021-09-14T25:00:00\ntitle: 标题\n---\n正文")
    assert (fields, body, problem) == ({"date": "2021-09-14T25:00:00", "title": "标题"}, "正文", "")
    assert "hour" in published_date(fields["date"])[1]
    fields, _, _ = split_front_matter("---\ndate: 2022-01-01 07:00:00+08:00\n---\n正文")
    assert parse_published(fields["date"]) == datetime(2022, 1, 1, 7)


def test_front_matter_alias_bomb_is_refused_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("title: *l")
    fields, body, problem = split_front_matter("---\n" + "\n".join(lines) + "\n---\n正文")
    assert fields == {} and body == "正文" and "aliases" in problem and "fix" in problem


def test_front_matter_size_is_capped_and_non_scalar_titles_are_dropped():
    header = "note: " + "长" * (70 * 1024)
    fields, body, problem = split_front_matter("---\n" + header + "\n---\n正文")
    assert fields == {} and body == "正文" and "64 KB" in problem
    fields, body, problem = split_front_matter("---\ntitle: [a, b]\nauthor: 某报\ntags: [x]\n---\n正文")
    assert fields == {"author": "某报", "tags": ["x"]} and "'title' is a list" in problem


def test_front_matter_without_body_is_an_error_row(tmp_path):
    path = tmp_path / "header_only.md"
    path.write_text("---\ntitle: 只有标题\ndate: 2021-09-14\n---\n\n", encoding="utf-8")
    doc = read_document(path)
    assert "front matter but no text" in doc.error and "add" in doc.error


def test_read_document_limits_are_configurable(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("碳达峰" * 100, encoding="utf-8")
    assert os.path.getsize(path) == 900
    assert read_document(path).error == ""
    assert "limit" in read_document(path, max_bytes=899).error
    assert read_document(path, max_bytes=900).error == ""


@pytest.mark.parametrize("header", ["[" * 30000 + "]" * 30000, "a: " + "{" * 20000, "t: " + "[ " * 60, "- " * 30000 + "a"])
def test_deeply_nested_front_matter_is_refused_cheaply(header):
    fields, body, problem = split_front_matter("---\n" + header + "\n---\n正文")
    assert fields == {} and body == "正文" and "levels deep" in problem
