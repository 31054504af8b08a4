"""The corpus overview, clustering and timeline on corpora unlike the seeds (tests/fixtures/make_edge_corpora.py).

Every Summary sentence must be true on every corpus: no NaN, no seed-only facts, nothing said that
was not computed. Gold values come from reading the generated texts (see the generator's docstring).
Each figure function is drawn on every corpus (missing glyphs fail: pytest turns matplotlib
UserWarnings into errors). A few notebook executions check that the pages render on the hardest cases.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from shuangtan import clustering, overview, plots, timeline  # noqa: E402
from shuangtan.corpus import load_documents, load_speeches, quality_report  # noqa: E402
from shuangtan.occasions import occasion_labels  # noqa: E402
from shuangtan.paths import NOTEBOOKS_DIR  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
import make_edge_corpora  # noqa: E402

CASES = ("empty", "one_document", "two_provinces", "no_dates", "duplicate_dates", "outside_window")
# Words that betray a number that was not computed, or facts true only of the seeds.
NOT_COMPUTED = re.compile(r"\b(nan|NaN|NaT|None|inf)\b|<NA>")
SEED_ONLY = ("one selected statement per province", "Zhejiang and Shanxi", "compilation of provincial leaders")
# Small settings: the edge corpora have at most 31 provinces and these checks need no precision.
FAST = {"n_seeds": 3, "n_subsamples": 3, "n_null": 2}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    return make_edge_corpora.write_all(tmp_path_factory.mktemp("edge"))


@pytest.fixture(scope="module")
def tables(folders) -> dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return {case: (load_documents(folders[case]), load_speeches(folders[case]), quality_report(folders[case]))
            for case in CASES}


@pytest.fixture(scope="module")
def clustered(tables) -> dict[str, clustering.ClusterResult]:
    return {case: clustering.analyse(tables[case][1], **FAST) for case in CASES}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def summaries(case: str, tables, clustered) -> list[str]:
    """Return every Summary sentence of the three analyses on one corpus."""
    documents, speeches, quality = tables[case]
    result = clustered[case]
    return [
        *overview.summarize(documents, speeches, quality).sentences,
        *clustering.summarize(result, clustering.sensitivity_table(speeches, result, **FAST)).sentences,
        *timeline.summarize(speeches, occasion_names=occasion_labels()).sentences,
    ]


@pytest.mark.parametrize("case", CASES)
def test_every_summary_sentence_is_computed(case, tables, clustered):
    sentences = summaries(case, tables, clustered)
    assert sentences and all(s.strip() for s in sentences)
    for sentence in sentences:
        assert not NOT_COMPUTED.search(sentence), sentence
        assert not any(fact in sentence for fact in SEED_ONLY), sentence


@pytest.mark.parametrize("case", CASES)
def test_every_figure_draws(case, tables, clustered):
    _, speeches, _ = tables[case]
    result = clustered[case]
    statements = timeline.statements_by_province(speeches)
    first = timeline.first_actions(speeches)
    events = timeline.milestones()
    figures = [
        plots.statement_lengths(speeches),
        *(getattr(plots, name)(result) for name in ("silhouette_curve", "vocabulary_map", "similarity_heatmap",
                                                    "cluster_map", "cluster_terms", "stability_chart", "length_chart")),
        plots.statement_timeline(statements, first, events),
        plots.diffusion_chart(first, events),
        plots.first_action_map(first),
        plots.occasion_timeline(statements, events, occasion_labels()),
    ]
    for fig in figures:
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        assert plots.missing_glyphs(texts) == []
        assert not any(NOT_COMPUTED.search(t) for t in texts), [t for t in texts if NOT_COMPUTED.search(t)]


def test_empty_folder_says_there_is_nothing_to_analyse(tables, clustered):
    documents, speeches, quality = tables["empty"]
    assert "nothing to analyse" in overview.summarize(documents, speeches, quality).sentences[0]
    assert clustered["empty"].k == 0 and "No clustering" in clustering.summarize(clustered["empty"]).sentences[0]
    assert timeline.summarize(speeches).sentences == [
        "The corpus holds no provincial statement naming one of the 31 provinces, so there is no timeline to draw."]


@pytest.mark.parametrize("case, n_provinces", [("one_document", 1), ("two_provinces", 2)])
def test_too_few_provinces_are_not_clustered(case, n_provinces, clustered):
    result = clustered[case]
    assert result.k == 0
    assert f"at least 3 provinces with statements, found {n_provinces}" in result.reason
    assert clustering.summarize(result).sentences == [result.reason]


def test_two_provinces_are_listed_in_order(tables):
    sentences = timeline.summarize(tables["two_provinces"][1]).sentences
    assert sentences[0].startswith("**2 of 31 provinces** have a dated statement")
    assert "**In order:** 山东 (Shandong, 2021-09-14), 江西 (Jiangxi, 2021-11-18)." in sentences


def test_a_corpus_without_dates_places_nothing_in_time(tables, clustered):
    speeches = tables["no_dates"][1]
    assert speeches["date"].isna().all() and len(speeches) == 5
    sentences = timeline.summarize(speeches).sentences
    assert sentences[0].startswith("**0 of 31 provinces**") and "5 of them without a known date" in sentences[0]
    assert sentences[1] == "No provincial statement has a known date, so no first action can be placed in time."
    first = timeline.first_actions(speeches)
    assert set(first.loc[first["n_statements"] > 0, "reason"]) == {"1 statement(s), none with a known date"}
    assert clustered["no_dates"].k >= 2  # five provinces can still be clustered


def test_duplicate_province_dates_and_undated_pairs(tables):
    speeches = tables["duplicate_dates"][1]
    first = timeline.first_actions(speeches).set_index("province")
    assert first.loc["浙江", "n_statements"] == 2 and first.loc["浙江", "first_date"] == pd.Timestamp("2021-05-20")
    assert first.loc["江苏", "n_undated"] == 2 and pd.isna(first.loc["江苏", "first_date"])
    assert len(timeline.statements_by_province(speeches)) == 8  # the central statement is not provincial
    sentences = timeline.summarize(speeches).sentences
    assert sentences[0].startswith("**5 of 31 provinces**") and "(8 provincial statements, 2 of them" in sentences[0]
    assert "First actions run from **2021-04-13** to **2021-08-12** (121 days)." in sentences


def test_the_window_follows_the_data(tables):
    speeches = tables["outside_window"][1]
    statements = timeline.statements_by_province(speeches)
    first = timeline.first_actions(speeches)
    fig = plots.statement_timeline(statements, first, timeline.milestones())
    low, high = (mdates.num2date(x).replace(tzinfo=None) for x in fig.axes[0].get_xlim())
    assert low < pd.Timestamp("2019-06-05") and high > pd.Timestamp("2025-12-30")
    assert "First actions run from **2019-06-05** to **2025-12-30**" in timeline.summarize(speeches).sentences[1]


def test_thousands_of_documents_aggregate(tmp_path_factory):
    folder = make_edge_corpora.write_many(tmp_path_factory.mktemp("many"), n_documents=1000)
    speeches = load_speeches(folder)
    assert len(speeches) == 1000
    fig = plots.statement_lengths(speeches)
    fig.canvas.draw()
    assert len([t for t in fig.axes[0].get_yticklabels() if t.get_text()]) < 30  # a histogram, not 1,000 bars
    reprints = timeline.is_reprint(speeches)
    assert reprints.any()  # word-for-word reprints are marked by the corpus
    assert len(timeline.statements_by_province(speeches)) == int((~reprints).sum())
    result = clustering.analyse(speeches, **FAST)
    assert result.k >= 2 and len(result.documents) == 31
    assert result.documents["n_statements"].sum() == int((~reprints).sum())
    for sentence in clustering.summarize(result).sentences + timeline.summarize(speeches).sentences:
        assert not NOT_COMPUTED.search(sentence), sentence


@pytest.mark.parametrize("name", ["seeds", "mini_corpus"])
def test_summaries_of_the_seeds_and_the_mini_corpus(name, seeds_path):
    folder = seeds_path if name == "seeds" else Path(__file__).resolve().parent / "fixtures" / "mini_corpus"
    documents, speeches, quality = load_documents(folder), load_speeches(folder), quality_report(folder)
    result = clustering.analyse(speeches, **FAST)
    sentences = [*overview.summarize(documents, speeches, quality).sentences,
                 *clustering.summarize(result, clustering.sensitivity_table(speeches, result, **FAST)).sentences,
                 *timeline.summarize(speeches, occasion_names=occasion_labels()).sentences]
    for sentence in sentences:
        assert not NOT_COMPUTED.search(sentence), sentence
        assert not any(fact in sentence for fact in SEED_ONLY), sentence
    provinces = 31 if name == "seeds" else 4  # mini: 北京, 广东, 内蒙古 (compilation) and 山西 (report)
    assert f"clusters of {provinces} provinces" in sentences[len(overview.summarize(documents, speeches, quality).sentences)]
    assert any(s.startswith(f"**{provinces} of 31 provinces** have a dated statement") for s in sentences)


# --------------------------------------------------------------------------- notebooks

NOTEBOOK_RUNS = [("00-corpus-overview", "empty"), ("02-tfidf-clustering", "empty"), ("03-timeline", "empty"),
                 ("02-tfidf-clustering", "two_provinces"), ("03-timeline", "no_dates")]


def execute(stem: str, corpus: Path, outputs: Path) -> nbformat.NotebookNode:
    """Return the notebook executed in a fresh kernel with SEEDS_DIR set in its parameters cell."""
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    for cell in notebook.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace("SEEDS_DIR = None", f"SEEDS_DIR = {str(corpus)!r}")
    env = {"SHUANGTAN_OUTPUTS": str(outputs), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    # kernel_name "python3": this interpreter, whatever "shuangtan" kernel another checkout registered for the user.
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(outputs)}}).execute(
        env={**os.environ, **env})
    return notebook


@pytest.mark.notebook
@pytest.mark.parametrize("stem, case", NOTEBOOK_RUNS, ids=[f"{s[:2]}-{c}" for s, c in NOTEBOOK_RUNS])
def test_notebook_renders_on_edge_corpus(stem, case, folders, tmp_path):
    notebook = execute(stem, folders[case], tmp_path)
    shown = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", output.get("evalue")
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text
            shown.append(output.get("data", {}).get("text/markdown", ""))
    markdown = "\n".join(shown)
    assert markdown.strip(), "the page explains nothing"
    assert not NOT_COMPUTED.search(markdown), markdown


@pytest.fixture(scope="module")
def many_folder(tmp_path_factory) -> Path:
    """A corpus of 200 documents: more statements than any page should list row by row."""
    return make_edge_corpora.write_many(tmp_path_factory.mktemp("many-pages"), n_documents=200)


# Rows a page may show in one table; the whole table is the CSV under it.
MAX_SHOWN_ROWS = 60


@pytest.mark.notebook
@pytest.mark.parametrize("stem", sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")))
def test_no_page_lists_every_statement_of_a_large_corpus(stem, many_folder, tmp_path):
    notebook = execute(stem, many_folder, tmp_path)
    shown = [output.get("data", {}).get("text/html", "") for cell in notebook.cells for output in cell.get("outputs", [])]
    rows = [body.count("<tr") for html in shown for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S)]
    assert rows and max(rows) <= MAX_SHOWN_ROWS, rows
