"""Tests for shuangtan.tokens: user dictionary, word lists, filters, cache and processes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from shuangtan import tokens as tk
from shuangtan.paths import DATA_DIR

ENTRIES = [word for word, _freq, _tag in tk.read_userdict()]
# Sentence frames an entry must survive: start, middle, end, quoted, before/after particles.
FRAMES = ["要推进{}工作", "坚持{}，加快发展", "“{}”目标", "{}是关键", "我省的{}和", "关于{}的意见"]
# Character sequences in the corpus that contain an entry without being that word.
NOT_THE_WORD = {"高碳": ["提高碳"]}


@pytest.fixture(scope="module")
def speeches():
    """The real speeches table (requires the seeds)."""
    from shuangtan import load_speeches

    return load_speeches()


@pytest.fixture()
def tmp_outputs(tmp_path, monkeypatch):
    """Point the outputs folder (and so the token cache) at a temporary folder."""
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path))
    return tmp_path


def test_issue_examples_come_out_whole():
    tokens = tk.tokenize("碳达峰碳中和，减污降碳，坚持先立后破，完善“1+N”政策体系，建设碳排放权交易市场")
    for term in ["碳达峰", "碳中和", "减污降碳", "先立后破", "1+N", "碳排放权交易"]:
        assert term in tokens


@pytest.mark.parametrize("word", ENTRIES)
def test_userdict_entry_whole_in_sentences(word):
    for frame in FRAMES:
        sentence = frame.format(word)
        assert word in tk.tokenize(sentence, keep_stopwords=True), (sentence, tk.get_tokenizer().lcut(sentence))


def test_userdict_entries_whole_wherever_they_occur_in_the_corpus(speeches):
    tokenizer = tk.get_tokenizer()
    entries = set(ENTRIES)
    broken = []
    for text in speeches["text"]:
        spans, start = [], 0
        for token in tokenizer.cut(text):
            spans.append((start, start + len(token), token))
            start += len(token)
        for word in ENTRIES:
            for match in re.finditer(re.escape(word), text):
                a, b = match.span()
                covering = [tok for s, e, tok in spans if s < b and e > a]
                if covering == [word]:
                    continue
                if len(covering) == 1 and covering[0] in entries:  # inside a longer entry (低碳 in 绿色低碳)
                    continue
                if any(text[max(0, a - 3) : b + 3].find(ctx) >= 0 for ctx in NOT_THE_WORD.get(word, [])):
                    continue
                broken.append(f"{word}: {text[max(0, a - 5):b + 5]} -> {'|'.join(covering)}")
    assert broken == []


def test_corpus_uses_the_dictionary(speeches):
    counts = {term: 0 for term in ["碳中和", "双碳", "两高", "先立后破", "减污降碳", "1+N"]}
    for tokens in tk.tokenize_corpus(list(speeches["text"]), cache=False, processes=1):
        for token in tokens:
            if token in counts:
                counts[token] += 1
    assert all(count > 0 for count in counts.values()), counts


def test_userdict_parsing(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("\ufeff# header\n\n碳中和\n刘国中 1000 nr\n双碳 nr\n两高 7\n", encoding="utf-8")
    assert tk.read_userdict(path) == [("碳中和", None, None), ("刘国中", 1000, "nr"), ("双碳", None, "nr"), ("两高", 7, None)]


@pytest.mark.parametrize("path", [tk.USERDICT_PATH, tk.STOPWORDS_PATH, tk.POLITICAL_STOPWORDS_PATH])
def test_word_lists_are_documented_and_clean(path):
    raw = path.read_bytes()
    assert raw.startswith(b"# "), "each word list opens with a comment header"
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    words = tk.read_wordlist(path)
    assert len(words) == len(set(words)), "no duplicates"
    assert (DATA_DIR / "WORDLISTS.md").read_text(encoding="utf-8").count(path.name) >= 1


@pytest.mark.parametrize("political", [False, True])
def test_every_stopword_can_match_a_token(political):
    """A stopword jieba never produces as one token would silently never be dropped."""
    tokenizer = tk.get_tokenizer()
    unmatched = [word for word in tk.stopwords(political) if tokenizer.lcut(word) != [word]]
    assert unmatched == []


def test_stoplists_do_not_swallow_dictionary_terms():
    assert not (set(ENTRIES) & tk.stopwords()), "a domain term is listed as a general stopword"
    assert not (tk.stopwords() & tk.stopwords(political=True)), "each word belongs to one list"


def test_default_drops_punctuation_numbers_and_stopwords():
    text = "我们要在2030年前实现碳达峰，坚决遏制“两高”项目！"
    tokens = tk.tokenize(text)
    assert tokens == ["实现", "碳达峰", "坚决", "遏制", "两高", "项目"]
    kept = tk.tokenize(text, keep_stopwords=True)
    assert {"我们", "要", "在", "2030", "，", "“", "！"} <= set(kept)
    assert "".join(kept) == text, "keep_stopwords keeps every token, in order"


def test_political_boilerplate_is_optional():
    text = "深入学习贯彻习近平总书记重要讲话精神，推进减污降碳"
    default = tk.tokenize(text)
    assert {"习近平", "总书记", "深入", "贯彻"} <= set(default)
    assert tk.tokenize(text, drop_political=True) == ["推进", "减污降碳"]


def test_whitespace_is_always_dropped():
    assert tk.tokenize("碳达峰 \n 碳中和\u3000", keep_stopwords=True) == ["碳达峰", "碳中和"]
    assert tk.tokenize("") == []


def test_is_content_token_matches_tokenize():
    text = "要加快构建“1+N”政策体系，2060年前实现碳中和。"
    assert [t for t in tk.tokenize(text, keep_stopwords=True) if tk.is_content_token(t)] == tk.tokenize(text)


def test_content_tokens_is_is_content_token_on_every_list(seed_corpus):
    lists = [tk.tokenize(text, keep_stopwords=True) for text in seed_corpus.speeches["text"]]
    for political in (False, True):
        expected = [[t for t in ts if tk.is_content_token(t, drop_political=political) and t != "碳达峰"] for ts in lists]
        assert tk.content_tokens(lists, drop_political=political, exclude=["碳达峰"]) == expected
    assert sum(map(len, expected)) < sum(map(len, lists))


def test_jieba_loading_messages_never_reach_stderr():
    code = "from shuangtan.tokens import tokenize; print(tokenize('碳达峰碳中和'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr == ""
    assert "碳中和" in result.stdout


def test_cache_hit_returns_identical_tokens(tmp_outputs, monkeypatch):
    texts = ["推进碳达峰碳中和工作", "坚持先立后破", "推进碳达峰碳中和工作", ""]
    first = tk.tokenize_corpus(texts, processes=1)
    assert first == [tk.tokenize(text) for text in texts]
    files = sorted((tmp_outputs / "cache").rglob("*.json"))
    assert len(files) == 3, "one JSON file per distinct text"
    assert json.loads(files[0].read_text(encoding="utf-8")) in first

    def fail(*args, **kwargs):
        raise AssertionError("segmented again despite the cache")

    monkeypatch.setattr(tk, "_segment", fail)
    assert tk.tokenize_corpus(texts) == first


def test_cache_flags_are_part_of_the_key(tmp_outputs):
    texts = ["我们要推进碳达峰"]
    assert tk.tokenize_corpus(texts) == [["推进", "碳达峰"]]
    assert tk.tokenize_corpus(texts, keep_stopwords=True) == [["我们", "要", "推进", "碳达峰"]]


def test_changed_dictionary_invalidates_the_cache(tmp_outputs, tmp_path, monkeypatch):
    userdict = tmp_path / "userdict.txt"
    shutil.copy(tk.USERDICT_PATH, userdict)
    monkeypatch.setattr(tk, "USERDICT_PATH", userdict)
    texts = ["召开领导小组会议研究工作"]
    before = tk.tokenize_corpus(texts, processes=1)
    assert "领导小组会议" not in before[0]
    key_before = tk.settings_key()
    userdict.write_text(userdict.read_text(encoding="utf-8") + "领导小组会议\n", encoding="utf-8")
    assert tk.settings_key() != key_before
    after = tk.tokenize_corpus(texts, processes=1)
    assert "领导小组会议" in after[0]


def test_stale_or_corrupt_cache_file_is_recomputed(tmp_outputs):
    texts = ["推进减污降碳"]
    tk.tokenize_corpus(texts)
    (path,) = (tmp_outputs / "cache").rglob("*.json")
    path.write_text("{not json", encoding="utf-8")
    assert tk.tokenize_corpus(texts) == [["推进", "减污降碳"]]


def test_multiprocess_equals_single_process(speeches):
    texts = list(speeches["text"]) * 3
    single = tk.tokenize_corpus(texts, processes=1, cache=False)
    multi = tk.tokenize_corpus(texts, processes=2, cache=False, progress=False)
    assert multi == single
    assert len(single) == len(texts)


def test_chunks_keep_order_and_cover_everything():
    texts = [str(i) * (i % 7 + 1) for i in range(50)]
    chunks = tk._chunks(texts, 6)
    assert [t for chunk in chunks for t in chunk] == texts
    assert 1 < len(chunks) <= 8


def test_progress_bar_only_when_asked_or_long(capsys, monkeypatch):
    tk.tokenize_corpus(["推进碳达峰"], cache=False)
    assert capsys.readouterr().err == "", "short work shows no bar"
    tk.tokenize_corpus(["推进碳达峰"], cache=False, progress=True)
    captured = capsys.readouterr()
    assert "tokenizing" in captured.out and captured.err == "", "asked for, off a terminal: on stdout, never stderr"
    monkeypatch.setattr(tk, "PROGRESS_MIN_CHARS", 1)
    tk.tokenize_corpus(["推进碳达峰"], cache=False)
    assert capsys.readouterr() == ("", ""), "long work shows no bar when nobody watches (scripts, CI)"


def test_no_progress_on_stderr_while_the_site_is_built(monkeypatch):
    monkeypatch.setenv("SHUANGTAN_SITE_FILES", "/tmp/site-files")
    monkeypatch.setattr(tk, "_in_kernel", lambda: True)
    assert tk.interactive() is False
    code = ("import sys; from shuangtan import tokens as tk; tk.PROGRESS_MIN_CHARS = 1; "
            "print(tk.tokenize_corpus(['推进碳达峰碳中和'] * 3, cache=False))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr == "" and "碳中和" in result.stdout


def corpus_texts(speeches) -> list[str]:
    """Every text the engines are compared on: the seeds' documents and statements, every fixture file."""
    from shuangtan import load_documents

    from conftest import FIXTURES_DIR

    texts = list(load_documents()["text"]) + list(speeches["text"]) + list(speeches["lead"])
    for path in sorted(FIXTURES_DIR.rglob("*")):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return texts


@pytest.mark.skipif(tk.rjieba is None, reason="rjieba not installed")
@pytest.mark.parametrize("hmm", [True, False])
def test_rjieba_gives_jieba_tokens_on_seeds_and_fixtures(speeches, hmm):
    reference, fast = tk.get_tokenizer("jieba"), tk.get_tokenizer("rjieba")
    texts = corpus_texts(speeches)
    assert sum(map(len, texts)) > 50_000
    for text in texts:
        assert fast.cut(text, HMM=hmm) == reference.lcut(text, HMM=hmm)


@pytest.mark.skipif(tk.rjieba is None, reason="rjieba not installed")
def test_rjieba_matches_jieba_on_mixed_scripts():
    """Runs of Latin letters, digits and symbols are where the engines' HMM fallbacks differ."""
    import random

    rng = random.Random(0)
    alphabet = (list("碳达峰中和推进工作省委书记在会上强调") + list("abcXYZ0123456789.-_+#&%/:，。 \n\r\t\u3000")
                + ["1+N", "碳中和", "㐀", "䶵", "𠀀", "𪚥", "ａ", "１", "é", "\u200b", "⊙", "\ufeff", "〇", "鿿", "龥", "豈"])
    reference, fast = tk.get_tokenizer("jieba"), tk.get_tokenizer("rjieba")
    for _ in range(4000):
        text = "".join(rng.choices(alphabet, k=rng.randint(1, 30)))
        assert fast.cut(text) == reference.lcut(text), text
        assert fast.cut(text, HMM=False) == reference.lcut(text, HMM=False), text


def test_default_engine_is_rjieba_and_can_be_switched(monkeypatch):
    if tk.rjieba is not None:
        assert tk.default_engine() == "rjieba"
    monkeypatch.setenv("SHUANGTAN_SEGMENTER", "jieba")
    assert tk.default_engine() == "jieba"
    assert tk.settings_key(engine="jieba") != tk.settings_key(engine="rjieba")
    text = "加快构建碳达峰碳中和“1+N”政策体系，2021-07-16召开会议"
    assert tk.tokenize(text, engine="jieba") == tk.tokenize(text, engine="rjieba")


def test_user_terms_file_is_loaded_and_keys_the_cache(tmp_outputs):
    texts = ["召开领导小组会议研究工作"]
    before_key = tk.settings_key()
    assert "领导小组会议" not in tk.tokenize_corpus(texts, processes=1)[0]
    (tmp_outputs / tk.USER_TERMS_NAME).write_text("# accepted terms\n领导小组会议\n", encoding="utf-8")
    assert tk.settings_key() != before_key
    assert "领导小组会议" in tk.tokenize_corpus(texts, processes=1)[0]
    assert "领导小组会议" in tk.tokenize(texts[0], engine="jieba")


def test_small_work_stays_in_one_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for a few characters")

    monkeypatch.setattr(tk.multiprocessing, "Pool", no_pool)
    assert tk.tokenize_corpus(["推进碳达峰", "坚持先立后破"], cache=False) == [["推进", "碳达峰"], ["坚持", "先立后破"]]


def test_repeated_texts_get_independent_lists(tmp_outputs):
    first, second = tk.tokenize_corpus(["推进碳达峰", "推进碳达峰"])
    first.append("x")
    assert second == ["推进", "碳达峰"]
