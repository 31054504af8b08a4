"""README.md shows only what works: its Python blocks run as written, its commands and modules exist."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys

import pytest

import shuangtan
from shuangtan.paths import PACKAGE_DIR, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[str]:
    """Return the README's fenced code blocks of one language, in order."""
    return [body for lang, body in BLOCK.findall(README) if lang == language]


def test_readme_has_python_examples():
    assert len(blocks("python")) >= 2


def test_python_blocks_run_as_written_and_print_what_they_say(monkeypatch, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.delenv("SHUANGTAN_SEEDS", raising=False)
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path))
    namespace: dict = {}
    for block in blocks("python"):
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
        for expression, comment in re.findall(r"^print\((.*)\)\s+#\s*(.+)$", block, re.M):
            expected = comment.split(": ")[0].strip()
            assert str(eval(expression, namespace)) == expected, expression  # noqa: S307
    assert len(namespace["documents"]) == 5 and len(namespace["speeches"]) > 0


def test_every_name_imported_from_shuangtan_is_public():
    names = set()
    for block in blocks("python"):
        for module, imported in re.findall(r"^from (shuangtan[\w.]*) import (.+)$", block, re.M):
            for name in (n.strip() for n in imported.split(",")):
                names.add(name)
                target = shuangtan if module == "shuangtan" else __import__(module, fromlist=[name])
                assert callable(getattr(target, name)), f"{module}.{name}"
                if module == "shuangtan":
                    assert name in shuangtan.__all__, name


def test_data_flow_names_existing_modules():
    flow = README[README.index("Data flows one way"):]
    flow = flow[: flow.index("\n\n")]
    modules = re.findall(r"`(\w+)`", flow)
    assert modules
    missing = [m for m in modules if not (PACKAGE_DIR / f"{m}.py").is_file() and not (PACKAGE_DIR / m).is_dir()]
    assert missing == []


def test_make_targets_in_the_readme_exist():
    targets = set(re.findall(r"^([a-z-]+):", (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    named = set(re.findall(r"`make ([a-z-]+)", README)) | set(re.findall(r"^make ([a-z-]+)", README, re.M))
    assert named and named <= targets


@pytest.mark.parametrize("line", sorted({
    line.split("#")[0].strip() for block in blocks("bash") for line in block.splitlines()
    if line.startswith("shuangtan ")
}))
def test_shuangtan_commands_in_the_readme_exist(line):
    words = shlex.split(line)[1:]
    leading = next((i for i, word in enumerate(words) if word.startswith("-")), len(words))
    probe = words if words[-1] in ("--help", "--version") else words[:leading] + ["--help"]
    done = subprocess.run([sys.executable, "-m", "shuangtan", *probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
