"""Tests for shuangtan.executor and the corpus loader running on it: serial, process pool and Dask agree."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from shuangtan import corpus_build as corpus_module
from shuangtan import executor
from shuangtan.corpus import build_corpus

from conftest import FIXTURES_DIR


def square(x: int) -> int:
    return x * x


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory, seeds_path):
    """A corpus of 45 files: the seeds with their sidecars, the real pages and every kind of bad input."""
    folder = tmp_path_factory.mktemp("mixed") / "corpus"
    folder.mkdir()
    for source in (seeds_path, FIXTURES_DIR / "real_pages", FIXTURES_DIR / "bad_input"):
        if not source.is_dir():
            continue
        for path in sorted(source.iterdir()):
            if path.is_file() and not path.name.lower().startswith("readme"):
                if path.name in ("metadata.csv", "corrections.csv") and source != seeds_path:
                    continue
                shutil.copy(path, folder / path.name)
    return folder


def assert_same_tables(left, right):
    for name in ("documents", "speeches", "quality"):
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name), check_exact=True)


def test_map_ordered_keeps_order_everywhere():
    items = list(range(200))
    expected = [x * x for x in items]
    assert executor.map_ordered(square, items, processes=1) == expected
    assert executor.map_ordered(square, items, processes=2, batch_items=7) == expected
    assert executor.map_ordered(square, [], processes=2) == []


def test_small_work_stays_in_this_process(monkeypatch):
    monkeypatch.delenv("SHUANGTAN_PROCESSES", raising=False)
    assert executor.describe(n_items=executor.PARALLEL_MIN_ITEMS - 1) == "serial"
    assert executor.describe(processes=2, n_items=10) == "processes:2"
    assert executor.describe(processes=1, n_items=10_000) == "serial"
    monkeypatch.setenv("SHUANGTAN_PROCESSES", "3")
    assert executor.describe(n_items=10_000) == "processes:3"


def test_process_pool_gives_the_serial_tables(mixed_folder):
    serial = build_corpus(mixed_folder, processes=1)
    assert len(serial.documents) >= 20 and (serial.documents["status"] == "error").any()
    assert_same_tables(build_corpus(mixed_folder, processes=2), serial)


def test_one_failing_document_becomes_an_error_row(mixed_folder, monkeypatch):
    real = corpus_module.statements_of

    def explode(doc, recorder):
        if doc["doc_id"].startswith("002_"):
            raise ValueError("synthetic failure")
        return real(doc, recorder)

    monkeypatch.setattr(corpus_module, "statements_of", explode)
    tables = build_corpus(mixed_folder, processes=1)
    row = tables.documents.set_index("doc_id").loc["002_1866d2bbd4d0eafa"]
    assert row["status"] == "error" and "synthetic failure" in row["error"] and "report" in row["error"]
    assert (tables.documents["status"] == "ok").sum() >= 5, "the other files still load"
    assert not (tables.speeches["doc_id"] == "002_1866d2bbd4d0eafa").any()


def test_dask_local_cluster_gives_the_serial_tables(mixed_folder):
    distributed = pytest.importorskip("distributed")
    serial = build_corpus(mixed_folder, processes=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        assert executor.describe(client=client).startswith("dask:")
        assert_same_tables(build_corpus(mixed_folder, client=client), serial)
