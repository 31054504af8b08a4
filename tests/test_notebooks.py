"""The notebooks in notebooks/: committed clean, in the house style, and executable headless.

Each notebook is executed three times per session, each time in a fresh kernel whose working
directory is an empty temporary folder and whose outputs folder ($SHUANGTAN_OUTPUTS) is a
temporary one: twice on the project's seeds (the two runs must show identical tables; the second
one finds the first one's caches) and once on tests/fixtures/mini_corpus, a corpus of three
documents (a central statement, a three-province compilation, a one-province report) whose texts
contain <script> and <img onerror> markup that must reach the pages as visible, escaped text.
These executions replace `pytest --nbmake`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from shuangtan import report
from shuangtan.paths import DEFAULT_SEEDS_DIR, NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
MINI_CORPUS = Path(__file__).resolve().parent / "fixtures" / "mini_corpus"
# pandas Styler tables carry a random id (T_1a2b3_row0_col1) that differs between runs but shows nothing.
STYLER_ID = re.compile(r"\bT_[0-9a-f]{5}(?=[_\"\s])")
# Markup planted in the mini corpus (a title, document openings, speech texts): text, never tags.
PLANTED_MARKUP = ("<script>alert(", "<img src=x onerror=alert(")


def ids(paths: list[Path]) -> list[str]:
    """Return the notebook file stems, used as test ids."""
    return [path.stem for path in paths]


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory):
    """Execute a notebook at most once per (notebook, corpus, run number) in this session and return it.

    A failing execution is remembered too, so every test that needs it reports the same error.
    """
    results: dict[tuple[Path, Path, int], object] = {}
    outputs = {corpus: tmp_path_factory.mktemp(f"outputs-{corpus.name}") for corpus in (DEFAULT_SEEDS_DIR, MINI_CORPUS)}

    def run(notebook: Path, corpus: Path = DEFAULT_SEEDS_DIR, number: int = 1) -> nbformat.NotebookNode:
        key = (notebook, corpus, number)
        if key not in results:
            try:
                results[key] = report.execute_notebook(notebook, seeds=corpus, outputs=outputs[corpus])
            except report.RenderError as error:
                results[key] = error
        result = results[key]
        if isinstance(result, report.RenderError):
            pytest.fail(f"{notebook.name} on {corpus.name}: {result}", pytrace=False)
        return result

    return run


@pytest.fixture(scope="session")
def mini_pages(run_notebook) -> dict[str, str]:
    """The HTML page of every notebook executed on the mini corpus, by file stem (missing if execution failed)."""
    pages = {}
    for notebook in NOTEBOOKS:
        try:
            executed = run_notebook(notebook, MINI_CORPUS)
        except pytest.fail.Exception:
            continue
        title = report.summarize(executed, notebook.stem).title
        pages[notebook.stem] = report.notebook_to_html(executed, notebook.parent, title)
    return pages


def markdown_cells(notebook) -> list[str]:
    """Return the sources of the markdown cells."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def parameters_cells(notebook) -> list:
    """Return the code cells tagged `parameters`."""
    return [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])
    ]


def shown_tables(notebook) -> list[str]:
    """Return every table (DataFrame HTML) and markdown text the executed notebook displays, in order."""
    shown = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "<table" in data.get("text/html", ""):
                shown.append(STYLER_ID.sub("T_styler", data["text/html"]))
            if "text/markdown" in data:
                shown.append(data["text/markdown"])
    return shown


# --------------------------------------------------------------------------- committed files


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks/[0-9][0-9]-*.ipynb under {NOTEBOOKS_DIR}"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_without_outputs(notebook_path):
    notebook = report.read_notebook(notebook_path)
    nbformat.validate(notebook)
    assert report.stripping_problems(notebook) == [], "run `make strip` before committing"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_starts_with_title_and_overview(notebook_path):
    notebook = report.read_notebook(notebook_path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell must be `# Title`"
    summary = report.summarize(notebook, notebook_path.stem)
    assert len(summary.overview) > 40, "the H1 must be followed by an overview paragraph"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_has_setup_and_summary_sections(notebook_path):
    headings = [
        line.strip()
        for source in markdown_cells(report.read_notebook(notebook_path))
        for line in source.splitlines()
        if line.startswith("## ")
    ]
    assert headings[:1] == ["## Setup"]
    assert "## Summary" in headings


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_one_parameters_cell_of_upper_case_settings(notebook_path):
    cells = parameters_cells(report.read_notebook(notebook_path))
    assert len(cells) == 1, "exactly one code cell tagged `parameters`"
    tree = ast.parse(cells[0].source)
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, (ast.Assign, ast.AnnAssign)), f"only settings, found: {ast.unparse(statement)}"
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            assert isinstance(target, ast.Name), f"one `NAME = value` per setting (papermill), not {ast.unparse(target)}"
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", target.id), f"settings are UPPER_CASE: {target.id}"
            assigned[target.id] = statement.value
    assert "SEEDS_DIR" in assigned, "the parameters cell must hold SEEDS_DIR"
    assert isinstance(assigned["SEEDS_DIR"], ast.Constant) and assigned["SEEDS_DIR"].value is None


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_imports_only_in_setup(notebook_path):
    notebook = report.read_notebook(notebook_path)
    section = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            section = next((line for line in cell.source.splitlines() if line.startswith("## ")), section)
        elif section != "## Setup":
            imports = [node for node in ast.parse(cell.source).body if isinstance(node, (ast.Import, ast.ImportFrom))]
            assert not imports, f"move to ## Setup: {[ast.unparse(node) for node in imports]}"


# --------------------------------------------------------------------------- execution


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_without_stderr_or_errors(notebook_path, run_notebook):
    assert report.output_problems(run_notebook(notebook_path)) == []


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_second_run_shows_identical_tables(notebook_path, run_notebook):
    first = shown_tables(run_notebook(notebook_path, number=1))
    second = shown_tables(run_notebook(notebook_path, number=2))
    assert first, "the notebook shows no table or computed summary to compare"
    assert len(first) == len(second)
    for number, (one, two) in enumerate(zip(first, second), start=1):
        assert one == two, f"table {number} differs between two runs"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_on_the_mini_corpus(notebook_path, run_notebook):
    assert report.output_problems(run_notebook(notebook_path, MINI_CORPUS)) == []


# --------------------------------------------------------------------------- rendered pages


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_page_is_offline_and_shows_markup_only_as_text(notebook_path, mini_pages):
    if notebook_path.stem not in mini_pages:
        pytest.skip("did not execute on the mini corpus: see test_runs_on_the_mini_corpus")
    page = mini_pages[notebook_path.stem]
    soup = BeautifulSoup(page, "html.parser")
    assert report.external_resources(page) == []
    assert all(image["src"].startswith("data:") for image in soup.find_all("img", src=True)), "images not embedded"
    for planted in PLANTED_MARKUP:
        assert planted not in page, f"unescaped {planted!r} in the page source"
    assert not soup.find_all("script", string=re.compile("alert")), "corpus markup became a <script>"
    assert not soup.find_all(attrs={"onerror": True}), "corpus markup became an element with onerror"


def test_planted_markup_is_visible_somewhere(mini_pages):
    visible = " ".join(BeautifulSoup(page, "html.parser").get_text() for page in mini_pages.values())
    assert any(planted in visible for planted in PLANTED_MARKUP), (
        "no page shows the mini corpus's <script>/<img onerror> text, so escaping is untested"
    )


def test_index_links_every_notebook_by_title(tmp_path):
    index = report.write_index(tmp_path, NOTEBOOKS, seeds=MINI_CORPUS)
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    links = {link["href"]: link.get_text() for link in soup.select("ol.notebooks a")}
    assert links == {f"{path.stem}.html": report.notebook_summary(path).title for path in NOTEBOOKS}
    assert "mini_corpus/ (3 documents)" in soup.get_text()
