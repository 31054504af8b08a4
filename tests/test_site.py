"""The site builder (shuangtan.website) on tiny notebooks built here, and `make report` on hostile, empty and missing folders.

The real notebooks are built into a site in tests/test_notebooks.py.
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from shuangtan.paths import PROJECT_ROOT
from shuangtan.website import RenderError
from shuangtan.website.build import build_site, publishable
from shuangtan.website.execute import is_progress_output

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
SETUP = "import sys\nimport pandas as pd\nimport matplotlib.pyplot as plt\nfrom tqdm import tqdm\nfrom shuangtan.display import show_table, show_figure\nfrom shuangtan.paths import seeds_dir"
TABLE = (
    "frame = pd.DataFrame({'省份': ['北京', '=HYPERLINK(\"x\")', None, '上海'], 'n_chars': [1.0, None, 3.0, 4.0],\n"
    "                      'date': pd.to_datetime(['2021-09-14', None, '2021-10-01', '2022-01-01'])})\n"
    "show_table(frame, 'provinces', caption='省份 <b>表</b>', top=3)"
)
FIGURE = ("fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([0, 1, 4])\nax.set_title('Growth')\n"
          "show_figure(fig, 'line', alt='A line rising from 0 to 4')")


def write_notebook(path: Path, *sources: str) -> Path:
    """Write a notebook whose cells are markdown when they start with '#', else code; return the path."""
    cells = [new_markdown_cell(s) if s.startswith("#") else new_code_cell(s) for s in sources]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), path)
    return path


@pytest.fixture(scope="module")
def fixed_library():
    """Pretend the library does not change during these tests (others may be editing it while they run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("shuangtan.website.build.library_fingerprint", lambda: "fixed")
        yield


@pytest.fixture(scope="module")
def project(tmp_path_factory, fixed_library) -> dict:
    """Two corpora with hostile names, five notebooks (one fails, two are strays) and an outputs folder."""
    root = tmp_path_factory.mktemp("site")
    corpus = root / "my corpus $%:x"
    corpus.mkdir()
    (corpus / "a b%c:$d.txt").write_text("北京市委书记在会上强调碳达峰。", encoding="utf-8")
    other = root / "other"
    other.mkdir()
    (other / "one.txt").write_text("上海。", encoding="utf-8")
    (other / "two.txt").write_text("广东。", encoding="utf-8")
    books = root / "notebooks"
    books.mkdir()
    write_notebook(books / "01-alpha.ipynb", "# Alpha <page>\n\nShows a table and a figure of the corpus.",
                   "## Setup", SETUP, "## A table", TABLE,
                   "for _ in tqdm(range(3), disable=False, file=sys.stderr):\n    pass",
                   "## A figure\n\n### The line", FIGURE, "## Summary\n\nDone.")
    write_notebook(books / "02-beta.ipynb", "# Beta\n\nFails on purpose.", "raise ValueError('beta broke <here>')")
    write_notebook(books / "03-gamma.ipynb", "# Gamma\n\nNames its corpus.", "## Setup", SETUP, "print(seeds_dir().name)")
    shutil.copy(books / "03-gamma.ipynb", books / "03-gamma-Copy1.ipynb")
    shutil.copy(books / "03-gamma.ipynb", books / "Untitled.ipynb")
    outputs = root / "outputs"
    results = build_site(sorted(books.glob("*.ipynb")), seeds=corpus, outputs=outputs, log=lambda _: None, jobs=2)
    return {"root": root, "corpus": corpus, "other": other, "books": books, "outputs": outputs,
            "site": outputs / "html", "results": {r.stem: r for r in results}}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_strays_are_not_published(project):
    assert list(project["results"]) == ["01-alpha", "02-beta", "03-gamma"]
    assert sorted(p.name for p in project["site"].glob("*.html")) == [
        "01-alpha.html", "02-beta.html", "03-gamma.html", "index.html"]
    names = ["01-x.ipynb", "01-x-Copy1.ipynb", "01-x-Copy2.ipynb", "Untitled1.ipynb", "x.ipynb", "01-x.py"]
    assert [p.name for p in publishable(names)] == ["01-x.ipynb"]


def test_a_failing_notebook_is_marked_and_the_others_are_published(project):
    results = project["results"]
    assert results["01-alpha"].ok and results["03-gamma"].ok, results
    assert "beta broke" in results["02-beta"].error
    index = soup(project["site"] / "index.html")
    failed = index.select("li.failed")
    assert len(failed) == 1 and failed[0].find("a")["href"] == "02-beta.html"
    assert "beta broke <here>" in failed[0].get_text()
    error_page = (project["site"] / "02-beta.html").read_text(encoding="utf-8")
    assert "beta broke &lt;here&gt;" in error_page and "<here>" not in error_page


def test_pages_fold_code_and_have_contents_neighbours_and_language(project):
    page = soup(project["site"] / "01-alpha.html")
    assert page.html["lang"] == "en"
    assert page.title.string == "Alpha <page>"
    code_cells = page.select("div.jp-CodeCell")
    assert code_cells and all(cell.find("details", class_="shuangtan-code") for cell in code_cells)
    assert all(d.find("summary").get_text() == "Code" and not d.has_attr("open") for d in page.select("details"))
    assert not page.find_all("script", src=True)
    toc = page.select_one("nav.shuangtan-toc")
    targets = [a["href"][1:] for a in toc.find_all("a")]
    assert [a.get_text() for a in toc.find_all("a")] == ["Setup", "A table", "A figure", "The line", "Summary"]
    assert all(page.find(id=target) for target in targets)
    assert page.select_one('a[rel="next"]')["href"] == "02-beta.html"
    gamma = soup(project["site"] / "03-gamma.html")
    assert gamma.select_one('a[rel="prev"]')["href"] == "02-beta.html"
    assert gamma.select_one('a[rel="next"]') is None


def test_every_page_names_its_corpus(project):
    for name in ("index", "01-alpha", "02-beta", "03-gamma"):
        assert "my corpus $%:x/ (1 documents)" in soup(project["site"] / f"{name}.html").get_text()
    assert "my corpus $%:x" in soup(project["site"] / "03-gamma.html").select("div.jp-OutputArea-output")[0].get_text()


def test_tables_are_readable_and_downloadable(project):
    page = soup(project["site"] / "01-alpha.html")
    box = page.select_one("div.shuangtan-table-box")
    assert box["lang"] == "zh-Hans"
    table = box.find("table")
    assert [th.get_text() for th in table.select("thead th")] == ["省份", "characters", "date"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert rows == [["北京", "1", "2021-09-14"], ['=HYPERLINK("x")', "", ""], ["", "3", "2021-10-01"]]
    assert table.caption.get_text() == "省份 <b>表</b>"
    link = page.select_one("p.shuangtan-download a")
    assert "Showing the first 3 of 4 rows" in link.parent.get_text()
    csv = project["site"] / link["href"]
    assert csv.name == "01-alpha-provinces.csv" and csv.parent.name == "tables"
    data = csv.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    frame = pd.read_csv(csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["省份"]) == ["北京", "'=HYPERLINK(\"x\")", "", "上海"]
    assert list(frame["date"]) == ["2021-09-14", "", "2021-10-01", "2022-01-01"]


def test_figures_have_alt_text_and_png_and_svg_files(project):
    page = soup(project["site"] / "01-alpha.html")
    images = page.select("figure.shuangtan-figure img")
    assert [image["alt"] for image in images] == ["A line rising from 0 to 4"]
    assert images[0]["src"].startswith("data:image/png;base64,")
    links = [a["href"] for a in page.select("figure.shuangtan-figure figcaption a")]
    assert links == ["figures/01-alpha-line.png", "figures/01-alpha-line.svg"]
    assert all((project["site"] / link).is_file() for link in links)
    svg = (project["site"] / links[1]).read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert len(page.find_all("img")) == 1, "the figure is shown once (closed after saving)"


def test_index_shows_each_key_figure_as_a_thumbnail(project):
    index = soup(project["site"] / "index.html")
    thumbs = index.select("div.thumb img")
    assert [(img["src"], img["alt"]) for img in thumbs] == [("figures/01-alpha-line.png", "A line rising from 0 to 4")]
    assert (project["site"] / thumbs[0]["src"]).is_file()


def test_progress_bars_do_not_fail_or_show(project):
    assert project["results"]["01-alpha"].ok
    assert "it/s" not in (project["site"] / "01-alpha.html").read_text(encoding="utf-8")
    assert is_progress_output("\r 50%|#####     | 1/2 [00:00<00:00, 3.1it/s]\r100%|##########| 2/2 [00:00<00:00]\n")
    assert not is_progress_output("/x.py:3: UserWarning: careful\n  warnings.warn('careful')\n")


def test_pages_are_byte_identical_after_a_second_execution(project, tmp_path):
    shutil.rmtree(project["outputs"] / "cache" / "site")
    again = tmp_path / "html"
    results = build_site(sorted(project["books"].glob("*.ipynb")), seeds=project["corpus"],
                         outputs=project["outputs"], out_dir=again, log=lambda _: None)
    assert not any(r.reused for r in results)
    first, second = site_files(project["site"]), site_files(again)
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_library_fingerprint_follows_the_files_notebooks_use():
    from shuangtan.website import build

    files = {path.relative_to(build.PACKAGE_DIR).as_posix() for path in build.library_files()}
    assert {"display.py", "paths.py", "data/stopwords.txt"} <= files
    assert not any(name.startswith("website/") or "__pycache__" in name for name in files)


def test_a_rebuild_reuses_unchanged_executions(project, tmp_path):
    results = build_site(sorted(project["books"].glob("*.ipynb")), seeds=project["corpus"],
                         outputs=project["outputs"], out_dir=tmp_path / "html", log=lambda _: None)
    assert [r.stem for r in results if r.reused] == ["01-alpha", "03-gamma"]


def test_another_corpus_relabels_and_recomputes_every_page(project, tmp_path):
    outputs = tmp_path / "outputs"
    shutil.copytree(project["outputs"], outputs)
    results = build_site(sorted(project["books"].glob("*.ipynb")), seeds=project["other"],
                         outputs=outputs, log=lambda _: None)
    assert not any(r.reused for r in results)
    for name in ("index", "01-alpha", "03-gamma"):
        text = soup(outputs / "html" / f"{name}.html").get_text()
        assert "other/ (2 documents)" in text and "my corpus" not in text


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_missing_or_empty_corpus_fails_and_keeps_the_old_site(project, tmp_path, kind):
    folder = tmp_path / "no such folder"
    if kind == "empty":
        folder.mkdir()
        (folder / "metadata.csv").write_text("doc_id,province,field,value,source_note\n", encoding="utf-8")
    outputs = tmp_path / "outputs"
    shutil.copytree(project["site"], outputs / "html")
    before = site_files(outputs / "html")
    with pytest.raises(RenderError, match=str(folder)):
        build_site(sorted(project["books"].glob("*.ipynb")), seeds=folder, outputs=outputs, log=lambda _: None)
    assert site_files(outputs / "html") == before


# --------------------------------------------------------------------------- make report


def make_report(folder: Path, outputs: Path) -> subprocess.CompletedProcess:
    """Run `make report SEEDS=folder` with this interpreter and `outputs` as $SHUANGTAN_OUTPUTS."""
    env = {**os.environ, "SHUANGTAN_OUTPUTS": str(outputs)}
    env.pop("SHUANGTAN_SEEDS", None)
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "report", f"SEEDS={folder}",
               f"SHUANGTAN={sys.executable} -m shuangtan"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1800)


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_make_report_fails_loudly_on_a_missing_or_empty_folder(tmp_path, kind):
    folder = tmp_path / "typo $x" / "corpus"
    if kind == "empty":
        folder.mkdir(parents=True)
    done = make_report(folder, tmp_path / "outputs")
    assert done.returncode != 0
    assert str(folder) in done.stderr
    assert not (tmp_path / "outputs" / "html").exists()


@needs_make
@pytest.mark.skipif(not HOSTILE.is_dir(), reason="tests/fixtures/hostile/ is not there yet")
def test_make_report_on_the_hostile_corpus(tmp_path):
    corpus = tmp_path / "hostile copy"
    shutil.copytree(HOSTILE, corpus, symlinks=True)
    done = make_report(corpus, tmp_path / "outputs")
    site = tmp_path / "outputs" / "html"
    index = soup(site / "index.html")
    assert "hostile copy/" in index.select_one("p.corpus").get_text()
    pages = [a["href"] for a in index.select("ol.notebooks h2 a")]
    assert pages and all((site / page).is_file() for page in pages)
    failed = [li.find("a")["href"] for li in index.select("li.failed")]
    assert done.returncode == (1 if failed else 0), done.stderr[-3000:]
    assert failed == [], f"pages failing on the hostile corpus: {failed}\n{done.stderr[-3000:]}"


def test_papermill_resolves_a_relative_corpus_against_the_callers_folder(tmp_path):
    pytest.importorskip("papermill")
    caller = tmp_path / "caller"
    (caller / "my corpus").mkdir(parents=True)
    notebook = tmp_path / "elsewhere" / "01-p.ipynb"
    notebook.parent.mkdir()
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# P\n\nPrints its corpus."),
        new_code_cell("SEEDS_DIR = None", metadata={"tags": ["parameters"]}),
        new_code_cell("from shuangtan.paths import seeds_dir\nprint(seeds_dir(SEEDS_DIR, must_exist=True))"),
    ], metadata={"kernelspec": KERNELSPEC}), notebook)
    out = tmp_path / "out.ipynb"
    done = subprocess.run([sys.executable, "-m", "papermill", str(notebook), str(out), "-p", "SEEDS_DIR", "my corpus",
                           "-k", "python3"], cwd=caller, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = [o.text for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", []) if "text" in o]
    assert printed[-1].strip() == str(caller / "my corpus")
