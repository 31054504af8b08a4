"""Harvest, then remove, the page furniture of saved news pages.

Saved pages carry a site's header and footer around the article: breadcrumbs (``首页 > 新闻 > 正文``),
``来源：… 作者：… 发布时间：2022-02-22 10:35:00`` lines, ``【打印】【关闭】``, hit counters, photo
credits, share prompts, banners, the headline printed two or three times. :func:`harvest_furniture`
reads the facts those lines carry (source, author, publication time, URL), then removes the lines and
counts each kind. The patterns are data (``data/furniture.yaml``) and describe families of lines, not
single sites. The input is text already cleaned by :mod:`shuangtan.clean` (simplified, full-width
colons next to Chinese, one paragraph a line).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .paths import DATA_DIR

# A body paragraph: long enough and reads like prose. Header lines come before the first one,
# footer lines after the last one.
MIN_BODY_CHARS = 40
# Longest line read as a "label：value" furniture line.
MAX_META_LINE = 160
# A headline repeated as the prefix of a teaser line is cut when at least this long.
MIN_TITLE_CHARS = 6

_DATETIME = (r"(?:19|20)\d{2}\s*(?:[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
             r"(?:\s*(?:星期.|周.))?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_URL = r"https?://[^\s，。、“”]+"
# A bare header over a list of other articles (a header with a title after it is one inline link).
_LIST_HEADER = re.compile(r"^(?:相关新闻|相关阅读|相关链接|相关文章|相关报道|推荐阅读|延伸阅读|热点推荐|猜你喜欢|更多新闻)[：:]?$")
# The issuer line of a notice's signature block (…人民政府, …管委会, …办公室): the date under it is the notice's.
_SIGNER = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|政府|委员会|管委会|办公室|办公厅|党委|省委|市委|区委|县委|厅|局|委)$")
_SEPARATORS = re.compile(r"^[\s|丨｜·•/／\-—_,，;；:：【】\[\]()（）]*$")


@dataclass
class Furniture:
    """The text without furniture, the facts read from it, and what was removed (by kind)."""

    text: str
    facts: dict[str, str] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)
    title: str = ""


@lru_cache(maxsize=1)
def furniture_rules() -> dict:
    """Return the compiled furniture rules of ``data/furniture.yaml``."""
    with open(DATA_DIR / "furniture.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    label_fact = {label: fact for fact, labels in data["labels"].items() for label in labels}
    labels = sorted(label_fact, key=len, reverse=True)
    alternation = "|".join(map(re.escape, labels))
    field_re = re.compile(
        rf"(?P<label>{alternation})\s*[：:/／]\s*(?P<value>.*?)\s*(?=(?:{alternation})\s*[：:/／]|{_DATETIME}|[|丨｜]|\s{{2,}}|$)")

    def whole(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("^(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*$")

    return dict(
        label_fact=label_fact, field_re=field_re,
        anywhere={kind: whole(p) for kind, p in data["anywhere"].items()},
        edges={kind: whole(p) for kind, p in data["edges"].items()},
        prefixes={kind: re.compile("^(?:" + "|".join(f"(?:{p})" for p in pats) + ")")
                  for kind, pats in data["prefixes"].items()},
        title_prefix=re.compile("^(?:" + "|".join(data["title_prefixes"]) + ")"),
    )


def is_body_line(line: str) -> bool:
    """Return True for a paragraph of article text (long, with a sentence end or a comma)."""
    return len(line) >= MIN_BODY_CHARS and bool(re.search(r"[。！？；，]", line))


def parse_meta_line(line: str) -> dict[str, str] | None:
    """Return the facts of a line made only of ``label：value`` fields and date-times, else None."""
    if len(line) > MAX_META_LINE:
        return None
    rules = furniture_rules()
    facts: dict[str, str] = {}
    found = False
    rest = line
    for match in rules["field_re"].finditer(line):
        found = True
        fact = rules["label_fact"][match.group("label")]
        value = match.group("value").strip(" ：:|丨｜")
        if fact != "drop" and value and fact not in facts:
            facts[fact] = value
        rest = rest.replace(match.group(0), " ", 1)
    stamps = re.findall(_DATETIME, rest)
    for stamp in stamps:
        rest = rest.replace(stamp, " ", 1)
    urls = re.findall(_URL, rest)
    for url in urls:
        rest = rest.replace(url, " ", 1)
    if not found and not (stamps and _SEPARATORS.match(rest)):
        return None
    if not _SEPARATORS.match(rest):
        return None
    if stamps and "published" not in facts:
        facts["published"] = stamps[0].strip()
    if urls and "url" not in facts:
        facts["url"] = urls[0]
    return facts


def _clean_title(title: str) -> str:
    """Return a headline without an aggregator's column label (``全球要闻：``)."""
    stripped = furniture_rules()["title_prefix"].sub("", title)
    return stripped if len(stripped) >= MIN_TITLE_CHARS else title


def harvest_furniture(text: str, title: str = "") -> Furniture:
    """Return the text without page furniture, the facts read from it and counts by kind.

    ``title`` is the headline when known (front matter); a line repeating it, or a ``【title】：``
    prefix, is removed. Facts: ``source``, ``author``, ``published`` (as written), ``url``.
    """
    rules = furniture_rules()
    result = Furniture(text="", title=title)
    lines, stamps, lists = [], [], []
    for line in text.split("\n"):
        kind = _anywhere_kind(line, rules)
        if kind:
            result.counts[kind] += 1
            result.removed.append((kind, line))
            if _LIST_HEADER.match(line.strip()):
                lists.append(len(lines))  # other articles follow this header
            stamp = _timed_stamp(line)
            if stamp:
                stamps.append(stamp)  # "©原创   2022-03-30 10:55": a banner carrying the page's time
        else:
            lines.append(line)
    body = [i for i, line in enumerate(lines) if is_body_line(line)]
    cut = next((i for i in lists if body and i > body[0]), None)
    if cut is not None:  # "相关新闻" after the article: the rest of the page is other articles
        others = [line for line in lines[cut:] if line.strip()]
        result.counts["related_articles"] += len(others)
        result.removed.extend(("related_articles", line) for line in others)
        lines = lines[:cut]
        body = [i for i in body if i < cut]
    first_body = body[0] if body else len(lines)
    last_body = body[-1] if body else len(lines)
    kept: list[str] = []
    for index, line in enumerate(lines):
        edge = index < first_body or index > last_body
        if index and _SIGNER.match(lines[index - 1].strip()) and re.fullmatch(_DATETIME, line.strip()):
            kept.append(line)  # a notice's own date under its issuer (落款), not the page's date
            continue
        kind = _furniture_kind(line, edge, result.facts, rules)
        if kind:
            result.counts[kind] += 1
            result.removed.append((kind, line))
        else:
            kept.append(line)
    if stamps:
        result.facts.setdefault("published", stamps[0])  # only when no header line gave the time
    kept = _drop_repeated_headlines(kept, result)
    result.text = "\n".join(_join_wrapped(kept, result))
    return result


def _join_wrapped(lines: list[str], result: Furniture) -> list[str]:
    """Return the lines with paragraphs that a saved page broke mid-sentence joined again (counted).

    Only in texts that are hard-wrapped (see :func:`hard_wrapped`): there a line that does not end a
    sentence continues on the next line (``全市碳达峰`` / ``碳中和工作领导小组…``).
    """
    if not hard_wrapped(lines):
        return lines
    joined: list[str] = []
    for line in lines:
        if joined and not re.search(r"[。！？；：:”」）)…]$", joined[-1]) and len(joined[-1]) >= 6:
            result.counts["wrapped_line"] += 1
            result.removed.append(("wrapped_line", joined[-1][-10:] + "⏎" + line[:10]))
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def _anywhere_kind(line: str, rules: dict) -> str:
    """Return the kind of a line that is furniture wherever it stands ('' otherwise)."""
    if not line.strip():
        return "blank"
    for kind, pattern in rules["anywhere"].items():
        if pattern.match(line):
            return kind
    return ""


def _furniture_kind(line: str, edge: bool, facts: dict[str, str], rules: dict) -> str:
    """Return the furniture kind of a line ('' when it is text); facts it carries go into ``facts``."""
    if edge or len(line) <= MAX_META_LINE:
        meta = parse_meta_line(line)
        # Inside the text a bare date line is a letter's or notice's own date (落款), not the page's.
        labelled = edge or rules["field_re"].search(line) is not None
        if meta is not None and labelled and (edge or meta.keys() - {"published"} or len(line) < 30):
            for fact, value in meta.items():
                facts.setdefault(fact, value)
            return "meta_line"
    if edge:
        stamp = _timed_stamp(line)
        if stamp and not re.search(r"[。，]", line):
            facts.setdefault("published", stamp)  # "初生之犊网2025-07-06 16:05:50【休闲】9人已围观"
            return "site_stamp"
        for kind, pattern in rules["edges"].items():
            if pattern.match(line):
                return kind
        if re.fullmatch(_URL, line.strip()):
            facts.setdefault("url", line.strip())
            return "url_line"
    return ""


def _timed_stamp(line: str) -> str:
    """Return the date-time with an hour and minute on a short line (at most 80 characters), else ''."""
    stamp = re.search(_DATETIME, line) if len(line) <= 80 else None
    return stamp.group(0) if stamp and re.search(r"\d{1,2}[:：]\d{2}", stamp.group(0)) else ""


def _drop_repeated_headlines(lines: list[str], result: Furniture) -> list[str]:
    """Return the lines without repeats of the headline and teasers that repeat the next paragraph."""
    rules = furniture_rules()
    title = result.title
    if not title:
        title = next((line for line in lines if looks_like_title(line)), "")
    kept: list[str] = []
    title_seen = False
    for index, line in enumerate(lines):
        if title and len(title) >= MIN_TITLE_CHARS:
            if line == title or _clean_title(line) == _clean_title(title):
                if title_seen or result.title:
                    result.counts["headline_repeat"] += 1
                    result.removed.append(("headline_repeat", line))
                    continue
                title_seen = True
                kept.append(line)
                continue
            stripped = re.sub(rf"^(?:{re.escape(title)})?\s*(?:【{re.escape(title)}】)?\s*[：:]?", "", line)
            if stripped != line and len(line) - len(stripped) >= MIN_TITLE_CHARS and stripped:
                result.counts["headline_repeat"] += 1
                result.removed.append(("headline_repeat", line[:len(line) - len(stripped)]))
                line = stripped
        kept.append(line)
    # A teaser that repeats the start of a later paragraph (a summary box, 导言) goes.
    final: list[str] = []
    for index, line in enumerate(kept):
        later = kept[index + 1:index + 4]
        bare = rules["prefixes"]["news_prefix"].sub("", line)
        if len(bare) >= 15 and any(other != line and other.startswith(bare.rstrip("…. ")) for other in later):
            result.counts["teaser_repeat"] += 1
            result.removed.append(("teaser_repeat", line))
            continue
        final.append(line)
    return _cut_prefixes(final, result)


def _cut_prefixes(lines: list[str], result: Furniture) -> list[str]:
    """Return the lines with a news prefix (``本报讯（记者 …）``, ``导语：``) cut from the first paragraph that has one."""
    for index, line in enumerate(lines[:8]):
        for kind, pattern in furniture_rules()["prefixes"].items():
            match = pattern.match(line)
            if match and match.end() and len(line) > match.end():
                author = match.groupdict().get("author")
                if author:
                    result.facts.setdefault("author", re.sub(r"^(?:记者|通讯员)\s*", "", author).strip())
                result.counts[kind] += 1
                result.removed.append((kind, match.group(0)))
                lines[index] = line[match.end():]
                return lines
    return lines


def looks_like_title(line: str) -> bool:
    """Return True for a line that reads like a headline: short, no sentence end, not a date or heading."""
    return (4 <= len(line) <= 60 and not re.search(r"[。！？；：:，,、]$|[。]", line)
            and not re.match(r"^\d{1,2}[.．、]\s*\S{2,12}$", line)
            and not re.fullmatch(rf"\s*{_DATETIME}\s*", line)
            and not re.search(r"\d{1,2}月\d{1,2}日(?:上午|下午|晚上|晚间|晚)?[，,]", line))


def _continues(line: str, following: str) -> bool:
    """Return True when ``following`` reads as the rest of ``line`` (a paragraph wrapped mid-sentence)."""
    if len(line) < 6 or re.search(r"[。！？；：”」）)…]$", line):
        return False
    clause = re.split(r"[，。；]", following, maxsplit=1)
    return len(clause) > 1 and len(clause[0]) <= 12 and not re.search(r"\d{1,2}月|日前|近日|会上|据悉", clause[0])


def hard_wrapped(lines: list[str]) -> bool:
    """Return True when the text's paragraphs are broken mid-sentence (two or more wrapped lines near the top)."""
    top = lines[:15]
    return sum(_continues(a, b) for a, b in zip(top, top[1:])) >= 2


def choose_title(text: str, given: str = "") -> str:
    """Return the document's headline: the given one (front matter), else the first headline-like line.

    A line that only starts a paragraph wrapped mid-sentence (saved pages with hard line breaks) is
    not a headline.
    """
    if given:
        return _clean_title(given)
    lines = text.split("\n")
    wrapped = hard_wrapped(lines)
    for index, line in enumerate(lines[:6]):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if wrapped and _continues(line, following):
            break
        if looks_like_title(line):
            return _clean_title(line)
        if is_body_line(line):
            break
    return ""
