"""The notebooks in notebooks/: committed clean, in the house style, and published as a site.

The real code path of `make report` (shuangtan.website.build.build_site) builds the site three
times per session, each notebook in a fresh kernel whose working directory is an empty temporary
folder: twice on the project's seeds (the second build re-executes everything, finds the first
one's token caches, and must give byte-identical pages, tables and figures) and once on
tests/fixtures/mini_corpus, a corpus of three documents (a central statement, a three-province
compilation, a one-province report) whose texts contain <script> and <img onerror> markup that must
reach the pages as visible, escaped text. These builds replace `pytest --nbmake`.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from shuangtan.paths import DEFAULT_SEEDS_DIR, NOTEBOOKS_DIR
from shuangtan.website.build import PageResult, build_site, publishable
from shuangtan.website.execute import output_problems, read_notebook
from shuangtan.website.outline import notebook_summary, summarize
from shuangtan.website.page import external_resources
from shuangtan.website.strip import kernelspec_problems, stripping_problems

NOTEBOOKS = publishable(NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
MINI_CORPUS = Path(__file__).resolve().parent / "fixtures" / "mini_corpus"
# Markup planted in the mini corpus (a title, document openings, speech texts): text, never tags.
PLANTED_MARKUP = ("<script>alert(", "<img src=x onerror=alert(")
# What nbconvert writes for an image without alt text.
NO_ALT = "No description has been provided for this image"


def ids(paths: list[Path]) -> list[str]:
    """Return the notebook file stems, used as test ids."""
    return [path.stem for path in paths]


class Site:
    """A site built from the real notebooks: its folder and one PageResult per notebook stem."""

    def __init__(self, folder: Path, results: list[PageResult]):
        self.folder = folder
        self.results = {result.stem: result for result in results}

    def result(self, notebook: Path) -> PageResult:
        """Return the notebook's result; fail the test with its error when it did not render."""
        result = self.results[notebook.stem]
        if not result.ok:
            pytest.fail(f"{notebook.name} on {self.folder.parent.name}: {result.error}", pytrace=False)
        return result

    def executed(self, notebook: Path) -> nbformat.NotebookNode:
        return read_notebook(self.result(notebook).executed)

    def page(self, notebook: Path) -> str:
        self.result(notebook)
        return (self.folder / f"{notebook.stem}.html").read_text(encoding="utf-8")

    def files_of(self, notebook: Path) -> dict[str, bytes]:
        """Return the page and the tables and figures it wrote, by path in the site."""
        found = {f"{notebook.stem}.html": (self.folder / f"{notebook.stem}.html").read_bytes()}
        for kind in ("tables", "figures"):
            for path in sorted((self.folder / kind).glob(f"{notebook.stem}-*")):
                found[f"{kind}/{path.name}"] = path.read_bytes()
        return found


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Build the site of every notebook on a corpus at most once per (corpus, run number) in this session."""
    built: dict[tuple[Path, int], Site] = {}
    outputs = {corpus: tmp_path_factory.mktemp(f"outputs-{corpus.name}") for corpus in (DEFAULT_SEEDS_DIR, MINI_CORPUS)}

    def build(corpus: Path = DEFAULT_SEEDS_DIR, number: int = 1) -> Site:
        if (corpus, number) not in built:
            shutil.rmtree(outputs[corpus] / "cache" / "site", ignore_errors=True)  # execute again
            folder = tmp_path_factory.mktemp(f"site-{corpus.name}-{number}") / "html"
            results = build_site(NOTEBOOKS, seeds=corpus, outputs=outputs[corpus], out_dir=folder, log=lambda _: None, jobs=2)
            built[(corpus, number)] = Site(folder, results)
        return built[(corpus, number)]

    return build


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


# --------------------------------------------------------------------------- committed files


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks/[0-9][0-9]-*.ipynb under {NOTEBOOKS_DIR}"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_without_outputs(notebook_path):
    notebook = read_notebook(notebook_path)
    nbformat.validate(notebook)
    assert stripping_problems(notebook) == [], "run `make strip` before committing"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_uses_the_project_kernel(notebook_path):
    assert kernelspec_problems(read_notebook(notebook_path)) == []


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_starts_with_title_and_overview(notebook_path):
    notebook = read_notebook(notebook_path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell must be `# Title`"
    summary = summarize(notebook, notebook_path.stem)
    assert len(summary.overview) > 40, "the H1 must be followed by an overview paragraph"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_has_setup_and_summary_sections(notebook_path):
    headings = [
        line.strip()
        for source in markdown_cells(read_notebook(notebook_path))
        for line in source.splitlines()
        if line.startswith("## ")
    ]
    assert headings[:1] == ["## Setup"]
    assert "## Summary" in headings


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_one_parameters_cell_of_upper_case_settings(notebook_path):
    cells = parameters_cells(read_notebook(notebook_path))
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
    notebook = read_notebook(notebook_path)
    section = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            section = next((line for line in cell.source.splitlines() if line.startswith("## ")), section)
        elif section != "## Setup":
            imports = [node for node in ast.parse(cell.source).body if isinstance(node, (ast.Import, ast.ImportFrom))]
            assert not imports, f"move to ## Setup: {[ast.unparse(node) for node in imports]}"


# --------------------------------------------------------------------------- execution


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_without_stderr_or_errors(notebook_path, site):
    assert output_problems(site().executed(notebook_path)) == []


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_second_run_gives_identical_page_tables_and_figures(notebook_path, site):
    site().result(notebook_path), site(number=2).result(notebook_path)  # both rendered
    first, second = site().files_of(notebook_path), site(number=2).files_of(notebook_path)
    assert list(first) == list(second), "the two runs wrote different files"
    differing = [name for name in first if first[name] != second[name]]
    for name in differing[:1]:
        one, two = first[name], second[name]
        at = next((i for i, (x, y) in enumerate(zip(one, two)) if x != y), min(len(one), len(two)))
        pytest.fail(f"{name} differs between two runs at byte {at}: {one[max(0, at - 120):at + 80]!r} "
                    f"vs {two[max(0, at - 120):at + 80]!r} (and {len(differing) - 1} more files)", pytrace=False)


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_runs_on_the_mini_corpus(notebook_path, site):
    assert output_problems(site(MINI_CORPUS).executed(notebook_path)) == []


# --------------------------------------------------------------------------- rendered pages


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_page_is_offline_and_shows_markup_only_as_text(notebook_path, site):
    page = site(MINI_CORPUS).page(notebook_path)
    soup = BeautifulSoup(page, "html.parser")
    assert external_resources(page) == []
    assert all(image["src"].startswith("data:") for image in soup.find_all("img", src=True)), "images not embedded"
    for planted in PLANTED_MARKUP:
        assert planted not in page, f"unescaped {planted!r} in the page source"
    assert not soup.find_all("script", string=re.compile("alert")), "corpus markup became a <script>"
    assert not soup.find_all(attrs={"onerror": True}), "corpus markup became an element with onerror"


def test_planted_markup_is_visible_somewhere(site):
    mini = site(MINI_CORPUS)
    visible = " ".join(BeautifulSoup(mini.page(nb), "html.parser").get_text()
                       for nb in NOTEBOOKS if mini.results[nb.stem].ok)
    assert any(planted in visible for planted in PLANTED_MARKUP), (
        "no page shows the mini corpus's <script>/<img onerror> text, so escaping is untested"
    )


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_figure_has_alt_text_and_every_table_a_download(notebook_path, site):
    built = site()
    soup = BeautifulSoup(built.page(notebook_path), "html.parser")
    images = soup.select("div.jp-OutputArea-output img")
    assert images, "the page shows no figure"
    no_alt = [i for i, image in enumerate(images, 1) if not image.get("alt", "").strip() or image["alt"] == NO_ALT]
    assert not no_alt, f"figures {no_alt} have no alt text: show them with shuangtan.display.show_figure"
    tables = soup.select("div.jp-OutputArea-output table")
    boxed = soup.select("div.shuangtan-table-box table")
    assert len(boxed) == len(tables), "every table is shown with shuangtan.display.show_table (readable, downloadable)"
    links = [a["href"] for a in soup.select("p.shuangtan-download a")]
    assert len(links) == len(tables)
    links += [a["href"] for a in soup.select("figure.shuangtan-figure figcaption a")]
    assert all((built.folder / link).is_file() for link in links)


def test_index_links_every_notebook_by_title_and_shows_key_figures(site):
    mini = site(MINI_CORPUS)
    soup = BeautifulSoup((mini.folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {link["href"]: link.get_text() for link in soup.select("ol.notebooks h2 a")}
    assert links == {f"{path.stem}.html": notebook_summary(path).title for path in NOTEBOOKS}
    assert "mini_corpus/ (3 documents)" in soup.get_text()
    for image in soup.select("div.thumb img"):
        assert (mini.folder / image["src"]).is_file() and image["alt"]
