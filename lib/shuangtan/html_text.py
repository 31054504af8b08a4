"""HTML to text: parse markup with lxml and keep the text, one line per block element.

:func:`looks_like_html` says whether a text holds markup; :func:`html_to_text` drops style, script
and media elements and comments, counts what it removed, and makes tag-like text left over (an
article quoting ``<script>``) full-width so it is never markup.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from .repairs import SURROGATE


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
        return etree.fromstring(SURROGATE.sub("\ufffd", text).encode("utf-8"), parser)
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
