"""Tests for shuangtan.overview: the corpus-overview tables and Summary on the seeds and the mini corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from shuangtan import overview
from shuangtan.corpus import build_corpus

MINI_CORPUS = Path(__file__).resolve().parent / "fixtures" / "mini_corpus"


@pytest.fixture(scope="module")
def mini():
    return build_corpus(MINI_CORPUS)


def test_seed_summary_counts_what_the_tables_hold(seed_corpus):
    documents, speeches, quality = seed_corpus.documents, seed_corpus.speeches, seed_corpus.quality
    summary = overview.summarize(documents, speeches, quality)
    figures = summary.figures
    assert figures["files in the corpus folder"] == 5 == figures["documents loaded"]
    assert figures["statements (speeches table)"] == len(speeches)
    assert figures["provinces covered"] == 31  # the compilation covers every province
    assert figures["provincial statements"] + figures["central statements"] == len(speeches)
    steps = overview.cleaning_steps(quality).set_index("step")
    assert figures["pinyin annotations removed"] == steps.loc["pinyin", "total"] > 2000
    assert summary.sentences[0] == "The folder holds **5** files: **5** loaded."
    assert "dated from **2021-04-13** to **2022-03-18**" in summary.sentences[1]


def test_mini_corpus_summary(mini):
    summary = overview.summarize(mini.documents, mini.speeches, mini.quality)
    # 000: one central statement; 001: compilation of 北京, 广东, 内蒙古; 002: one 山西 report.
    assert summary.figures["provinces covered"] == 4 and summary.figures["central statements"] == 1
    assert "**5** statements: **4** provincial ones covering **4** provinces and **1** central ones" in summary.sentences[1]
    assert not any("nan" in s.lower().split() for s in summary.sentences)


def test_tables_have_no_text_column_and_before_after_reads_the_raw_files(mini):
    assert "text" not in overview.document_table(mini.documents)
    assert "text" not in overview.speech_table(mini.speeches)
    examples = overview.before_after(mini.documents, MINI_CORPUS, n_docs=2, n_chars=40)
    assert len(examples) == 2 and (examples["before"] != examples["after"]).any()
    assert examples["after"].str.len().max() <= 40


def test_write_summary_writes_a_bom_csv(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path))
    path = overview.write_summary(overview.summarize(mini.documents, mini.speeches, mini.quality))
    assert path.parent == tmp_path / "tables" and path.read_bytes().startswith(b"\xef\xbb\xbf")
