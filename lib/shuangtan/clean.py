"""Turn scraped text (HTML, WeChat dumps, traditional characters with pinyin) into clean simplified text.

:func:`clean_document` runs the steps in order and records, for each, how much it changed
(:class:`StepCount`) and what it doubts (:class:`Doubt`, with a position). :func:`clean_text` is the
same pipeline returning only the text. Every step is linear in the length of the text (no regex
backtracks over a run it has already seen; HTML is walked once with lxml). Steps, in order:

0. unicode repair (counted with ``t2s``): lone surrogates become U+FFFD (then reported as mojibake),
   CJK compatibility ideographs and Kangxi radicals become the ordinary ideographs (NFKC: U+F900 → U+8C48 豈).
1. ``mojibake``: spans of garbled characters are detected and reported (never dropped).
2. ``corrections``: curated repairs from the corpus folder's ``corrections.csv`` are applied.
3. ``html``: markup is parsed with lxml (libxml2); style/script/media elements and comments removed;
   tag-like text left over (an article quoting ``<script>``) is made full-width so it is never markup.
4. ``pinyin``: annotations after a character, ``實(shí)``, ``實 (shí)``, ``實（shí）``, are removed when
   the syllable is a real reading of that character (pypinyin), whatever the romanisation style;
   the step runs again with the tidy steps, which can uncover an annotation.
5. ``t2s``: traditional to simplified with OpenCC, plus the variants OpenCC leaves in
   ``data/variants.csv`` (each row with its source: Unihan, OpenCC regional tables, review).
6. ``spacing`` and ``punctuation``: spaces inside Chinese text removed; ASCII , : ; ? ! next to
   Chinese turned full-width.
7. ``boilerplate``: site and WeChat boilerplate from ``data/boilerplate.yaml`` removed.
8. ``repeated_sentences`` / ``near_duplicate_sentences``: exact repeats of a sentence within the
   document, and a sentence that merely repeats the end of the one before it, removed.

Steps 0–2 live in :mod:`shuangtan.repairs`, step 3 in :mod:`shuangtan.html_text`, the script helpers
of step 5 in :mod:`shuangtan.han`; this module holds the other steps and the pipeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import yaml

from .han import CJK_PUNCT, HAN, detect_script, t2s_converter, to_simplified
from .html_text import html_to_text, looks_like_html
from .paths import DATA_DIR
from .repairs import Correction, Doubt, apply_corrections, find_mojibake, repair_unicode

# Shortest sentence (characters) that is removed when repeated; shorter ones may repeat legitimately.
MIN_REPEAT_CHARS = 10
# Upper bound on rounds of the tidy steps (spacing … repeated sentences); two are almost always enough.
MAX_TIDY_ROUNDS = 5


@dataclass
class StepCount:
    """How much one cleaning step changed a document."""

    step: str
    count: int
    message: str


@dataclass
class CleanResult:
    """The cleaned text, per-step counts, doubts, and fields captured on the way (e.g. source)."""

    text: str
    steps: list[StepCount] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    captured: dict[str, str] = field(default_factory=dict)
    script: str = "none"


# --------------------------------------------------------------------------- pinyin annotations
_SYLLABLE = r"[A-Za-zÜüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ:]{1,7}[1-5]?|[\u3105-\u312f\u31a0-\u31bf˙ˊˇˋ]{1,5}"
_ANNOTATION = re.compile(r"[(（](" + _SYLLABLE + r")[)）]")
# Spaces (ASCII, no-break, ideographic) may separate a character from its annotation: 實 (shí)現.
_ANNOTATED = re.compile(r"([" + HAN + r"])((?:[ \t\u00a0\u3000]*[(（](?:" + _SYLLABLE + r")[)）])+)")
_TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")


def _unify(syllable: str) -> str:
    return syllable.lower().replace("u:", "v").replace("ü", "v")


@lru_cache(maxsize=20000)
def readings(char: str) -> frozenset[str]:
    """Return every written form of every reading of a character (tone marks, numbers, plain, zhuyin)."""
    forms: set[str] = set()
    from pypinyin import Style, pinyin  # imported on first use: its phrase dictionary costs ~0.3 s

    for style in (Style.TONE, Style.TONE3, Style.NORMAL, Style.BOPOMOFO):
        result = pinyin(char, style=style, heteronym=True, errors=lambda _: []) if char else []
        for item in result[0] if result else []:
            forms.add(item.lower())
            unified = _unify(item)
            forms.add(unified)
            if style in (Style.TONE3, Style.NORMAL):
                forms.add(unified.replace("v", "u"))
                if style is Style.TONE3 and not unified[-1].isdigit():
                    forms.add(unified + "5")
    return frozenset(forms)


def _is_reading(syllable: str, char: str, alternatives: str = "") -> bool:
    """Return True if the syllable is a reading of the character (or of its simplified form)."""
    if not _TONE_MARKS.search(syllable) and not syllable[-1].isdigit() and syllable != syllable.lower():
        return False  # toneless capitalised words (names, acronyms) are not annotations
    candidates = {syllable.lower(), _unify(syllable)}
    return any(candidates & readings(c) for c in {char, *alternatives})


def remove_pinyin(text: str) -> tuple[str, int, list[Doubt]]:
    """Return the text without pinyin annotations, how many were removed, and pinyin-like leftovers."""
    removed = 0

    def strip_run(match: re.Match[str]) -> str:
        nonlocal removed
        char, run = match.group(1), match.group(2)
        simplified = t2s_converter().convert(char)
        kept = run
        for annotation in _ANNOTATION.finditer(run):
            if not _is_reading(annotation.group(1), char, simplified):
                break
            removed += 1
            kept = run[annotation.end():]
        return char + kept

    text = _ANNOTATED.sub(strip_run, text)
    doubts = [
        Doubt("pinyin", m.start(), m.group(0),
              f"pinyin-like '{m.group(0)}' left in place: it does not follow a character it is a reading of")
        for m in _ANNOTATION.finditer(text) if _TONE_MARKS.search(m.group(1))
    ]
    return text, removed, doubts
# --------------------------------------------------------------------------- spacing and punctuation
_SPACES = r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b]+"
_CJKISH = f"[{HAN}{CJK_PUNCT}]"
# A run of spaces is tried once, from its first character, and never backtracked (linear on huge runs).
_SPACE_CHARS = _SPACES[:-1]
_INNER_SPACE = re.compile(rf"(?<={_CJKISH}){_SPACE_CHARS}++|(?<!{_SPACE_CHARS}){_SPACE_CHARS}++(?={_CJKISH})")
_HALF_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PUNCT_NEXT_TO_HAN = re.compile(rf"(?<=[{HAN}”’）])[,:;?!](?!\d)|[,:;?!](?=[{HAN}“‘（])")


def remove_inner_spaces(text: str) -> tuple[str, int]:
    """Return the text without spaces next to Chinese characters and how many runs were removed."""
    return _INNER_SPACE.subn("", text)


def fullwidth_punctuation(text: str) -> tuple[str, int]:
    """Return the text with ASCII , : ; ? ! next to Chinese turned full-width, and the count."""
    return _PUNCT_NEXT_TO_HAN.subn(lambda m: _HALF_PUNCT[m.group(0)], text)


def normalize_lines(text: str) -> str:
    """Return the text with unicode spaces unified, lines stripped and empty lines dropped."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- boilerplate
@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """Return the (name, compiled pattern, source template) boilerplate rules from the data file."""
    with open(DATA_DIR / "boilerplate.yaml", encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)
    return tuple((r["name"], re.compile(r["pattern"], re.M), r.get("source_template", "")) for r in rules)


def remove_boilerplate(text: str) -> tuple[str, Counter[str], dict[str, str]]:
    """Return the text without boilerplate, removals counted by rule, and captured fields (source)."""
    counts: Counter[str] = Counter()
    captured: dict[str, str] = {}
    for name, pattern, template in boilerplate_rules():
        for match in pattern.finditer(text):
            counts[name] += 1
            if template and "source" in match.groupdict() and "source" not in captured:
                captured["source"] = template.format(**match.groupdict())
        text = pattern.sub("", text)
    return text, counts, captured


# --------------------------------------------------------------------------- repeated sentences
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def split_sentences(line: str) -> list[str]:
    """Return the sentences of one line, each keeping its closing punctuation."""
    return [s for s in _SENTENCE.findall(line) if s]


def remove_repeated_sentences(text: str) -> tuple[str, int, int, list[Doubt]]:
    """Return the text without repeated sentences, exact and near-duplicate counts, and what was removed."""
    seen: set[str] = set()
    exact = near = 0
    removed: list[Doubt] = []
    lines_out = []
    position = 0
    previous = ""
    for line in text.split("\n"):
        kept = []
        for sentence in split_sentences(line):
            key = sentence.strip()
            if len(key) >= MIN_REPEAT_CHARS and key in seen:
                exact += 1
                removed.append(Doubt("repeated_sentences", position, key, "exact repeat of an earlier sentence: removed"))
            elif len(key) >= MIN_REPEAT_CHARS and previous != key and previous.endswith(key):
                near += 1
                removed.append(Doubt("near_duplicate_sentences", position, key,
                                     "repeats the end of the sentence before it: removed"))
            else:
                kept.append(sentence)
                seen.add(key)
                previous = key
            position += len(sentence)
        position += 1
        lines_out.append("".join(kept))
    return "\n".join(line for line in lines_out if line.strip()), exact, near, removed


# --------------------------------------------------------------------------- pipeline
def clean_document(text: str, corrections: Sequence[Correction] = ()) -> CleanResult:
    """Return the cleaned text of one document body with counts and doubts for every step."""
    result = CleanResult(text="")
    steps, doubts = result.steps, result.doubts
    text, n_surrogates, n_compatibility = repair_unicode(text)

    doubts.extend(find_mojibake(text))
    steps.append(StepCount("mojibake", len(doubts), "garbled spans detected (reported, not removed)"))

    text, applied, stale = apply_corrections(text, corrections)
    doubts.extend(stale)
    steps.append(StepCount("corrections", applied, "curated repairs applied from corrections.csv"))

    removed: Counter[str] = Counter()
    if looks_like_html(text):
        text, removed = html_to_text(text)
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(removed.items())) or "no HTML"
    steps.append(StepCount("html", sum(removed.values()), f"markup removed ({detail})"))

    text, n_pinyin, pinyin_doubts = remove_pinyin(text)
    doubts.extend(pinyin_doubts)
    pinyin_step = StepCount("pinyin", n_pinyin, "pinyin annotations removed after the character they read")
    steps.append(pinyin_step)

    result.script = detect_script(text)
    text, n_changed = to_simplified(text)
    steps.append(StepCount("t2s", n_changed + n_compatibility,
                           "characters converted to simplified (OpenCC t2s + variants"
                           + (f"; {n_compatibility} compatibility ideographs unified" if n_compatibility else "") + ")"))

    # The tidy steps can uncover work for each other (a removed sentence joins two neighbours,
    # removed boilerplate exposes more); they run until the text stops changing.
    totals: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for _ in range(MAX_TIDY_ROUNDS):
        before = text
        text, n = remove_inner_spaces(text)
        totals["spacing"] += n
        text, n = fullwidth_punctuation(text)
        totals["punctuation"] += n
        text, n = remove_inner_spaces(text)
        totals["spacing"] += n
        text, n, _ = remove_pinyin(text)  # an annotation can be uncovered by the steps above
        pinyin_step.count += n
        text = normalize_lines(text)
        text, found, captured = remove_boilerplate(text)
        rules.update(found)
        for key, value in captured.items():
            result.captured.setdefault(key, value)
        text = normalize_lines(text)
        text, exact, near, repeats = remove_repeated_sentences(text)
        totals["repeated_sentences"] += exact
        totals["near_duplicate_sentences"] += near
        doubts.extend(repeats)
        if text == before:
            break
    steps.append(StepCount("spacing", totals["spacing"], "runs of spaces next to Chinese characters removed"))
    steps.append(StepCount("punctuation", totals["punctuation"], "ASCII , : ; ? ! next to Chinese made full-width"))
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(rules.items())) or "none found"
    steps.append(StepCount("boilerplate", sum(rules.values()), f"boilerplate removed ({detail})"))
    steps.append(StepCount("repeated_sentences", totals["repeated_sentences"], "exact repeated sentences removed"))
    steps.append(StepCount("near_duplicate_sentences", totals["near_duplicate_sentences"],
                           "sentences repeating the end of the previous one removed"))

    result.text = text
    return result


def clean_text(text: str) -> str:
    """Return simplified-Chinese plain text: no markup, pinyin, boilerplate or repeated sentences."""
    return clean_document(text).text
