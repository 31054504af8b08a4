"""Benchmark shuangtan.tokens against raw jieba on a synthetic corpus built from the seeds.

Run:  .venv/bin/python benchmarks/tokens.py [--mb 20] [--processes N]

The synthetic corpus re-samples the sentences of the real speeches (seeded, so every run
builds the same corpus) into documents of 40-120 sentences until it reaches --mb megabytes
of UTF-8. It prints:

* raw throughput of jieba (the reference) and of the default engine (rjieba), same dictionaries,
  one process, and whether their tokens are identical;
* the library's throughput (``tokenize_corpus``, cache off) on one process and on all cores,
  and the overhead of the one-process run over the raw default engine;
* cold versus warm time of ``tokenize_corpus`` with the on-disk cache (a fresh temporary
  outputs folder, so the real cache is untouched).

Targets (2-core machine): overhead <= 10 %; with jieba as the engine (SHUANGTAN_SEGMENTER=jieba)
speed-up with 2 processes >= 1.8x and warm >= 20x faster than cold (rjieba is fast enough that
neither pays much: those two lines are then informative). Timings depend on the machine and its
load; nothing here is a test.
"""

from __future__ import annotations

import os
import sys

# This file is named tokenize.py, like the standard-library module that inspect, linecache and
# dataclasses import: drop its folder from the import path before importing anything else.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import gc
import platform
import random
import re
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from shuangtan import load_speeches  # noqa: E402
from shuangtan import tokens as tk  # noqa: E402
from shuangtan.paths import RANDOM_STATE  # noqa: E402


def synthetic_corpus(megabytes: float, seed: int = RANDOM_STATE) -> list[str]:
    """Return distinct documents re-sampled from the speeches' sentences, at least `megabytes` MB of UTF-8."""
    text = "\n".join(load_speeches()["text"])
    sentences = [s for s in re.findall(r"[^。！？\n]+[。！？]?", text) if len(s.strip()) > 4]
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    documents: list[str] = []
    seen: set[str] = set()
    size = 0
    while size < target:
        document = "".join(rng.choices(sentences, k=rng.randint(40, 120)))
        if document in seen:
            continue
        seen.add(document)
        documents.append(document)
        size += len(document.encode("utf-8"))
    return documents


def timed(function, *args, **kwargs) -> tuple[float, object]:
    """Return (seconds, result) of one call, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the synthetic corpus in MB of UTF-8")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="processes for the parallel runs")
    args = parser.parse_args(argv)

    build_time, texts = timed(synthetic_corpus, args.mb)
    chars = sum(map(len, texts))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{tk.engine_version(tk.default_engine())}, jieba {tk.jieba.__version__}, load average {os.getloadavg()[0]:.2f} (other work slows every figure)")
    print(f"corpus: {len(texts):,} documents, {megabytes:.1f} MB UTF-8, {chars:,} characters "
          f"(built in {build_time:.1f} s)")

    engine = tk.default_engine()
    tokenizer = tk.get_tokenizer()  # load the dictionaries outside the timings
    reference = tk.get_tokenizer("jieba")
    rate = lambda seconds: f"{chars / seconds / 1e6:.2f} M chars/s"  # noqa: E731

    def report(label: str, seconds: float, extra: str = "") -> None:
        print(f"{label:<36}{seconds:8.2f} s   {extra}")

    jieba_time, reference_tokens = timed(lambda: [reference.lcut(text) for text in texts])
    report("raw jieba (reference), 1 process", jieba_time, rate(jieba_time))
    raw_time, raw = timed(lambda: [tokenizer.lcut(text) for text in texts])
    report(f"raw {engine}, 1 process", raw_time, f"{rate(raw_time)}, {jieba_time / raw_time:.1f}x jieba")
    engines_agree = raw == reference_tokens
    del raw, reference_tokens

    one_time, one = timed(tk.tokenize_corpus, texts, processes=1, cache=False, progress=False)
    report("shuangtan, 1 process, no cache", one_time, rate(one_time))

    many_time, many = timed(tk.tokenize_corpus, texts, processes=args.processes, cache=False, progress=False)
    report(f"shuangtan, {args.processes} processes, no cache", many_time, rate(many_time))
    identical = many == one
    del one, many

    with tempfile.TemporaryDirectory() as outputs:
        os.environ["SHUANGTAN_OUTPUTS"] = outputs
        cold_time, cold = timed(tk.tokenize_corpus, texts, processes=args.processes, progress=False)
        warm_time, warm = timed(tk.tokenize_corpus, texts, processes=args.processes, progress=False)
        cached_files = sum(1 for _ in Path(outputs).rglob("*.json"))
        identical = identical and cold == warm
        del cold, warm
    report(f"cache cold, {args.processes} processes", cold_time, f"{rate(cold_time)}, {cached_files:,} JSON files written")
    report("cache warm", warm_time, rate(warm_time))

    overhead = one_time / raw_time - 1
    speedup = one_time / many_time
    warm_gain = cold_time / warm_time
    print()
    def verdict(label: str, value: str, target: str, met: bool) -> None:
        print(f"{label:<36}{value:>10}   target {target:<8} {'met' if met else 'MISSED'}")

    verdict(f"library overhead over raw {engine}", f"{overhead:+.1%}", "<= +10%", overhead <= 0.10)
    if engine == "jieba":
        verdict(f"speed-up with {args.processes} processes", f"{speedup:.2f}x", ">= 1.8x", speedup >= 1.8)
        verdict("warm cache vs cold", f"{warm_gain:.0f}x", ">= 20x", warm_gain >= 20)
    else:  # rjieba: moving texts and tokens between processes costs about as much as segmenting them
        print(f"{'speed-up with ' + str(args.processes) + ' processes':<36}{speedup:>9.2f}x   (informative: with "
              f"{engine}, tokenize_corpus stays in one process below {tk.PARALLEL_MIN_CHARS_RJIEBA:,} characters)")
        print(f"{'warm cache vs cold':<36}{warm_gain:>9.0f}x   (informative: the cache saves {engine} little)")
    print(f"{'same tokens in every run':<36}{identical!s:>10}")
    print(f"{engine + ' tokens == jieba tokens':<36}{engines_agree!s:>10}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
