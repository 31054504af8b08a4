"""Embed the project's CJK font in HTML pages, subset to the characters a page uses.

A rendered notebook must show Chinese on a machine without any CJK font. Embedding the whole
Noto Sans SC (8 MB) in every page is too heavy, so the font is cut down to the characters that
occur in the page and inlined as a WOFF data URL in an ``@font-face`` rule.
"""

from __future__ import annotations

import base64
import io
import re

from fontTools import subset
from fontTools.ttLib import TTFont

from .fonts import font_path

FONT_FAMILY = "Shuangtan Noto Sans SC"
# Only CJK characters and punctuation are taken from the embedded font; Latin text keeps the page's font.
UNICODE_RANGE = "U+2E80-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+2014-201F, U+2026, U+00B7"


def font_face_css(text: str) -> str:
    """Return an @font-face rule embedding the CJK font subset to the characters of the text."""
    chars = {c for c in text if ord(c) > 0x2000}
    if not chars:
        return ""
    # recalcTimestamp=False: keep the font's own head.modified, not "now", so two runs give identical pages.
    # recalcBBoxes=False: the subset keeps the whole font's bounding box in its head table (a valid, larger
    # box) instead of drawing every CFF glyph to measure it: saving takes 0.1 s instead of 0.6 s per page.
    # lazy=None: tables are read when the subsetter needs them.
    font = TTFont(str(font_path()), lazy=None, recalcTimestamp=False, recalcBBoxes=False)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url(data:font/woff;base64,{data}) format('woff'); "
            f"unicode-range: {UNICODE_RANGE}; font-display: block; }}\n"
            f"body, .jp-Notebook, .jp-RenderedHTMLCommon, .jp-OutputArea, table, td, th {{ "
            f"font-family: '{FONT_FAMILY}', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }}\n"
            f"code, pre, .jp-InputArea-editor, .highlight {{ font-family: '{FONT_FAMILY}', monospace; }}\n")


def embed_font(html: str) -> str:
    """Return the HTML page with the subset CJK font embedded in a <style> block in its <head>."""
    visible = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    visible = re.sub(r"data:[^\"')\s]+", " ", visible)
    css = font_face_css(visible)
    if not css:
        return html
    block = f"<style>\n{css}</style>\n"
    if "</head>" in html:
        return html.replace("</head>", block + "</head>", 1)
    return block + html
