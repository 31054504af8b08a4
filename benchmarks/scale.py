"""Benchmark shuangtan at corpus scale: 1k, 3k and 10k synthetic documents built from the real texts.

Run:  .venv/bin/python benchmarks/scale.py [--sizes 1000 3000 10000] [--notebooks] [--keep DIR]

The synthetic corpus is generated deterministically (seeded with ``paths.RANDOM_STATE``) from the
clean text of the seeds and of ``tests/fixtures/real_pages``: a word-level Markov chain over those
texts writes new sentences, so the pages read like the real ones without repeating them verbatim.
Each page gets a dated lead naming a province and an official, a length drawn around 1,500
characters, and one of the page shapes seen in the wild: Markdown with YAML front matter and HTML
paragraphs, a saved web page as text (breadcrumb, 来源, 时间, 责任编辑), a full HTML page with
navigation and footer, the same in traditional characters. About 2 % are compilations of numbered
provincial entries, 5 % reprints of an earlier page under another site's template, 2 % near-
duplicates (a paragraph dropped or added). Sizes are prefixes of one generated sequence.

For every size it prints, each measured in a fresh Python process with an empty outputs folder:

* load cold: ``corpus(folder)`` building the three tables (read, clean, statements, text reuse) and
  storing them as Parquet; reuse: the text-reuse stage alone (shared passages + reprints);
* load warm: the same call in a new process, reading the Parquet cache (what a notebook does);
* peak memory (max RSS) of the main process and of the largest worker; CPU seconds of the main
  process and of the workers (an estimate of the time on idle cores when the machine is busy);
* tokenizing the statements with the default engine, cold (on-disk token cache empty) and warm;
* growth exponents between consecutive sizes: log(time ratio) / log(character ratio).

``--notebooks`` also renders every notebook against each corpus (and a floor notebook that only
imports the stack and draws one Chinese chart) and prints seconds and the ratio to the floor.

Targets (issue 11, 2-core machine): load + clean + statements + reuse exponent <= 1.1; 10k cold
<= 60 s; warm <= 2 s. Timings depend on the machine's load: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Children measure a snapshot of the library taken at the start (SCALE_LIB), so edits made to the
# checkout while the benchmark runs neither mix versions nor invalidate the cache between runs.
sys.path.insert(0, os.environ.get("SCALE_LIB") or str(ROOT / "lib"))

PYTHON = sys.executable
SITES = ["新华网", "人民网", "央广网", "中国新闻网", "澎湃新闻", "新浪财经", "网易新闻", "搜狐", "凤凰网", "中国能源网",
         "北极星电力网", "新能源网", "微信公众号", "今日头条", "经济日报", "中国环境报", "光明网", "中国经济网"]
ROLES = ["省委书记", "省长", "省委副书记、省长", "自治区党委书记", "市委书记", "省委常委、常务副省长", "副省长", "省发展改革委主任"]
OCCASIONS = ["主持召开全省碳达峰碳中和工作领导小组会议", "出席全省碳达峰碳中和工作推进会并讲话", "主持召开省委常委会会议",
             "在省政府常务会议上", "调研能源保供和节能减排工作时", "主持召开专题会议研究部署“双碳”工作",
             "出席全省生态环境保护大会并讲话", "在全省领导干部会议上", "主持召开省委财经委员会会议"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"


# --------------------------------------------------------------------------- source texts
def source_texts() -> list[str]:
    """Return the clean texts of the seeds and of the real-page fixtures (the generator's material)."""
    from shuangtan.corpus import build_corpus
    from shuangtan.paths import DEFAULT_SEEDS_DIR

    texts = []
    for folder in (DEFAULT_SEEDS_DIR, ROOT / "tests" / "fixtures" / "real_pages", ROOT / "tests" / "fixtures" / "mini_corpus"):
        if folder.is_dir():
            documents = build_corpus(folder, processes=1).documents
            texts.extend(documents.loc[documents["status"] == "ok", "text"])
    return [t for t in texts if t]


class Writer:
    """A word-level Markov chain over the source texts, plus the page furniture around it."""

    def __init__(self, texts: list[str], seed: int) -> None:
        from shuangtan.places import provinces
        from shuangtan.tokens import tokenize

        self.rng = random.Random(seed)
        self.provinces = list(provinces()["short_name"])
        self.full_names = dict(zip(provinces()["short_name"], provinces()["full_name"]))
        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for text in texts:
            for paragraph in text.split("\n"):
                tokens = [t for t in tokenize(paragraph, keep_stopwords=True) if t.strip()]
                if len(tokens) < 4:
                    continue
                previous = "。"
                for token in tokens:
                    self.next.setdefault(previous, []).append(token)
                    if previous in "。！？":
                        self.starts.append(token)
                    previous = token

    def sentence(self) -> str:
        rng, out = self.rng, []
        token = rng.choice(self.starts)
        size = 0
        while True:
            out.append(token)
            size += len(token)
            if token in ("。", "！", "？") or size > 140:
                break
            token = rng.choice(self.next.get(token) or self.starts)
        if out[-1] not in ("。", "！", "？"):
            out.append("。")
        return "".join(out)

    def paragraphs(self, chars: int) -> list[str]:
        paragraphs, size = [], 0
        while size < chars:
            paragraph = "".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        return paragraphs

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice([1, 2, 2])))

    def lead(self, province: str, date: tuple[int, int, int], with_year: bool) -> str:
        year, month, day = date
        when = f"{year}年{month}月{day}日" if with_year else f"{month}月{day}日"
        role = self.rng.choice(ROLES)
        if role.startswith("市委"):
            role = role  # a city official of that province
        return f"{when}，{province}{role}{self.person()}{self.rng.choice(OCCASIONS)}，强调要坚决落实碳达峰碳中和目标任务。"

    def date(self) -> tuple[int, int, int]:
        return self.rng.randint(2021, 2023), self.rng.randint(1, 12), self.rng.randint(1, 28)

    def length(self) -> int:
        return int(min(6000, max(300, self.rng.lognormvariate(math.log(1300), 0.45))))


def _s2t():
    import opencc

    return opencc.OpenCC("s2t").convert


def render_page(shape: str, title: str, site: str, date: tuple[int, int, int], paragraphs: list[str],
                editor: str, rng: random.Random) -> tuple[str, str]:
    """Return (file suffix, file text) of a page of the given shape."""
    year, month, day = date
    stamp = f"{year}-{month:02d}-{day:02d} {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if shape == "markdown":
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return ".md", (f"---\ntitle: '{title}'\nauthor: {site}\ndate: {stamp}\n---\n\n<div>\n{body}\n</div>\n")
    if shape == "html":
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return ".html", (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}_{site}</title>"
                         f"<style>.nav{{color:#333}} .footer{{font-size:12px}}</style></head><body>\n"
                         f"<div class=\"nav\">首页 &gt; 要闻 &gt; 正文</div>\n<h1>{title}</h1>\n"
                         f"<div class=\"info\">来源：{site} 时间：{stamp}</div>\n<div class=\"content\">\n{body}\n</div>\n"
                         f"<div class=\"editor\">责任编辑：{editor}</div>\n<div class=\"footer\">版权所有 © {site} "
                         f"未经授权禁止转载</div>\n</body></html>\n")
    text = (f"首页 > 要闻\n\n{title}\n\n来源：{site}\n时间：{stamp}\n\n" + "\n\n".join(paragraphs)
            + f"\n\n责任编辑：{editor}\n")
    if shape == "traditional":
        return ".txt", _s2t()(text)
    return ".txt", text


def generate(folder: Path, n: int, writer: Writer) -> dict[str, int]:
    """Write n synthetic pages into folder (deterministic for a given writer seed); return kind counts."""
    rng = writer.rng
    folder.mkdir(parents=True, exist_ok=True)
    originals: list[dict] = []
    counts = {"page": 0, "compilation": 0, "reprint": 0, "near_duplicate": 0}
    shapes = ["markdown", "text", "html", "traditional"]
    weights = [0.35, 0.35, 0.2, 0.1]
    for number in range(n):
        roll = rng.random()
        if originals and roll < 0.05:
            kind, source = "reprint", rng.choice(originals)
            paragraphs, title, province = list(source["paragraphs"]), source["title"], source["province"]
            date = source["date"]
        elif originals and roll < 0.07:
            kind, source = "near_duplicate", rng.choice(originals)
            paragraphs, title, province = list(source["paragraphs"]), source["title"], source["province"]
            date = source["date"]
            if len(paragraphs) > 2 and rng.random() < 0.5:
                paragraphs.pop(rng.randrange(1, len(paragraphs)))
            else:
                paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), writer.paragraphs(80)[0])
        elif roll < 0.09:
            kind = "compilation"
            date = writer.date()
            chosen = rng.sample(writer.provinces, rng.randint(8, 31))
            title, province = f"{len(chosen)}省份党委书记谈碳达峰碳中和", ""
            paragraphs = ["本文梳理了各省份主要负责同志关于碳达峰碳中和工作的最新表态。"]
            for entry, name in enumerate(chosen, start=1):
                paragraphs.append(f"{entry}. {name}\n" + writer.lead(name, writer.date(), True) + "\n"
                                  + "".join(writer.paragraphs(rng.randint(150, 450))))
        else:
            kind = "page"
            date = writer.date()
            province = rng.choice(writer.provinces)
            body = writer.paragraphs(writer.length())
            paragraphs = [writer.lead(province, date, rng.random() < 0.6)] + body
            title = f"{province}部署推进碳达峰碳中和工作" if rng.random() < 0.5 else writer.sentence()[:24].rstrip("。")
        shape = rng.choices(shapes, weights)[0] if kind != "compilation" else "text"
        if kind == "compilation":
            page = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
            suffix = ".txt"
        else:
            if kind == "reprint":
                site = rng.choice(SITES)
            else:
                site = rng.choice(SITES)
            suffix, page = render_page(shape, title, site, date, paragraphs, writer.person(), rng)
        name = f"{number:05d}_{rng.getrandbits(32):08x}{suffix}"
        (folder / name).write_text(page, encoding="utf-8")
        counts[kind] += 1
        if kind == "page":
            originals.append({"paragraphs": paragraphs, "title": title, "province": province, "date": date})
    return counts


# --------------------------------------------------------------------------- measuring (child process)
def child_load(folder: str, outputs: str, full: bool) -> None:
    """Measure one load in this fresh process and print a JSON line."""
    os.environ["SHUANGTAN_OUTPUTS"] = outputs
    start = time.perf_counter()
    from shuangtan.corpus import corpus

    imports = time.perf_counter() - start
    start = time.perf_counter()
    tables = corpus(folder)
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {"load_s": time.perf_counter() - start, "imports_s": imports,
              "cpu_main_s": me.ru_utime + me.ru_stime, "cpu_workers_s": kids.ru_utime + kids.ru_stime,
              "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    documents, speeches, quality = tables.documents, tables.speeches, tables.quality
    result.update(n_docs=len(documents), n_ok=int((documents["status"] == "ok").sum()),
                  n_chars=int(documents["n_chars"].sum()), n_speeches=len(speeches),
                  n_reprints=int((documents["duplicate_of"] != "").sum()),
                  n_shared_rows=int((quality["check"] == "shared_passage").sum()))
    if full:
        from shuangtan.reuse import find_shared_passages, near_duplicates
        from shuangtan.tokens import default_engine, tokenize_corpus

        texts = dict(zip(documents.loc[documents["status"] == "ok", "doc_id"],
                         documents.loc[documents["status"] == "ok", "text"]))
        start = time.perf_counter()
        near_duplicates(texts)
        find_shared_passages(texts)
        result["reuse_s"] = time.perf_counter() - start
        statements = list(speeches["text"])
        start = time.perf_counter()
        tokenize_corpus(statements, progress=False)
        result["tokens_cold_s"] = time.perf_counter() - start
        start = time.perf_counter()
        tokenize_corpus(statements, progress=False)
        result["tokens_warm_s"] = time.perf_counter() - start
        result["tokens_chars"] = int(sum(map(len, statements)))
        result["engine"] = default_engine()
        result["rss_tokens_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict:
    completed = subprocess.run([PYTHON, __file__, *args], capture_output=True, text=True,
                               env={**os.environ, **(env or {})}, check=False)
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"child failed ({completed.returncode}):\n{completed.stderr[-3000:]}")


# --------------------------------------------------------------------------- notebooks
FLOOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [
        "import pandas, matplotlib.pyplot as plt, sklearn, jieba, wordcloud\n",
        "from shuangtan.plots import use_chinese_font\n",
        "use_chinese_font()\n",
        "fig, ax = plt.subplots(figsize=(4, 3)); ax.bar(['碳达峰', '碳中和'], [1, 2]); ax.set_title('双碳'); plt.show()\n"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5}


def renderer_module() -> str:
    import importlib.util

    for name in ("shuangtan.report", "shuangtan.website"):
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError("no notebook renderer found")


def time_notebooks(folder: Path, outputs: Path, work: Path) -> dict[str, float]:
    """Return seconds to render each notebook (and the floor notebook) against one corpus."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    floor = work / "floor.ipynb"
    floor.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    times = {}
    module = renderer_module()
    for notebook in [floor, *notebooks]:
        start = time.perf_counter()
        completed = subprocess.run([PYTHON, "-m", module, "render", str(notebook), str(work / f"{notebook.stem}.html"),
                                    "--seeds", str(folder)], capture_output=True, text=True,
                                   env={**os.environ, "SHUANGTAN_OUTPUTS": str(outputs)}, check=False)
        seconds = time.perf_counter() - start
        times[notebook.stem] = seconds if completed.returncode == 0 else float("nan")
        if completed.returncode != 0:
            print(f"  {notebook.name} failed: {completed.stderr.strip().splitlines()[-1:] }")
    return times


# --------------------------------------------------------------------------- main
def exponent(small: float, large: float, n_small: float, n_large: float) -> float:
    if small <= 0 or large <= 0 or n_small == n_large:
        return float("nan")
    return math.log(large / small) / math.log(n_large / n_small)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--notebooks", action="store_true",
                        help="also render every notebook (and a floor notebook) against the seeds and each corpus")
    parser.add_argument("--notebook-sizes", type=int, nargs="*", default=None,
                        help="sizes whose notebooks are rendered (default: every size)")
    parser.add_argument("--keep", type=Path, help="generate the corpora into this folder and keep them")
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "OUTPUTS", "FULL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_load(args.child[0], args.child[1], args.child[2] == "1")
        return

    from shuangtan.paths import RANDOM_STATE
    from shuangtan.tokens import engine_version, default_engine

    sizes = sorted(set(args.sizes))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, segmenter "
          f"{engine_version(default_engine())}; load average at start {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    base = args.keep or Path(tempfile.mkdtemp(prefix="shuangtan-scale-"))
    snapshot = Path(tempfile.mkdtemp(prefix="lib-", dir=base))
    import shutil

    shutil.copytree(ROOT / "lib" / "shuangtan", snapshot / "shuangtan",
                    ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["SCALE_LIB"] = str(snapshot)
    start = time.perf_counter()
    writer = Writer(source_texts(), RANDOM_STATE)
    all_folder = base / "generated"
    if not all_folder.is_dir() or len(list(all_folder.iterdir())) < max(sizes):
        counts = generate(all_folder, max(sizes), writer)
        print(f"generated {max(sizes):,} pages in {time.perf_counter() - start:.1f} s: {counts}")
    names = sorted(p.name for p in all_folder.iterdir())
    rows = []
    for size in sizes:
        folder = base / f"corpus-{size}"
        if not folder.is_dir():
            folder.mkdir()
            for name in names[:size]:
                os.link(all_folder / name, folder / name)
        outputs = Path(tempfile.mkdtemp(prefix=f"outputs-{size}-", dir=base))
        cold = run_child(["--child", str(folder), str(outputs), "1"])
        warm = run_child(["--child", str(folder), str(outputs), "0"])
        row = {"size": size, **cold, "warm_s": warm["load_s"], "warm_rss_mb": warm["rss_mb"]}
        if args.notebooks and (args.notebook_sizes is None or size in args.notebook_sizes):
            row["notebooks"] = time_notebooks(folder, outputs, Path(tempfile.mkdtemp(prefix="html-", dir=base)))
        rows.append(row)
        print(f"  {size:>6,} docs measured (load average {os.getloadavg()[0]:.2f})", flush=True)

    print()
    header = (f"{'docs':>7} {'chars':>11} {'stmts':>7} {'reprints':>8} {'cold s':>7} {'reuse s':>7} {'warm s':>7} "
              f"{'peak MB':>8} {'worker MB':>9} {'tok cold s':>10} {'tok warm s':>10} {'tok Mc/s':>8}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['n_docs']:>7,} {row['n_chars']:>11,} {row['n_speeches']:>7,} {row['n_reprints']:>8,} "
              f"{row['load_s']:>7.1f} {row['reuse_s']:>7.2f} {row['warm_s']:>7.2f} {row['rss_mb']:>8.0f} "
              f"{row['workers_rss_mb']:>9.0f} {row['tokens_cold_s']:>10.2f} {row['tokens_warm_s']:>10.2f} "
              f"{row['tokens_chars'] / row['tokens_cold_s'] / 1e6:>8.2f}")
    print()
    print("CPU seconds of the cold load (imports included; less sensitive to other load than wall time):")
    for row in rows:
        serial = row["cpu_main_s"]
        print(f"  {row['size']:>6,} docs: main process {serial:.1f} s + workers {row['cpu_workers_s']:.1f} s; "
              f"on {os.cpu_count()} idle cores about {serial + row['cpu_workers_s'] / (os.cpu_count() or 1):.1f} s wall")
    print()
    for small, large in zip(rows, rows[1:]):
        pairs = [("cold load", "load_s"), ("reuse", "reuse_s"), ("warm load", "warm_s"), ("tokenizing", "tokens_cold_s")]
        text = ", ".join(f"{label} {exponent(small[key], large[key], small['n_chars'], large['n_chars']):.2f}"
                         for label, key in pairs)
        print(f"growth exponent {small['size']:,} -> {large['size']:,} docs (vs characters): {text}")
    last = rows[-1]
    print()
    cold_ok = all(exponent(a["load_s"], b["load_s"], a["n_chars"], b["n_chars"]) <= 1.1 for a, b in zip(rows, rows[1:]))
    print(f"target load exponent <= 1.1: {'met' if cold_ok else 'MISSED'}")
    if last["size"] >= 10000:
        print(f"target 10k cold <= 60 s: {last['load_s']:.1f} s {'met' if last['load_s'] <= 60 else 'MISSED'}")
    print(f"target warm <= 2 s at {last['size']:,} docs: {last['warm_s']:.2f} s {'met' if last['warm_s'] <= 2 else 'MISSED'}")
    if args.notebooks:
        from shuangtan.paths import DEFAULT_SEEDS_DIR

        seeds_row = {"size": "seeds", "notebooks": time_notebooks(
            DEFAULT_SEEDS_DIR, Path(tempfile.mkdtemp(prefix="outputs-seeds-", dir=base)),
            Path(tempfile.mkdtemp(prefix="html-", dir=base)))}
        print()
        print("notebook render times (python -m " + renderer_module() + " render; cold corpus cache for the seeds, "
              "warm for the synthetic corpora):")
        for row in [seeds_row, *[r for r in rows if "notebooks" in r]]:
            floor = row["notebooks"].get("floor", float("nan"))
            parts = ", ".join(f"{name} {seconds:.1f} s ({seconds / floor:.2f}x)"
                              for name, seconds in row["notebooks"].items() if name != "floor")
            total = sum(v for k, v in row["notebooks"].items() if k != "floor")
            n_pages = len(row["notebooks"]) - 1
            label = row["size"] if isinstance(row["size"], str) else f"{row['size']:,} docs"
            print(f"{label}: floor {floor:.1f} s; {parts}; sum {total:.1f} s = {total / (floor * n_pages):.2f}x "
                  f"the summed floor ({n_pages} pages)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    shutil.rmtree(snapshot, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
