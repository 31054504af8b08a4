"""Turn one decoded file into its document row and its statements.

:func:`build_document` cleans a :class:`~shuangtan.files.RawDocument` and fills the document row
(title, source, publication date); :func:`statements_of` splits compilations into their numbered
provincial entries and turns every other document into one statement, extracting province, date,
speaker and occasion from the text. Everything doubted goes to the :class:`Recorder` as quality rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import HAN, clean_document, to_simplified
from .files import RawDocument, parse_published, split_front_matter
from .occasions import classify_occasion
from .places import detect_provinces, province_info, resolve_province

DOCUMENT_COLUMNS = ["doc_id", "path", "status", "error", "title", "source", "published", "script",
                    "encoding", "n_raw_chars", "n_chars", "n_speeches", "sha1", "text"]
SPEECH_COLUMNS = ["speech_id", "doc_id", "level", "province", "province_code", "region", "date",
                  "date_source", "date_note", "speaker", "speaker_role", "speaker_source", "occasion",
                  "occasion_type", "lead", "text", "n_chars"]
QUALITY_COLUMNS = ["doc_id", "path", "check", "severity", "count", "position", "span", "message"]


_HEADING = re.compile(r"^(\d{1,2})[.．、]\s*(\S{2,12})$", re.M)
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_TITLES = "书记|组长|主任|省长|市长|主席|司长|部长|总理|厅长|局长"
_VERBS = "在|主持|到|赴|出席|会见|召开|指出|强调|表示|说|讲话|要求|介绍|："
_ROLE_NAME = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?P<name>(?![在主到赴出会召于的和与及等])[{HAN}]{{2,3}}?)(?={_VERBS})")
_ROLE_ONLY = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?=[在主到赴])")
_NAME_TITLE = re.compile(rf"(?P<name>[{HAN}]{{2,3}})(?P<role>总书记)")
_LEADING_VERBS = re.compile(r"^(?:在|到|赴|于|出席|主持召开|主持|召开)+")
_TRAILING_VERBS = re.compile(r"(?:时|上|中|期间)?[，,]?(?:(?:上|时)?(?:强调|指出|说|表示|讲话|要求|讲到|介绍|并讲话|并作总结))*[：:。]?$")
_GENERIC_OCCASION = re.compile(r"^(?:出席)?(?:会议)?(?:并)?(?:讲话|作总结|致辞)?$")
_CENTRAL = re.compile(r"中共中央|党中央|国务院|国家发展改革委|中央政治局|中央财经|国家")



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


def _guess_title(text: str) -> str:
    """Return the first line when it reads like a headline (short, no sentence end, no date), else ''."""
    first = text.split("\n", 1)[0]
    if len(first) <= 30 and not re.search(r"[。！？；]", first) and not _DATE.search(first):
        return first
    return ""


def build_document(raw: RawDocument, builder: Recorder, corrections: dict[str, list]) -> dict[str, Any]:
    path = _relative(raw.path, builder.folder)
    row: dict[str, Any] = dict(doc_id=raw.doc_id, path=path, status="error", error=raw.error, title="",
                               source="", published=pd.NaT, script="", encoding=raw.encoding,
                               n_raw_chars=len(raw.text), n_chars=0, n_speeches=0, sha1=raw.sha1, text="")
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
    published = parse_published(fields.get("date"))
    if published is not None and published.tzinfo is not None:
        published = published.astimezone(timezone.utc).replace(tzinfo=None)  # stored as UTC
    title, source = str(fields.get("title") or ""), str(fields.get("author") or "")
    if title:
        title = to_simplified(title)[0]
    else:
        title = _guess_title(result.text)
    source = source or result.captured.get("source", "")
    for fact in ("title", "source"):
        if (raw.doc_id, "", fact) in builder.metadata:
            value, note = builder.metadata[(raw.doc_id, "", fact)]
            if {"title": title, "source": source}[fact]:
                builder.note(raw.doc_id, path, "metadata", "warning",
                             message=f"metadata {fact} ignored: the document itself gives one")
            elif fact == "title":
                title = value
            else:
                source = value
    for fact, value in (("title", title), ("source", source)):
        if not value:
            builder.note(raw.doc_id, path, f"missing_{fact}", "warning",
                         message=f"no {fact} found in the document; add a '{fact}' row to metadata.csv if you know it")
    row.update(status="ok", error="", title=title, source=source,
               published=pd.Timestamp(published) if published else pd.NaT, script=result.script,
               n_chars=len(result.text), text=result.text)
    return row


# --------------------------------------------------------------------------- speeches
def _split_entries(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Return (text before the first entry, [(number, heading name, entry text)]) of a compilation."""
    headings = [m for m in _HEADING.finditer(text)
                if resolve_province(m.group(2)) or re.search(r"(省|市|自治区)$", m.group(2))]
    if len(headings) < 2:
        return text, []
    entries = []
    for current, following in zip(headings, headings[1:] + [None]):
        end = following.start() if following else len(text)
        entries.append((current.group(1), current.group(2), text[current.end():end].strip("\n")))
    return text[:headings[0].start()], entries


def _parse_speaker(lead: str) -> tuple[str, str, int]:
    """Return (speaker name, role, end position of the name in the lead) or empty values."""
    matches = [m for m in (_ROLE_NAME.search(lead), _NAME_TITLE.search(lead)) if m]
    if matches:
        match = min(matches, key=lambda m: m.start())
        return match.group("name"), match.group("role"), match.end()
    match = _ROLE_ONLY.search(lead)
    if match:
        return "", match.group("role"), match.end()
    return "", "", -1


def _parse_occasion(lead: str, speaker_end: int, speaker: str) -> str:
    """Return the occasion: what the lead says after the speaker, or the clause after the date."""
    after = lead[speaker_end:] if speaker_end >= 0 else ""
    occasion = _TRAILING_VERBS.sub("", _LEADING_VERBS.sub("", after)).strip("，, ")
    if not occasion or _GENERIC_OCCASION.match(occasion) or speaker_end < 0:
        first_clause = re.split(r"[，。]", lead.lstrip("，,下午上晚"), maxsplit=1)[0]
        if first_clause and (not speaker or speaker not in first_clause):
            occasion = re.sub(r"在\S{2,6}召开$", "", first_clause)
    return occasion


def _resolve_date(match: re.Match[str] | None, doc: dict[str, Any], province: str,
                  builder: Recorder) -> tuple[Any, str, str]:
    """Return (date, date_source, date_note) for a date match, using published date or metadata for a year."""
    if match is None:
        return pd.NaT, "", "no date in the text"
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    if year:
        return pd.Timestamp(int(year), month, day), "text", ""
    published = doc.get("published")
    for key in ((doc["doc_id"], province, "year"), (doc["doc_id"], "", "year")):
        if key in builder.metadata:
            value, note = builder.metadata[key]
            return pd.Timestamp(int(value), month, day), "metadata", f"year from metadata.csv: {note}"
    if published is not None and not pd.isna(published):
        guess = pd.Timestamp(published.year, month, day)
        if guess > published:
            guess = pd.Timestamp(published.year - 1, month, day)
        return (guess, "text", f"month and day from the text; year from the document's publication date "
                               f"{published:%Y-%m-%d} (front matter)")
    return pd.NaT, "", f"the text gives {month}月{day}日 without a year: add a 'year' row to metadata.csv"


def _speech_row(doc: dict[str, Any], number: str, heading: str, body: str, builder: Recorder,
                compilation: bool) -> dict[str, Any]:
    lines = body.split("\n")
    if compilation:
        lead, text = lines[0], "\n".join(lines[1:])
    else:
        text = body
        if doc["title"] and text.startswith(doc["title"] + "\n"):
            text = text[len(doc["title"]) + 1:]
        sentence = re.search(r"[^。\n]*\d{1,2}月\d{1,2}日[^。\n]*[。]?", text)
        lead = sentence.group(0) if sentence else ""
        if sentence:
            text = (text[:sentence.start()] + text[sentence.end():]).strip()
    speech_id = f"{doc['doc_id']}-{int(number):02d}"
    date_match = _DATE.search(lead)
    after_date = lead[date_match.end():] if date_match else lead
    speaker, role, name_end = _parse_speaker(after_date)
    if not speaker and not compilation:  # e.g. 习近平总书记 named in the sentence after the lead
        speaker, role, _ = _parse_speaker(text[:200])
        role = role if speaker else ""
    occasion = _parse_occasion(after_date, name_end, speaker) if lead else ""

    province = resolve_province(heading) if heading else None
    if heading and province is None:
        builder.note(doc["doc_id"], doc["path"], "unknown_province", "warning", span=heading,
                     message=f"entry {number} is headed '{heading}', which is not one of the 31 provincial units: "
                             "fix the heading or the name; the entry is kept with no province")
    level = ("provincial" if province else "unknown") if heading else ""
    if not heading:
        found = detect_provinces(body)
        if found:
            province, level = next(iter(found)), "provincial"
            if len(found) > 1 and list(found.values())[0] == list(found.values())[1]:
                builder.note(doc["doc_id"], doc["path"], "ambiguous_province", "warning", span=str(found),
                             message="two provinces are named equally often; the first in reference order was chosen")
        elif _CENTRAL.search(body):
            level = "central"
        else:
            level = "unknown"
            builder.note(doc["doc_id"], doc["path"], "unknown_province", "warning",
                         message="no province or central body named: add a 'province' row to metadata.csv")
    meta_province = builder.metadata.get((doc["doc_id"], "", "province"))
    if not heading and meta_province and province is None:
        province, level = resolve_province(meta_province[0]), "provincial"

    date, date_source, date_note = _resolve_date(date_match, doc, province or "", builder)
    if pd.isna(date):
        builder.note(doc["doc_id"], doc["path"], "undated_statement", "warning", span=speech_id, message=date_note)
    speaker_source = "text" if speaker else ""
    if (doc["doc_id"], province or "", "speaker") in builder.metadata:
        value, note = builder.metadata[(doc["doc_id"], province or "", "speaker")]
        if speaker:
            builder.note(doc["doc_id"], doc["path"], "metadata", "warning", span=speech_id,
                         message=f"metadata speaker {value} ignored: the text names {speaker}")
        else:
            speaker, speaker_source = value, "metadata"
    if not speaker:
        builder.note(doc["doc_id"], doc["path"], "no_speaker", "warning", span=speech_id,
                     message="no speaker named in the lead; add a 'speaker' row to metadata.csv if known")
    info = province_info(province) if province else {}
    return dict(speech_id=speech_id, doc_id=doc["doc_id"], level=level, province=province,
                province_code=info.get("iso_code"), region=info.get("region"), date=date,
                date_source=date_source, date_note=date_note, speaker=speaker,
                speaker_role=role.split("、")[0], speaker_source=speaker_source, occasion=occasion,
                occasion_type=classify_occasion(occasion), lead=lead, text=text, n_chars=len(text))


def statements_of(doc: dict[str, Any], builder: Recorder) -> list[dict[str, Any]]:
    intro, entries = _split_entries(doc["text"])
    if not entries:
        return [_speech_row(doc, "1", "", doc["text"], builder, compilation=False)]
    if intro.strip():
        builder.note(doc["doc_id"], doc["path"], "unattributed_text", "info", len(intro.strip()),
                     message="characters before the first numbered entry (the compiler's introduction) "
                             "are not attributed to any speech")
    return [_speech_row(doc, number, heading, body, builder, compilation=True)
            for number, heading, body in entries]


