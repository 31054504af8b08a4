"""Tests for the on-disk corpus cache: Parquet tables keyed by folder content and library, exact round trip."""

from __future__ import annotations

import os
import shutil
import time

import pandas as pd
import pytest

from shuangtan import corpus as cm


@pytest.fixture()
def outputs(tmp_path, monkeypatch):
    """A private outputs folder (so a private cache) and an empty in-process memory."""
    folder = tmp_path / "outputs"
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(folder))
    monkeypatch.setattr(cm, "_MEMORY", {})
    return folder


@pytest.fixture()
def folder(tmp_path, seeds_path):
    """A copy of the seeds (with sidecars) that tests may change."""
    target = tmp_path / "seeds"
    shutil.copytree(seeds_path, target)
    return target


def age(folder, seconds=3600):
    """Make every entry look modified `seconds` ago (as files of a corpus collected earlier)."""
    past = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (past, past))


def forbid(monkeypatch, name):
    def fail(*args, **kwargs):
        raise AssertionError(f"{name} was called")

    monkeypatch.setattr(cm, name, fail)


def assert_same(left, right):
    for name in ("documents", "speeches", "quality"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), check_exact=True)


def test_warm_load_reads_the_parquet_tables_without_building(outputs, folder, monkeypatch):
    cold = cm.corpus(folder)
    assert_same(cold, cm.build_corpus(folder))
    stored = list((outputs / "cache" / "corpus").glob("*/*.parquet"))
    assert sorted(p.name for p in stored) == ["documents.parquet", "quality.parquet", "speeches.parquet"]
    assert all(p.read_bytes()[:4] == b"PAR1" for p in stored), "Parquet, never pickle"
    monkeypatch.setattr(cm, "_MEMORY", {})
    forbid(monkeypatch, "build_corpus")
    warm = cm.corpus(folder)
    assert_same(warm, cold)
    assert warm.documents["published"].dtype == cold.documents["published"].dtype


def test_unchanged_old_files_are_not_hashed_again(outputs, folder, monkeypatch):
    age(folder)
    first = cm.corpus_key(folder)  # hashes everything and records it
    forbid(monkeypatch, "_content_digest")
    assert cm.corpus_key(folder) == first


def test_recently_changed_file_is_hashed_even_with_same_size_and_time(outputs, folder):
    age(folder, seconds=0)  # files just saved: their hashes are recorded within the same tick
    path = folder / "004_f799dbbec6d66dff.txt"
    before = cm.corpus_key(folder)
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[-1:] = b"\n" if data[-1:] != b"\n" else b" "
    path.write_bytes(bytes(data))  # same size, rewritten within the timestamp tick
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert cm.corpus_key(folder) != before


@pytest.mark.parametrize("change", ["edit", "add", "remove", "sidecar"])
def test_any_change_of_the_folder_rebuilds(outputs, folder, change):
    age(folder)
    before = cm.corpus(folder)
    key = cm.corpus_key(folder)
    if change == "edit":
        path = folder / "002_1866d2bbd4d0eafa.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    elif change == "add":
        (folder / "005_new.txt").write_text("6月1日，省委书记张三在会上强调，推进碳达峰碳中和工作。", encoding="utf-8")
    elif change == "remove":
        (folder / "004_f799dbbec6d66dff.txt").unlink()
    else:
        (folder / "metadata.csv").unlink()
    assert cm.corpus_key(folder) != key
    after = cm.corpus(folder)
    assert_same(after, cm.build_corpus(folder))
    assert not after.documents.equals(before.documents) or not after.speeches.equals(before.speeches)


def test_library_change_changes_the_key(outputs, folder, monkeypatch):
    key = cm.corpus_key(folder)
    monkeypatch.setattr(cm, "library_key", lambda: "another library")
    assert cm.corpus_key(folder) != key


def test_damaged_cache_is_rebuilt(outputs, folder, monkeypatch):
    cold = cm.corpus(folder)
    for path in (outputs / "cache" / "corpus").glob("*/speeches.parquet"):
        path.write_bytes(b"not parquet")
    monkeypatch.setattr(cm, "_MEMORY", {})
    assert_same(cm.corpus(folder), cold)


def test_edge_tables_round_trip_exactly(outputs, tmp_path, bad_input_dir):
    """Error rows, empty strings, NaT dates, empty speeches: what is read back equals what was built."""
    for name, source in (("bad", bad_input_dir), ("empty", None)):
        target = tmp_path / name
        if source is None:
            target.mkdir()
        else:
            shutil.copytree(source, target)
        built = cm.build_corpus(target)
        cm.corpus(target)
        cm._MEMORY.clear()
        assert_same(cm.corpus(target), built)
    assert built.documents.empty and built.speeches.empty  # the empty folder


def test_round_trip_check_refuses_a_table_that_would_change(outputs, tmp_path):
    unstorable = cm.Corpus(pd.DataFrame({"x": [object()]}), pd.DataFrame(), pd.DataFrame())
    assert cm._write_tables(tmp_path / "refused", unstorable) is False
    changed = cm.Corpus(pd.DataFrame({"x": [1, 2]}, index=[5, 6]), pd.DataFrame(), pd.DataFrame())
    assert cm._write_tables(tmp_path / "refused", changed) is False  # the index would be lost
    assert not (tmp_path / "refused").exists()
    assert not list(tmp_path.glob(".building-*")), "no half-written folder is left behind"


def test_cache_false_and_missing_folder_do_not_write(outputs, folder, tmp_path):
    cm.corpus(folder, cache=False)
    assert not list((outputs / "cache").glob("corpus/*/*.parquet")) if (outputs / "cache").exists() else True
    missing = cm.corpus(tmp_path / "nowhere")
    assert missing.documents.empty and (missing.quality["severity"] == "error").all()


def test_library_key_covers_the_modules_that_build_the_tables():
    names = {path.relative_to(cm.PACKAGE_DIR).as_posix() for path in cm.upstream_files()}
    assert {"files.py", "clean.py", "statements.py", "reuse.py", "corpus.py", "data/provinces.csv"} <= names
    assert not names & {"tokens.py", "terms.py", "clustering.py", "timeline.py", "data/stopwords.txt"}, \
        "modules above the corpus cannot change the tables"
