"""Turn one decoded file into its document row, noting in a :class:`Recorder` what was done.

:func:`build_document` cleans a :class:`~shuangtan.files.RawDocument`, harvests then removes page
furniture (:mod:`shuangtan.furniture`) and fills the document row (title, source, author, URL and the
publication date, China local time, from front matter or a page header). Facts the page does not
state (title, source, author, URL, publication date) come from metadata.csv. :class:`Recorder` collects the quality rows of every
step (``QUALITY_COLUMNS``); the statements of a document are extracted by :mod:`shuangtan.statements`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import clean_document
from .dates import parse_date_text
from .files import RawDocument
from .front_matter import published_date, split_front_matter
from .furniture import choose_title, harvest_furniture
from .han import to_simplified

DOCUMENT_COLUMNS = ["doc_id", "path", "status", "error", "title", "source", "published", "published_source",
                    "author", "url", "script", "encoding", "n_raw_chars", "n_chars", "n_speeches", "sha1", "text"]
QUALITY_COLUMNS = ["doc_id", "path", "check", "severity", "count", "position", "span", "message"]
# metadata.csv facts about a whole document: each fills the field when the document gives none.
DOCUMENT_FACTS = ("title", "source", "author", "url", "published")


@dataclass
class Recorder:
    """Collects quality rows and holds the folder's metadata facts while documents are built."""

    folder: Path
    quality: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)

    def note(self, doc_id: str, path: str, check: str, severity: str, count: int = 1, position: int = -1,
             span: str = "", message: str = "") -> None:
        self.quality.append(dict(doc_id=doc_id, path=path, check=check, severity=severity, count=count,
                                 position=position, span=span, message=message))


# --------------------------------------------------------------------------- documents
def _relative(path: Path, folder: Path) -> str:
    return f"{folder.name}/{path.name}"


_URL_FIELDS = ("url", "link", "source_url", "original_url", "canonical")


def build_document(raw: RawDocument, builder: Recorder, corrections: dict[str, list]) -> dict[str, Any]:
    """Return the document row of one file (status ok or error), noting what was done in ``builder``.

    The text is cleaned (:mod:`shuangtan.clean`), then page furniture is harvested and removed
    (:mod:`shuangtan.furniture`): source, author, publication time and URL go to the row first.
    ``published`` is a China local date-time from front matter or a page header, never shifted to UTC.
    """
    path = _relative(raw.path, builder.folder)
    row: dict[str, Any] = dict(doc_id=raw.doc_id, path=path, status="error", error=raw.error, title="",
                               source="", published=pd.NaT, published_source="", author="", url="", script="",
                               encoding=raw.encoding, n_raw_chars=len(raw.text), n_chars=0, n_speeches=0,
                               sha1=raw.sha1, text="")
    for check, count, message in raw.notes:
        builder.note(raw.doc_id, path, check, "warning", count, message=message)
    if raw.error:
        builder.note(raw.doc_id, path, "load", "error", message=raw.error)
        return row
    fields, body, problem = split_front_matter(raw.text)
    if problem:
        builder.note(raw.doc_id, path, "front_matter", "warning", message=problem)
    offset = len(raw.text) - len(body)
    result = clean_document(body, corrections.get(raw.doc_id, []))
    for step in result.steps:
        builder.note(raw.doc_id, path, step.step, "info", step.count, message=step.message)
    for doubt in result.doubts:
        position = doubt.position + offset if doubt.check in ("mojibake",) and doubt.position >= 0 else doubt.position
        builder.note(raw.doc_id, path, doubt.check, "warning", 1, position, doubt.span, doubt.message)
    given_title = to_simplified(str(fields.get("title") or ""))[0].strip()
    furniture = harvest_furniture(result.text, given_title)
    for kind, count in sorted(furniture.counts.items()):
        if kind != "blank":
            example = next((line for k, line in furniture.removed if k == kind), "")
            builder.note(raw.doc_id, path, f"furniture_{kind}", "info", count, span=example[:60],
                         message=f"page furniture removed ({kind.replace('_', ' ')}); facts kept: "
                                 f"{', '.join(sorted(furniture.facts)) or 'none'}")
    facts = furniture.facts
    published, published_source = _published(fields.get("date"), facts.get("published"))
    front_problem = published_date(fields.get("date"))[1] if fields.get("date") not in (None, "") else ""
    if front_problem:
        kept = (f"; the date part {published:%Y-%m-%d} was kept" if published_source == "front matter"
                else "; the publication date was left to the page header" if published is not None else "")
        builder.note(raw.doc_id, path, "front_matter", "warning", span=str(fields.get("date"))[:60],
                     message=f"front-matter date: {front_problem}{kept}")
    elif fields.get("date") not in (None, "") and published_source != "front matter":
        builder.note(raw.doc_id, path, "front_matter", "warning", span=str(fields.get("date"))[:60],
                     message="front-matter date not understood: write it as 2022-02-22 or 2022-02-22 10:35")
    title = given_title or to_simplified(facts.get("title", ""))[0] or choose_title(furniture.text)
    source = str(fields.get("author") or "") or result.captured.get("source", "") or facts.get("source", "")
    author = facts.get("author", "")
    url = next((str(fields[key]) for key in _URL_FIELDS if fields.get(key)), "") or facts.get("url", "")
    given = {"title": title, "source": source, "author": author, "url": url, "published": published}
    for fact in DOCUMENT_FACTS:
        meta = builder.metadata.get((raw.doc_id, "", fact))
        if meta is None:
            continue
        if given[fact] is not None and given[fact] != "":
            builder.note(raw.doc_id, path, "metadata", "warning",
                         message=f"metadata {fact} ignored: the document itself gives one")
        else:
            given[fact] = pd.Timestamp(meta[0]) if fact == "published" else meta[0]
            published_source = "metadata" if fact == "published" else published_source
    title, source, author, url, published = (given[fact] for fact in ("title", "source", "author", "url", "published"))
    for fact, value in (("title", title), ("source", source)):
        if not value:
            builder.note(raw.doc_id, path, f"missing_{fact}", "warning",
                         message=f"no {fact} found in the document; add a '{fact}' row to metadata.csv if you know it")
    row.update(status="ok", error="", title=title, source=source, published=published if published is not None else pd.NaT,
               published_source=published_source, author=author, url=url, script=result.script,
               n_chars=len(furniture.text), text=furniture.text)
    return row


def _published(front: Any, header: str | None) -> tuple[pd.Timestamp | None, str]:
    """Return (publication date-time, where it came from): front matter first, then a page header line."""
    value = parse_date_text(front)
    if value is not None:
        return value, "front matter"
    value = parse_date_text(header)
    if value is not None:
        return value, "page header"
    return None, ""
