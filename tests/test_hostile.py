"""Issue 9: hostile and careless input never crashes the corpus, nothing is lost silently, nothing leaks.

tests/fixtures/hostile/ is committed (written by tests/fixtures/make_hostile.py, described in its
README.md). Cases that cannot or should not be committed are made here in a temporary copy: a symbolic
link leading out of the folder, a name with ':', 70 KB of front matter, a 10 MB file and a page of
16,000 ``<p>``. Assertions are on correctness, never on time (speed figures: the final report).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import fixture_script

from shuangtan.corpus import build_corpus
from shuangtan.export import write_tables
from shuangtan.files import MAX_BYTES, skip_reason

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
# Words that tell a researcher what to do; every error reason and every sidecar problem contains one.
ACTIONS = ("save", "add", "remove", "split", "fix", "export", "rename", "pass", "set", "move", "must", "copy",
           "write", "use", "re-save", "shorten")
# ok files: words that must be in their clean text (nothing lost); None: just ok and not empty.
KEEPS = {
    "$^$x": "景俊海", "100%": "楼阳生", "with space": "郑栅洁", "alias_bomb": "陈润儿", "bad_date": "刘家义",
    "cn_date": "娄勤俭", "dmy_date": "李希", "tz_date": "尹力", "list_title": "许达哲", "formula_title": "易炼红",
    "compat_pinyin": "沈晓明", "spaced_pinyin": "实现碳达峰", "variants": "陕西省委书记刘国中在卫生与清洁能源概况会上",
    "markup": "王东峰", "same_day_a": "袁家军", "same_day_b": "郑栅洁", "undated_a": "林武", "undated_b": "彭清华",
    "truncated_utf8": "李鸿忠", "stray_byte": "陈敏尔", "surrogate_bytes": "鹿心社", "gb18030": "㐀䶵𠀀",
    "big5hkscs": "减碳嘅工作", "utf32_bom": "张国清", "utf32_nobom": "许勤", "utf16be_nobom": "谌贻琴",
}
ERRORS = {"header_only": "front matter but no text"}
# ok files whose reading is reported: (check, words of the message).
NOTED = {
    "alias_bomb": ("front_matter", "aliases"),
    "bad_date": ("front_matter", "hour must be in 0..23"),
    "list_title": ("front_matter", "'title' is a list"),
    "truncated_utf8": ("undecodable_bytes", "byte offset"),
    "stray_byte": ("undecodable_bytes", "byte offset 28;"),
    "surrogate_bytes": ("undecodable_bytes", "byte offset"),
    "gb18030": ("encoding", "GB18030"),
    "big5hkscs": ("encoding", "Big5-HKSCS"),
    "utf32_bom": ("encoding", "UTF-32"),
    "utf32_nobom": ("encoding", "UTF-32-BE"),
    "utf16be_nobom": ("encoding", "UTF-16-BE"),
}


def _generator():
    return fixture_script("make_hostile")


@pytest.fixture(scope="module")
def hostile():
    """The tables built from the committed hostile folder."""
    return build_corpus(HOSTILE)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _doc(corpus, doc_id: str) -> pd.Series:
    return corpus.documents.set_index("doc_id").loc[doc_id]


def _quality(corpus, doc_id: str, check: str) -> pd.DataFrame:
    q = corpus.quality
    return q.loc[(q["doc_id"] == doc_id) & (q["check"] == check)]


# --------------------------------------------------------------------------- the fixture itself
def test_committed_fixture_bytes_match_the_generator():
    expected = _generator().files()
    assert {p.name for p in HOSTILE.iterdir()} == set(expected), "run tests/fixtures/make_hostile.py"
    for name, data in expected.items():
        assert (HOSTILE / name).read_bytes() == data, name


def test_every_case_is_described():
    documents = {p.stem for p in HOSTILE.iterdir() if not skip_reason(p)}
    assert documents == set(KEEPS) | set(ERRORS)


# --------------------------------------------------------------------------- nothing lost, nothing crashes
def test_every_file_is_a_document_row_or_a_reported_skip(hostile):
    rows = hostile.documents
    skipped = hostile.quality.loc[hostile.quality["check"] == "skipped", "path"].map(_name)
    for path in HOSTILE.iterdir():
        if skip_reason(path):
            assert (skipped == path.name).sum() == 1, path.name
        else:
            assert (rows["path"].map(_name) == path.name).sum() == 1, path.name
    assert rows["doc_id"].is_unique and set(rows["status"]) <= {"ok", "error"}


@pytest.mark.parametrize("doc_id", sorted(KEEPS))
def test_ok_files_keep_their_text(hostile, doc_id):
    row = _doc(hostile, doc_id)
    assert row["status"] == "ok", row["error"]
    assert KEEPS[doc_id] in row["text"]
    assert row["n_speeches"] >= 1


@pytest.mark.parametrize("doc_id", sorted(ERRORS))
def test_error_rows_say_what_to_do(hostile, doc_id):
    row = _doc(hostile, doc_id)
    assert row["status"] == "error" and ERRORS[doc_id] in row["error"]
    assert any(word in row["error"].lower() for word in ACTIONS)


@pytest.mark.parametrize("doc_id", sorted(NOTED))
def test_what_was_repaired_while_reading_is_reported(hostile, doc_id):
    check, words = NOTED[doc_id]
    notes = _quality(hostile, doc_id, check)
    assert len(notes) >= 1 and any(words in m for m in notes["message"]), notes["message"].tolist()


def test_bad_bytes_are_replaced_not_the_document_lost(hostile):
    assert _quality(hostile, "stray_byte", "undecodable_bytes")["count"].tolist() == [1]
    assert _doc(hostile, "stray_byte")["text"].count("\ufffd") == 1
    assert _doc(hostile, "truncated_utf8")["text"].endswith("\ufffd")


# --------------------------------------------------------------------------- front matter and dates
def test_publication_dates_are_china_local(hostile):
    assert _doc(hostile, "tz_date")["published"] == pd.Timestamp("2022-01-01 07:00")
    assert _doc(hostile, "cn_date")["published"] == pd.Timestamp("2021-09-15")
    assert _doc(hostile, "dmy_date")["published"] == pd.Timestamp("2021-09-16")
    speeches = hostile.speeches.set_index("doc_id")
    assert speeches.loc["tz_date", "date"] == pd.Timestamp("2022-01-01")  # 1月1日 stays in 2022


def test_alias_bomb_and_list_title_give_no_title_and_no_expansion(hostile):
    assert _doc(hostile, "alias_bomb")["title"] != "lol" and "lol" not in _doc(hostile, "alias_bomb")["text"]
    assert "标题一" not in _doc(hostile, "list_title")["title"]


# --------------------------------------------------------------------------- characters and markup
def test_characters_are_cleaned(hostile):
    docs = hostile.documents.set_index("doc_id")
    text = "\n".join(docs.loc[docs["status"] == "ok", "text"])
    assert not re.search("[\ud800-\udfff\uf900-\ufa0d]", text)
    assert "(shí)" not in text and "（shí）" not in text
    for char in "陜衞淸槪粧":
        assert char not in text, char


def test_no_markup_or_script_survives(hostile):
    frames = [hostile.documents["text"], hostile.documents["title"], hostile.speeches["text"], hostile.speeches["lead"]]
    for series in frames:
        text = "\n".join(series.fillna("").astype(str))
        assert "<script" not in text.lower() and "onerror" not in text and "<img" not in text and "<iframe" not in text


# --------------------------------------------------------------------------- statements
def test_same_day_pair_and_undated_statements_are_kept(hostile):
    speeches = hostile.speeches
    zhejiang = speeches.loc[speeches["doc_id"].isin(["same_day_a", "same_day_b"])]
    assert len(zhejiang) == 2 and set(zhejiang["date"]) == {pd.Timestamp("2021-05-21")}
    undated = speeches.loc[speeches["doc_id"].isin(["undated_a", "undated_b"])]
    assert len(undated) == 2 and undated["date"].isna().all()


# --------------------------------------------------------------------------- sidecars
def test_every_unused_metadata_and_correction_row_says_why(hostile):
    q = hostile.quality
    messages = "\n".join(q.loc[q["check"].isin(["metadata", "corrections"]), "message"])
    for words in ["metadata.csv line 3", "hour must be in 0..23", "metadata.csv line 4", "'abc' is not a year",
                  "unknown field 'colour'", "火星省", "conflicts with line 7", "ghost_document",
                  "corrections.csv line 2", "GBK"]:
        assert words in messages, words
    assert "metadata.csv line 2:" not in messages  # 2021年 is a year
    unused = q.loc[q["check"].isin(["metadata", "corrections"]) & q["message"].str.contains("line")]
    assert all(any(w in m.lower() for w in ACTIONS) for m in unused["message"]), unused["message"].tolist()


# --------------------------------------------------------------------------- export
def test_exported_cells_cannot_run_formulas(hostile, tmp_path):
    paths = write_tables(hostile, tmp_path)
    documents = list(csv.DictReader(open(paths[0], encoding="utf-8-sig", newline="")))
    title = next(row["title"] for row in documents if row["doc_id"] == "formula_title")
    assert title.startswith("'=HYPERLINK(")
    for path in paths:
        for row in csv.reader(open(path, encoding="utf-8-sig", newline="")):
            assert not any(cell[:1] in ("=", "+", "@") for cell in row), row


# --------------------------------------------------------------------------- cases made in a temporary copy
@pytest.fixture()
def hostile_copy(tmp_path):
    folder = tmp_path / "hostile"
    shutil.copytree(HOSTILE, folder)
    return folder


def test_links_out_of_the_folder_are_refused_and_never_read(hostile_copy, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY----- SECRET-KEY-MATERIAL\n", encoding="utf-8")
    (hostile_copy / "key.txt").symlink_to(secret)
    (hostile_copy / "up.txt").symlink_to(Path("..") / "id_rsa")
    (hostile_copy / "inside.txt").symlink_to(hostile_copy / "same_day_a.txt")
    (hostile_copy / "a:b.txt").write_text("2021年12月8日，湖北省委书记应勇在会议上强调，要加快建设全国碳市场。\n",
                                          encoding="utf-8")
    tables = build_corpus(hostile_copy)
    docs = tables.documents.set_index("doc_id")
    for doc_id in ("key", "up"):
        assert docs.loc[doc_id, "status"] == "error" and "outside the corpus folder" in docs.loc[doc_id, "error"]
        assert "copy" in docs.loc[doc_id, "error"]
    assert docs.loc["inside", "status"] == "ok"
    assert docs.loc["a:b", "status"] == "ok" and "应勇" in docs.loc["a:b", "text"]
    for frame in (tables.documents, tables.speeches, tables.quality):
        assert not frame.astype(str).apply(lambda col: col.str.contains("SECRET-KEY|id_rsa")).any().any()


def test_huge_front_matter_is_not_parsed_and_the_text_kept(hostile_copy):
    (hostile_copy / "long_header.md").write_text(
        "---\ntitle: 很长的头\nnote: " + "长" * (70 * 1024) + "\n---\n2021年3月1日，北京市委书记蔡奇强调，要推进碳达峰。\n",
        encoding="utf-8")
    tables = build_corpus(hostile_copy)
    row = _doc(tables, "long_header")
    assert row["status"] == "ok" and "蔡奇" in row["text"] and "长长长" not in row["text"]
    assert any("64 KB" in m for m in _quality(tables, "long_header", "front_matter")["message"])


def test_a_10_mb_file_and_a_16000_paragraph_page_load(tmp_path):
    folder = tmp_path / "large"
    folder.mkdir()
    line = "{}，山东省委书记刘家义在省委财经委员会会议上指出：要有序推进碳达峰碳中和，推动经济社会发展全面绿色转型。\n"
    parts, size, i = [], 0, 0
    while size < MAX_BYTES - 4096:
        parts.append(line.format(f"第{i}次"))
        size += len(parts[-1].encode("utf-8"))
        i += 1
    (folder / "ten_mb.txt").write_text("".join(parts), encoding="utf-8")
    (folder / "paragraphs.html").write_text("".join(f"<p>第{n}段：推进碳达峰。</p>" for n in range(16000)),
                                            encoding="utf-8")
    (folder / "bare.html").write_text("2021年3月5日，北京市委书记蔡奇强调推进碳达峰。" + "<p>" * 16000, encoding="utf-8")
    tables = build_corpus(folder)
    docs = tables.documents.set_index("doc_id")
    assert (docs["status"] == "ok").all(), docs["error"].to_dict()
    assert docs.loc["ten_mb", "text"].count("刘家义") == i
    paragraphs = docs.loc["paragraphs", "text"]
    assert all(f"第{n}段：推进碳达峰。" in paragraphs for n in (0, 7999, 15999)) and paragraphs.count("段：") == 16000
    assert "蔡奇" in docs.loc["bare", "text"]
