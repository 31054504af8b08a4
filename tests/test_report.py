"""Unit tests of shuangtan.report on tiny notebooks built here (the real notebooks: test_notebooks.py)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from shuangtan import report

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebook(path: Path, *cells) -> Path:
    """Write a notebook made of `cells` to `path` and return the path."""
    nbformat.write(new_notebook(cells=list(cells), metadata={"kernelspec": KERNELSPEC}), path)
    return path


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory) -> dict:
    """One tiny notebook rendered with a custom corpus folder; its page, executed notebook and folders."""
    root = tmp_path_factory.mktemp("tiny")
    corpus = root / "my corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("<b>x</b>", encoding="utf-8")
    (root / "notebooks").mkdir()
    notebook = write_notebook(
        root / "notebooks" / "05-tiny.ipynb",
        new_markdown_cell("# Tiny <check>\n\nReads **nothing** and draws `one` [chart](https://example.org)."),
        new_code_cell(
            "import os\nfrom pathlib import Path\n\nimport matplotlib.pyplot as plt\n"
            "from shuangtan.paths import outputs_dir, seeds_dir"
        ),
        new_code_cell("SEEDS_DIR = None", metadata={"tags": ["parameters"]}),
        new_code_cell("print(os.getcwd())\nprint(sorted(os.listdir('.')))\nprint(seeds_dir(SEEDS_DIR))\nprint(outputs_dir())"),
        new_code_cell("fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([0, 1])\nplt.show()"),
    )
    page = root / "html" / "05-tiny.html"
    executed = report.render(notebook, page, seeds=corpus, outputs=root / "outputs")
    return {"root": root, "corpus": corpus, "notebook": notebook, "page": page, "executed": executed}


def stdout_lines(executed) -> list[str]:
    """Return the printed lines of the tiny notebook's fourth cell."""
    return executed.cells[3].outputs[0].text.splitlines()


def test_kernel_runs_in_an_empty_folder_away_from_the_notebook(tiny_site):
    cwd, listing, _, _ = stdout_lines(tiny_site["executed"])
    assert Path(cwd).resolve() != tiny_site["notebook"].parent.resolve()
    assert listing == "[]"


def test_seeds_and_outputs_reach_the_kernel(tiny_site):
    _, _, seeds, outputs = stdout_lines(tiny_site["executed"])
    assert seeds == str(tiny_site["corpus"].resolve())
    assert outputs == str((tiny_site["root"] / "outputs").resolve())


def test_page_is_offline_with_embedded_images(tiny_site):
    page = tiny_site["page"].read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert report.external_resources(page) == []
    assert soup.find_all("script", src=True) == []
    images = soup.find_all("img")
    assert images and all(image["src"].startswith("data:image/png;base64,") for image in images)
    assert soup.title.string == "Tiny <check>"


def test_page_gets_the_usual_permissions_not_the_temporary_files_0600(tiny_site):
    umask = os.umask(0)
    os.umask(umask)
    assert tiny_site["page"].stat().st_mode & 0o777 == 0o666 & ~umask


def test_render_fails_on_stderr_and_writes_nothing(tmp_path):
    notebook = write_notebook(
        tmp_path / "noisy.ipynb",
        new_markdown_cell("# Noisy"),
        new_code_cell("import warnings\nwarnings.warn('loud')"),
    )
    with pytest.raises(report.RenderError, match="stderr.*loud"):
        report.render(notebook, tmp_path / "noisy.html")
    assert not (tmp_path / "noisy.html").exists()


def test_render_fails_on_an_error(tmp_path):
    notebook = write_notebook(tmp_path / "bad.ipynb", new_markdown_cell("# Bad"), new_code_cell("1 / 0"))
    with pytest.raises(report.RenderError, match="ZeroDivisionError"):
        report.render(notebook, tmp_path / "bad.html")
    assert not (tmp_path / "bad.html").exists()


def test_output_problems_lists_stderr_and_errors():
    cell = new_code_cell("x")
    cell.outputs = [
        new_output("stream", name="stdout", text="fine\n"),
        new_output("stream", name="stderr", text="Building prefix dict\n"),
        new_output("error", ename="KeyError", evalue="'x'", traceback=[]),
    ]
    problems = report.output_problems(new_notebook(cells=[new_markdown_cell("# T"), cell]))
    assert problems == ["cell 2 wrote to stderr: Building prefix dict", "cell 2 raised KeyError: 'x'"]


def test_external_resources_finds_cdn_scripts_only():
    page = (
        '<script src="https://cdnjs.cloudflare.com/require.js"></script><script>var a = 1;</script>'
        '<link rel="stylesheet" href="//fonts.example.org/a.css"><a href="https://example.org">x</a>'
        '<script src="local.js"></script>'
    )
    assert len(report.external_resources(page)) == 2


def test_summary_reads_h1_and_overview():
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Term **frequency**\n\nCounts [terms](https://x.org) in `speeches`.\n\nMore."),
            new_markdown_cell("## Setup"),
        ]
    )
    summary = report.summarize(notebook, "01-term-frequency")
    assert summary == report.NotebookSummary("01-term-frequency", "Term frequency", "Counts terms in speeches.")


def test_summary_takes_the_overview_from_the_next_cell_and_falls_back_to_the_stem():
    split = new_notebook(cells=[new_markdown_cell("# Title"), new_markdown_cell("The overview\nsentence.")])
    assert report.summarize(split, "x").overview == "The overview sentence."
    assert report.summarize(new_notebook(cells=[new_code_cell("1")]), "02-x").title == "02-x"


def test_index_escapes_titles_and_overviews(tmp_path):
    notebook = write_notebook(
        tmp_path / "03-evil.ipynb",
        new_markdown_cell("# <script>alert(1)</script> title\n\nText with <img src=x onerror=alert(2)>."),
    )
    index = report.write_index(tmp_path / "site", [notebook], seeds=tmp_path)
    page = index.read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert soup.find_all("img") == [] and all(not s.string or "alert" not in s.string for s in soup.find_all("script"))
    link = soup.find("a", href="03-evil.html")
    assert link.get_text() == "<script>alert(1)</script> title"
    assert "Text with <img src=x onerror=alert(2)>." in soup.get_text()


def test_strip_removes_outputs_and_leaves_clean_files_untouched(tmp_path):
    cell = new_code_cell("print(1)", execution_count=3, metadata={"execution": {"iopub.status.idle": "2024-01-01T00:00:00Z"}, "tags": ["parameters"]})
    cell.outputs = [new_output("stream", name="stdout", text="1\n")]
    dirty = write_notebook(tmp_path / "dirty.ipynb", new_markdown_cell("# D"), cell)
    assert len(report.stripping_problems(report.read_notebook(dirty))) == 3
    assert report.strip_file(dirty) is True
    cleaned = report.read_notebook(dirty)
    assert report.stripping_problems(cleaned) == []
    assert cleaned.cells[1].metadata == {"tags": ["parameters"]}
    before = dirty.stat().st_mtime_ns
    assert report.strip_file(dirty) is False
    assert dirty.stat().st_mtime_ns == before


def test_command_line_strip_check_exit_status(tmp_path, capsys):
    cell = new_code_cell("1", execution_count=1)
    dirty = write_notebook(tmp_path / "dirty.ipynb", cell)
    assert report.main(["strip", "--check", str(dirty)]) == 1
    assert report.main(["strip", str(dirty)]) == 0
    assert report.main(["strip", "--check", str(dirty)]) == 0
