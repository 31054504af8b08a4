"""Turn scraped text (HTML, WeChat dumps, traditional characters with pinyin) into clean simplified text.

:func:`clean_document` runs the steps in order and records, for each, how much it changed
(:class:`StepCount`) and what it doubts (:class:`Doubt`, with a position). :func:`clean_text` is the
same pipeline returning only the text. Steps, in order:

1. ``mojibake``: spans of garbled characters are detected and reported (never dropped).
2. ``corrections``: curated repairs from the corpus folder's ``corrections.csv`` are applied.
3. ``html``: markup is parsed with an HTML parser; style/script/media elements and comments removed.
4. ``pinyin``: annotations glued after a character, ``實(shí)``, are removed when the syllable is a
   real reading of that character (pypinyin), whatever the romanisation style.
5. ``t2s``: traditional to simplified with OpenCC, plus the variants in ``data/variants.csv``.
6. ``spacing`` and ``punctuation``: spaces inside Chinese text removed; ASCII , : ; ? ! next to
   Chinese turned full-width.
7. ``boilerplate``: site and WeChat boilerplate from ``data/boilerplate.yaml`` removed.
8. ``repeated_sentences`` / ``near_duplicate_sentences``: exact repeats of a sentence within the
   document, and a sentence that merely repeats the end of the one before it, removed.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import opencc
import yaml
from lxml import etree
from pypinyin import Style, pinyin

from .files import common_han, read_csv_rows
from .paths import DATA_DIR

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014\u00b7"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
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
class Doubt:
    """Something a cleaning step doubts: a span, its position in that step's input, and why."""

    check: str
    position: int
    span: str
    message: str


@dataclass
class Correction:
    """A curated repair: replace ``wrong`` by ``right`` in one document, with a note saying why."""

    doc_id: str
    wrong: str
    right: str
    note: str


@dataclass
class CleanResult:
    """The cleaned text, per-step counts, doubts, and fields captured on the way (e.g. source)."""

    text: str
    steps: list[StepCount] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    captured: dict[str, str] = field(default_factory=dict)
    script: str = "none"


# --------------------------------------------------------------------------- unicode repair
# Blocks whose characters NFKC maps to ordinary unified ideographs: CJK compatibility ideographs
# (豈 U+F900 → 豈 U+8C48), their supplement, and Kangxi radicals (⽣ U+2F63 → 生) found in text copied from PDFs.
_COMPATIBILITY_BLOCKS = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0x2F00, 0x2FDF))


@lru_cache(maxsize=1)
def _compatibility_table() -> dict[int, str]:
    """Return code point -> unified ideograph for every compatibility character NFKC maps to one character."""
    table = {}
    for first, last in _COMPATIBILITY_BLOCKS:
        for cp in range(first, last + 1):
            mapped = unicodedata.normalize("NFKC", chr(cp))
            if mapped != chr(cp) and len(mapped) == 1:
                table[cp] = mapped
    return table


def repair_unicode(text: str) -> tuple[str, int, int]:
    """Return the text with lone surrogates replaced by U+FFFD and compatibility ideographs unified.

    Both keep the length of the text (positions stay valid); returns (text, surrogates, ideographs).
    """
    text, surrogates = _SURROGATE.subn("\ufffd", text)
    unified = text.translate(_compatibility_table())
    changed = sum(a != b for a, b in zip(text, unified)) if unified != text else 0
    return unified, surrogates, changed


# --------------------------------------------------------------------------- mojibake
_MOJIBAKE_ANCHOR = re.compile(
    r"\ufffd|(?<![A-Za-z0-9/=&.%])\?(?=[a-z;:{}_\[\]])|[\u2500-\u257f](?=[" + HAN + r"])|(?<=[" + HAN + r"])[\u2500-\u257f]"
    r"|[ÃÂâåæçè][\u0080-\u00bf€™‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜š›œžŸ]"
)
_ODD = re.compile(r"[?\ufffd\u2500-\u257fA-Za-z;:{}_\[\]\u00c0-\u024f\u0080-\u00bf)(]")


def _is_odd(char: str) -> bool:
    """Return True for characters that belong to a garbled span rather than to normal text."""
    if _ODD.fullmatch(char):
        return True
    return bool(re.fullmatch(f"[{HAN}]", char)) and char not in common_han()


def find_mojibake(text: str) -> list[Doubt]:
    """Return the garbled spans in the text (replacement marks, stray '?', box drawing, Latin-1 garbage)."""
    spans: list[tuple[int, int]] = []
    tags = [(m.start(), m.end()) for m in re.finditer(r"<[^<>]*>", text)]
    tag_starts = [a for a, _ in tags]
    scanned = (0, 0)  # text[scanned[0]:scanned[1]] is known to be all odd (linear time on long garbled runs)
    for match in _MOJIBAKE_ANCHOR.finditer(text):
        start, end = match.start(), match.end()
        inside = bisect.bisect_right(tag_starts, start) - 1
        if inside >= 0 and start < tags[inside][1]:
            continue  # URLs and attributes inside markup are not garbled text
        floor = spans[-1][1] if spans else 0  # walking back past the previous span changes nothing
        while start > floor and _is_odd(text[start - 1]) and text[start - 1] not in "()":
            start -= 1
        scan_from = end
        if scanned[0] <= end <= scanned[1]:
            scan_from, end = scanned
        while end < len(text) and _is_odd(text[end]) and text[end] != "(":
            end += 1
        scanned = (scan_from, end)
        if spans and start <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return [
        Doubt("mojibake", start, text[start:end],
              f"garbled characters in '…{text[max(0, start - 8):end + 8]}…': cannot be decoded back; "
              "add a repair to corrections.csv if you know the original")
        for start, end in spans
    ]


def apply_corrections(text: str, corrections: Iterable[Correction]) -> tuple[str, int, list[Doubt]]:
    """Return the text with curated repairs applied, how many were applied, and those not found."""
    applied, missing = 0, []
    for fix in corrections:
        hits = text.count(fix.wrong)
        if hits:
            text = text.replace(fix.wrong, fix.right)
            applied += hits
        else:
            missing.append(Doubt("corrections", -1, fix.wrong,
                                 "correction not applied: its 'wrong' text is not in the document (stale entry?)"))
    return text, applied, missing


def load_corrections(rows: Sequence[dict[str, str]]) -> dict[str, list[Correction]]:
    """Return curated corrections grouped by document id from CSV rows (doc_id, wrong, right, note)."""
    grouped: dict[str, list[Correction]] = {}
    for row in rows:
        if row.get("doc_id") and row.get("wrong"):
            grouped.setdefault(row["doc_id"], []).append(
                Correction(row["doc_id"], row["wrong"], row.get("right", ""), row.get("note", "")))
    return grouped


# --------------------------------------------------------------------------- HTML
_STRUCTURE_TAGS = ("p", "div", "br", "span", "font", "section", "article", "li", "ul", "ol", "table",
                   "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "a",
                   "blockquote", "iframe", "style", "head", "body", "html", "script", "noscript", "img", "svg",
                   "object", "embed", "form", "input", "button", "video", "audio", "title", "meta", "link")
_HTML_TAG = re.compile(r"</?(?:" + "|".join(_STRUCTURE_TAGS) + r")\b[^<>]*>", re.I)
_BLOCK_TAGS = ("p", "div", "section", "article", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "table", "ul", "ol")
_DROP_TAGS = ("style", "script", "iframe", "noscript", "img", "video", "audio", "svg", "head", "button",
              "form", "input", "object", "embed")


def looks_like_html(text: str) -> bool:
    """Return True when the text contains HTML structure tags (p, div, br, style …)."""
    return _HTML_TAG.search(text) is not None


# Any tag-like text left after parsing (an article quoting '<script>'): made full-width, never markup again.
_MARKUP_LIKE = re.compile(r"</?[A-Za-z!][^<>]{0,500}>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
_EXPLICIT_HEAD = re.compile(r"<head[\s>/]", re.I)


def _parse_html(text: str) -> etree._Element | None:
    """Return the root of the HTML parsed by libxml2 (lxml), or None when there is no element at all."""
    parser = etree.HTMLParser(encoding="utf-8", recover=True, remove_comments=False, huge_tree=True,
                              no_network=True)
    try:
        return etree.fromstring(_SURROGATE.sub("\ufffd", text).encode("utf-8"), parser)
    except (etree.LxmlError, ValueError):
        return None


def html_to_text(text: str) -> tuple[str, Counter[str]]:
    """Return the visible text of an HTML fragment and a count of what was removed, by kind.

    One pass over the lxml tree (linear in the size of the page, whatever the number of tags):
    comments and style/script/media elements are dropped with everything inside them, ``<br>`` and
    block elements become line breaks.
    """
    removed: Counter[str] = Counter()
    removed["entities"] = len(_ENTITY.findall(text))
    root = _parse_html(text)
    parts: list[str] = []
    if root is not None:
        outside = list(root.itersiblings(preceding=True))[::-1] + list(root.itersiblings())
        outer_comments = sum(node.tag is etree.Comment for node in outside)  # comments before/after <html>
        if outer_comments:
            removed["comments"] += outer_comments
        drop = set(_DROP_TAGS) if _EXPLICIT_HEAD.search(text) else set(_DROP_TAGS) - {"head"}
        blocks = set(_BLOCK_TAGS)
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, node in walker:
            if event in ("comment", "pi"):
                removed["comments"] += event == "comment"
                parts.append(node.tail or "")
                continue
            tag = node.tag.lower() if isinstance(node.tag, str) else ""
            if event == "start":
                if tag in drop:
                    for inner in node.iter():
                        if isinstance(inner.tag, str) and inner.tag.lower() in _DROP_TAGS:
                            removed[f"<{inner.tag.lower()}>"] += 1
                        elif not isinstance(inner.tag, str) and inner.tag is etree.Comment:
                            removed["comments"] += 1
                    walker.skip_subtree()
                    continue
                if tag == "br" or tag in blocks:
                    parts.append("\n")
                parts.append(node.text or "")
            else:
                if tag in blocks:
                    parts.append("\n")
                parts.append(node.tail or "")
    plain = "".join(parts)
    # Text that itself reads like markup (an article quoting '<p>') must not be parsed again later.
    plain, neutralised = _MARKUP_LIKE.subn(lambda m: "＜" + m.group(0)[1:-1] + "＞", plain)
    if neutralised:
        removed["markup-like text made full-width"] += neutralised
    return plain, removed


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
        simplified = _t2s_converter().convert(char)
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


# --------------------------------------------------------------------------- script conversion
@lru_cache(maxsize=1)
def _t2s_converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def variants() -> dict[str, str]:
    """Return the variant characters OpenCC misses, mapped to their simplified form."""
    return {row["variant"]: row["simplified"] for row in read_csv_rows(DATA_DIR / "variants.csv")}


def to_simplified(text: str) -> tuple[str, int]:
    """Return the text in simplified characters and how many characters changed."""
    converted = _t2s_converter().convert(text)
    table = variants()
    if table:
        converted = converted.translate(str.maketrans(table))
    if len(converted) == len(text):
        changed = sum(a != b for a, b in zip(text, converted))
    else:  # OpenCC never changes length for t2s, but do not count wrongly if it does
        changed = abs(len(text) - len(converted)) + sum(a != b for a, b in zip(text, converted))
    return converted, changed


_NOT_HAN = re.compile(f"[^{HAN}]+")


def detect_script(text: str) -> str:
    """Return 'traditional', 'simplified' or 'none' (no Han characters) for a text as found."""
    han = _NOT_HAN.sub("", text)  # one string, not a list of millions of one-character strings
    if not han:
        return "none"
    _, changed = to_simplified(han)
    return "traditional" if changed / len(han) > 0.05 else "simplified"


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
