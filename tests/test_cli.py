"""Tests for the command line ``python -m shuangtan export --out DIR [--seeds DIR]``."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from shuangtan.cli import main
from shuangtan.export import write_csv

TABLES = ("documents.csv", "speeches.csv", "quality.csv")


def _read(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def exported(seeds_path, tmp_path_factory):
    """Run the real command once in a subprocess, from an unrelated working directory."""
    out = tmp_path_factory.mktemp("tables")
    env = {**os.environ, "SHUANGTAN_OUTPUTS": str(tmp_path_factory.mktemp("outputs"))}  # caches go there
    env.pop("SHUANGTAN_SEEDS", None)
    done = subprocess.run([sys.executable, "-m", "shuangtan", "export", "--out", str(out), "--seeds", str(seeds_path)],
                          capture_output=True, text=True, cwd=out.parent, env=env, timeout=300)
    return done, out


def test_export_succeeds_quietly(exported):
    done, out = exported
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert f"wrote {out / 'documents.csv'} (5 rows)" in done.stdout
    assert f"wrote {out / 'speeches.csv'} (35 rows)" in done.stdout
    from shuangtan.cli import EXTRA_TABLES

    assert sorted(p.stem for p in out.glob("*.csv")) == sorted({"documents", "speeches", "quality", *EXTRA_TABLES})


@pytest.mark.parametrize("name", TABLES)
def test_export_writes_utf8_csv_with_a_bom(exported, name):
    _, out = exported
    data = (out / name).read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and not data[3:].startswith(codecs.BOM_UTF8)
    data.decode("utf-8")
    assert b"\r\n" not in data.split(b"\n", 1)[0]


def test_exported_tables_match_the_loaders(exported, seed_corpus):
    _, out = exported
    documents = _read(out / "documents.csv")
    assert len(documents) == 5 and set(documents["status"]) == {"ok"}
    assert list(documents["doc_id"]) == list(seed_corpus.documents["doc_id"])
    assert list(documents["text"]) == list(seed_corpus.documents["text"])
    speeches = _read(out / "speeches.csv")
    assert len(speeches) == 35
    expected = seed_corpus.speeches
    assert list(speeches["speech_id"]) == list(expected["speech_id"])
    assert list(speeches["date"]) == list(expected["date"].dt.strftime("%Y-%m-%d"))
    assert list(speeches["speaker"]) == list(expected["speaker"].fillna(""))
    assert list(speeches["province"]) == list(expected["province"].fillna(""))
    assert list(speeches["text"]) == list(expected["text"])
    quality = _read(out / "quality.csv")
    assert len(quality) == len(seed_corpus.quality)
    assert list(quality.columns) == list(seed_corpus.quality.columns)


def test_export_dates_are_plain_iso_days(exported):
    _, out = exported
    speeches = _read(out / "speeches.csv")
    assert speeches["date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    gansu = speeches.loc[speeches["province"] == "甘肃"].iloc[0]
    assert (gansu["date"], gansu["speaker"], gansu["speaker_source"]) == ("2022-02-18", "尹弘", "metadata")


def _bad_copy(bad_input_dir, tmp_path):
    folder = tmp_path / "bad_input"
    shutil.copytree(bad_input_dir, folder)
    return folder


@pytest.fixture()
def core_tables_only(monkeypatch, tmp_path):
    """Export only documents, speeches and quality (the optional clustering/timeline tables are slow)."""
    import shuangtan.cli

    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path / "outputs"))
    monkeypatch.setattr(shuangtan.cli.importlib.util, "find_spec", lambda name: None)


def _export_bad_input(folder, tmp_path, capsys):
    status = main(["export", "--out", str(tmp_path / "out"), "--seeds", str(folder)])
    return status, capsys.readouterr()


def test_export_of_bad_input_lists_every_error_file_and_still_writes(bad_input_dir, tmp_path, capsys,
                                                                    core_tables_only):
    folder = _bad_copy(bad_input_dir, tmp_path)
    status, captured = _export_bad_input(folder, tmp_path, capsys)
    assert status == 0
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert [line.split(":")[1].strip() for line in errors] == [
        "bad_input/binary.txt", "bad_input/empty.txt", "bad_input/image.png"]
    documents = _read(tmp_path / "out" / "documents.csv")
    assert len(documents) == 11 and (documents["status"] == "ok").sum() == 8
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES)


def test_export_of_the_whole_bad_input_folder_with_the_timeline_table(bad_input_dir, tmp_path, capsys, monkeypatch):
    import importlib.util

    import shuangtan.cli

    real_find_spec = importlib.util.find_spec
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path / "outputs"))
    monkeypatch.setattr(shuangtan.cli.importlib.util, "find_spec",  # skip only the slow clustering table
                        lambda name: None if name == "shuangtan.clustering" else real_find_spec(name))
    folder = _bad_copy(bad_input_dir, tmp_path)
    status, captured = _export_bad_input(folder, tmp_path, capsys)
    assert status == 0
    assert len(_read(tmp_path / "out" / "documents.csv")) == 11


def test_export_requires_a_command_and_an_out_folder(capsys):
    with pytest.raises(SystemExit) as no_command:
        main([])
    with pytest.raises(SystemExit) as no_out:
        main(["export"])
    assert no_command.value.code == no_out.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_write_csv_keeps_chinese_readable_in_excel(tmp_path):
    frame = pd.DataFrame({"省份": ["陕西", "内蒙古"], "date": pd.to_datetime(["2021-08-19", None])})
    path = write_csv(frame, tmp_path / "t.csv")
    assert path.read_bytes() == codecs.BOM_UTF8 + "省份,date\n陕西,2021-08-19\n内蒙古,\n".encode("utf-8")


def test_version_and_help_list_what_is_written(capsys):
    from shuangtan import __version__

    with pytest.raises(SystemExit) as version:
        main(["--version"])
    assert version.value.code == 0 and capsys.readouterr().out.strip() == f"shuangtan {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    assert "export" in top and "report" in top and "speeches.csv" in top
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    report_help = capsys.readouterr().out
    for written in ("index.html", "tables/", "figures/", ".svg", "build", "strip", "screenshot"):
        assert written in report_help


def test_a_missing_corpus_is_a_clear_error(tmp_path, capsys):
    folder = tmp_path / "no such corpus"
    assert main(["export", "--out", str(tmp_path / "out"), "--seeds", str(folder)]) == 2
    assert f"corpus folder {folder} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_installed_outside_a_checkout_nothing_resolves_into_the_package(monkeypatch, tmp_path):
    from shuangtan import paths

    monkeypatch.setattr(paths, "in_checkout", lambda: False)
    monkeypatch.delenv("SHUANGTAN_SEEDS", raising=False)
    monkeypatch.delenv("SHUANGTAN_OUTPUTS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache home"))
    monkeypatch.chdir(tmp_path)
    assert paths.seeds_dir() == tmp_path
    assert paths.seeds_dir("corpus") == tmp_path / "corpus"
    assert paths.outputs_dir() == tmp_path / "cache home" / "shuangtan"
    assert paths.cache_dir().is_relative_to(tmp_path / "cache home")
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path / "mine"))
    assert paths.outputs_dir() == tmp_path / "mine"
    with pytest.raises(paths.CorpusNotFoundError, match="missing"):
        paths.seeds_dir("missing", must_exist=True)
