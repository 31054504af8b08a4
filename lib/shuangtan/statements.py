"""Turn one decoded file into its document row and its statements.

:func:`build_document` cleans a :class:`~shuangtan.files.RawDocument`, harvests then removes page
furniture (:mod:`shuangtan.furniture`) and fills the document row (title, source, author, URL and the
publication date, China local time, from front matter or a page header). :func:`statements_of`
splits compilations into their numbered provincial entries (``01.北京市`` + lead line) and turns every
other document, the ordinary one-article news report, into one statement:

- speaker: the official who speaks or presides at the reported event (a speech counts more than
  presiding; a leader whose earlier speech is relayed or cited is never the speaker; at a central
  body's event its own official comes first, e.g. a visiting national group's leader);
- date: :func:`shuangtan.dates.event_date` on the lead sentence (``date_before`` when the text says
  only 日前/近日 or nothing, ``date_end`` for a range);
- province: the speaker's office on that date (``data/officials.csv``), places in the headline and
  lead (provinces, cities and districts from ``data/admin_divisions.csv``), one-character
  abbreviations in context (外电入皖), places in the body; ``admin_level`` says province, city,
  district or central. Furniture (banners, 来源 lines) was removed first and never decides.

Facts a text does not state come from metadata.csv (year, date, province, speaker). Everything
doubted goes to the :class:`Recorder` as quality rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .clean import HAN, clean_document, to_simplified
from .clean import split_sentences
from .dates import DATELINE, EVENT_DATE, RELATIVE, VAGUE, EventDate, event_date, parse_date_text
from .files import RawDocument, split_front_matter
from .furniture import choose_title, harvest_furniture, is_body_line
from .occasions import classify_occasion
from .places import (Place, abbreviation_provinces, find_district_stems, find_places, named_officials, offices_of,
                     province_info, resolve_province)

DOCUMENT_COLUMNS = ["doc_id", "path", "status", "error", "title", "source", "published", "published_source",
                    "author", "url", "script", "encoding", "n_raw_chars", "n_chars", "n_speeches", "sha1", "text"]
SPEECH_COLUMNS = ["speech_id", "doc_id", "level", "admin_level", "province", "province_code", "region", "date",
                  "date_source", "date_note", "date_before", "date_end", "speaker", "speaker_role",
                  "speaker_source", "occasion", "occasion_type", "lead", "text", "n_chars"]
QUALITY_COLUMNS = ["doc_id", "path", "check", "severity", "count", "position", "span", "message"]


_TITLES_WIDE = ("书记|组长|主任|省长|市长|区长|县长|州长|旗长|盟长|主席|司长|部长|总理|厅长|局长|委员长|秘书长|院长|行长"
                "|董事长|专员|巡视员")
_CANDIDATE = re.compile(rf"(?P<role>[^，。：；\n（）()]*?(?:{_TITLES_WIDE}))(?P<name>(?![在主到赴出会召于的和与及等率对作并同])"
                        rf"[{HAN}]{{2,3}}?)(?=在|主持|到|赴|出席|会见|召开|指出|强调|表示|说|讲话|要求|介绍|率|带|参加|一行|作|对|围绕|听取|则|也|还|就|"
                        rf"调研|考察|走访|拜会|看望|：|，|。|、|（|\(|同志)")
_ROLE_PREFIX = re.compile(r"^.*?(?:会议由|由|会上|随后|期间|其中|邀请|特邀|陪同)(?=[^，。]*(?:书记|长|主任|主席))")
_NOT_NAMES = frozenset({"同志", "主持", "出席", "讲话", "一行", "会议", "强调", "指出", "带队", "参加", "副组长", "成员",
                        "召开", "等人", "出席会", "主持会"})
# "讲座中，徐锭明围绕…", "邀请张三作专题辅导报告": a lecturer named without an office.
_LECTURER = re.compile(rf"(?:(?:讲座|报告会|辅导|授课|宣讲)(?:中|上)，(?P<name>[{HAN}]{{2,3}})(?=围绕|结合|从|以|就|对)"
                       rf"|(?:邀请|特邀|请)(?P<name2>[{HAN}]{{2,3}})(?=作|做|进行)[^，。]{{0,20}}(?:讲座|报告|辅导|授课))")
_RELAY = re.compile(r"传达|学习|贯彻|落实|领会|精神")
_SPEAK_VERBS = "强调|指出|表示|要求|主持|出席|致辞|作总结|介绍|说"
# After a speaker's name: words that say the person speaks (counted to find the main speaker).
_SPEAKS = r"(?:同志)?[^。，；\n]{0,30}?(?:讲话|强调|指出|表示|要求|说|致辞|作总结|提出|介绍|谈到|解读|认为)"
_NATIONAL_ROLE = re.compile(r"^(?:全国|国务院|中共中央|中央|国家|民盟中央|生态环境部|工业和信息化部|科技部|财政部)|全国人大|全国政协")
_CENTRAL_ACTOR = re.compile(r"中共中央|党中央|国务院|中央政治局|中央财经|全国人大|全国政协|国家发展改革委|国家发改委|"
                            r"国新办|国家[\u4e00-\u9fff]{1,8}(?:局|部|委|署|办)|生态环境部|工业和信息化部|中央[\u4e00-\u9fff]{0,6}(?:组|委|部)")
_MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})
_AUTONOMOUS = frozenset({"内蒙古", "广西", "西藏", "宁夏", "新疆"})
_TIER_IN_ROLE = (("district", re.compile(r"(?<!自治)(?<!地)区(?!域)|县|旗(?!帜)")),
                 ("city", re.compile(r"市(?!场)|州|盟")),
                 ("province", re.compile(r"省|自治区")))
_TIER_IN_LEAD = (("district", re.compile(r"(?<!自治)(?:我区|全区|区委|区政府|区长)|我县|全县|县委|县政府|县长")),
                 ("city", re.compile(r"我市|全市|市委|市政府|市长|全州|州委|州政府|州人大")),
                 ("province", re.compile(r"我省|全省|省委|省政府|省长|自治区")))
_OFFICE_TITLES = {
    "secretary": lambda p: f"{p}{'市委' if p in _MUNICIPALITIES else '自治区党委' if p in _AUTONOMOUS else '省委'}书记",
    "governor": lambda p: f"{p}{'市长' if p in _MUNICIPALITIES else '自治区主席' if p in _AUTONOMOUS else '省长'}",
}

_HEADING = re.compile(r"^(\d{1,2})[.．、]\s*(\S{2,12})$", re.M)
_TITLES = "书记|组长|主任|省长|市长|主席|司长|部长|总理|厅长|局长"
_VERBS = "在|主持|到|赴|出席|会见|召开|指出|强调|表示|说|讲话|要求|介绍|："
_ROLE_NAME = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?P<name>(?![在主到赴出会召于的和与及等])[{HAN}]{{2,3}}?)(?={_VERBS})")
_ROLE_ONLY = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?=[在主到赴])")
_NAME_TITLE = re.compile(rf"(?P<name>[{HAN}]{{2,3}})(?P<role>总书记)")
_LEADING_VERBS = re.compile(r"^(?:在|到|赴|于|出席|主持召开|主持|召开)+")
_TRAILING_VERBS = re.compile(r"(?:时|上|中|期间)?[，,]?(?:(?:上|时)?(?:强调|指出|说|表示|讲话|要求|讲到|介绍|并讲话|并作总结))*[：:。]?$")
_GENERIC_OCCASION = re.compile(r"^(?:出席)?(?:会议)?(?:并)?(?:讲话|作总结|致辞)?$")



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
    if fields.get("date") not in (None, "") and published_source != "front matter":
        builder.note(raw.doc_id, path, "front_matter", "warning", span=str(fields.get("date"))[:60],
                     message="front-matter date not understood: write it as 2022-02-22 or 2022-02-22 10:35")
    title = given_title or to_simplified(facts.get("title", ""))[0] or choose_title(furniture.text)
    source = str(fields.get("author") or "") or result.captured.get("source", "") or facts.get("source", "")
    author = facts.get("author", "")
    url = next((str(fields[key]) for key in _URL_FIELDS if fields.get(key)), "") or facts.get("url", "")
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


def _metadata(builder: Recorder, doc_id: str, province: str | None, fact: str) -> tuple[str, str] | None:
    """Return (value, source note) of a metadata.csv fact for this statement (its province, then the document)."""
    for key in ((doc_id, province or "", fact), (doc_id, "", fact)):
        if key in builder.metadata:
            return builder.metadata[key]
    return None


def _date_of(lead: str, doc: dict[str, Any], province: str | None, builder: Recorder,
             year_hint: tuple[str, str] | None = None) -> EventDate:
    """Return the statement's EventDate: the text first, then metadata.csv (year or date), then inference."""
    published_from = {"front matter": "publication date (front matter)",
                      "page header": "publication date (page header)"}.get(doc.get("published_source", ""),
                                                                         "publication date")
    found = event_date(lead, doc.get("published"), published_from,
                       metadata_year=_metadata(builder, doc["doc_id"], province, "year"), year_hint=year_hint)
    meta_year = _metadata(builder, doc["doc_id"], province, "year")
    if meta_year and found.date_source == "text":
        builder.note(doc["doc_id"], doc["path"], "metadata", "warning",
                     message=f"metadata year {meta_year[0]} ignored: the text states {found.span}")
    meta_date = _metadata(builder, doc["doc_id"], province, "date")
    if meta_date:
        value = parse_date_text(meta_date[0])
        if found.date_source == "text":
            builder.note(doc["doc_id"], doc["path"], "metadata", "warning",
                         message=f"metadata date {meta_date[0]} ignored: the text states {found.span}")
        elif value is not None:
            return EventDate(value.normalize(), "metadata", f"date from metadata.csv: {meta_date[1]}",
                             date_end=found.date_end, span=found.span)
    published = doc.get("published")
    if pd.isna(found.date) and pd.isna(found.date_before) and published is not None and not pd.isna(published):
        found.date_before = pd.Timestamp(published).normalize()
        found.date_note += f"; the event is on or before the {published_from} {published:%Y-%m-%d}"
    return found


def _speech_row(doc: dict[str, Any], number: str, heading: str, body: str, builder: Recorder) -> dict[str, Any]:
    """Return the statement of one numbered entry of a compilation (heading = province name)."""
    lines = body.split("\n")
    lead, text = lines[0], "\n".join(lines[1:])
    speech_id = f"{doc['doc_id']}-{int(number):02d}"
    date_match = EVENT_DATE.search(lead)
    after_date = lead[date_match.end():] if date_match else lead
    speaker, role, name_end = _parse_speaker(after_date)
    occasion = _parse_occasion(after_date, name_end, speaker) if lead else ""
    province = resolve_province(heading)
    if province is None:
        builder.note(doc["doc_id"], doc["path"], "unknown_province", "warning", span=heading,
                     message=f"entry {number} is headed '{heading}', which is not one of the 31 provincial units: "
                             "fix the heading or the name; the entry is kept with no province")
    found = _date_of(lead, doc, province, builder)
    return _finish_row(doc, builder, speech_id, "provincial" if province else "unknown", "province", province,
                       found, speaker, role, occasion, lead, text)


def _finish_row(doc: dict[str, Any], builder: Recorder, speech_id: str, level: str, admin_level: str,
                province: str | None, found: EventDate, speaker: str, role: str, occasion: str, lead: str,
                text: str, whole_role: bool = False) -> dict[str, Any]:
    """Return the statement row: metadata fills a missing speaker; doubts go to the quality report.

    ``whole_role`` keeps every office the text gives (``省委副书记、省长``); compilation entries keep
    the first one only.
    """
    if pd.isna(found.date):
        builder.note(doc["doc_id"], doc["path"], "undated_statement", "warning", span=speech_id,
                     message=found.date_note.lstrip("; "))
    speaker_source = "text" if speaker else ""
    meta = _metadata(builder, doc["doc_id"], province, "speaker")
    if meta:
        value, note = meta
        if speaker:
            builder.note(doc["doc_id"], doc["path"], "metadata", "warning", span=speech_id,
                         message=f"metadata speaker {value} ignored: the text names {speaker}")
        else:
            speaker, speaker_source = value, "metadata"
    if not speaker:
        builder.note(doc["doc_id"], doc["path"], "no_speaker", "warning", span=speech_id,
                     message="no speaker named in the lead; add a 'speaker' row to metadata.csv if known")
    info = province_info(province) if province else {}
    return dict(speech_id=speech_id, doc_id=doc["doc_id"], level=level, admin_level=admin_level,
                province=province, province_code=info.get("iso_code"), region=info.get("region"),
                date=found.date, date_source=found.date_source, date_note=found.date_note.lstrip("; "),
                date_before=_stamp(found.date_before), date_end=_stamp(found.date_end), speaker=speaker,
                speaker_role=role if whole_role else role.split("、")[0],
                speaker_source=speaker_source, occasion=occasion, occasion_type=classify_occasion(occasion),
                lead=lead, text=text, n_chars=len(text))


def _stamp(value: Any) -> Any:
    """Return a date as a microsecond Timestamp or a typed NaT (so the column is datetime64[us] even when empty)."""
    if value is None or pd.isna(value):
        return np.datetime64("NaT", "us")
    return pd.Timestamp(value).as_unit("us")


def statements_of(doc: dict[str, Any], builder: Recorder) -> list[dict[str, Any]]:
    """Return the statement rows of one document: one per compilation entry, else one for the article."""
    intro, entries = _split_entries(doc["text"])
    if not entries:
        return [_article_row(doc, builder)]
    if intro.strip():
        builder.note(doc["doc_id"], doc["path"], "unattributed_text", "info", len(intro.strip()),
                     message="characters before the first numbered entry (the compiler's introduction) "
                             "are not attributed to any speech")
    return [_speech_row(doc, number, heading, body, builder) for number, heading, body in entries]


# --------------------------------------------------------------------------- one article per page
def _find_lead(body: str) -> str:
    """Return the lead: the first sentence near the top that carries a date (or a dateline), else the first one."""
    lines = [line for line in body.split("\n") if line.strip()]
    for line in lines[:12]:
        for sentence in split_sentences(line):
            if _has_date(sentence):
                return sentence
    for line in lines:
        if is_body_line(line):
            return split_sentences(line)[0]
    return lines[0] if lines else ""


def _has_date(sentence: str) -> bool:
    return bool(EVENT_DATE.search(sentence) or DATELINE.search(sentence) or RELATIVE.search(sentence)
                or VAGUE.search(sentence))


def _relayed(text: str, start: int, end: int) -> bool:
    """Return True when the person at text[start:end] is quoted from an earlier speech (relayed, cited)."""
    clause_start = max(text.rfind(mark, 0, start) for mark in "，。；\n") + 1
    before = text[clause_start:start]
    clause_after = re.split(r"[，。；\n]", text[end:end + 80], maxsplit=1)[0]
    if _RELAY.search(before + text[start:end]):
        return True
    # "习近平总书记在…时的重要讲话", "…关于碳达峰碳中和的重要论述": a speech cited, not one given here.
    return bool(re.match(rf"^(?:同志)?(?:(?!{_SPEAK_VERBS})[^，。；])*?(?:的(?:重要)?(?:讲话|论述|指示|批示|要求|部署)|重要(?:讲话|论述|指示|批示))",
                         clause_after))


def _candidates(text: str) -> list[tuple[int, str, str]]:
    """Return (position, name, role) of officials named with an office in a text, relayed speakers left out."""
    found = []
    for match in _CANDIDATE.finditer(text):
        name, role = match.group("name"), _ROLE_PREFIX.sub("", match.group("role")).strip("，、 ")
        if name in _NOT_NAMES or re.search(r"[等们和及为是在的]", name):
            continue
        if _relayed(text, match.start("role"), match.end("name")):
            continue
        found.append((match.start("name"), name, role))
    for match in _NAME_TITLE.finditer(text):
        if not _relayed(text, match.start(), match.end()):
            found.append((match.start(), match.group("name"), match.group("role")))
    return sorted(found)


def _choose_speaker(lead: str, body: str, national: bool = False) -> tuple[str, str]:
    """Return (name, role) of the official who speaks at the reported event: the one the text quotes most.

    A speech counts twice, presiding once. When a central body holds the event (``national``), its
    own officials come first: a visiting group's leader, not the local host.
    """
    head = body[:700]
    start = head.find(lead) if lead else -1
    candidates = _candidates(head[start:] + "\n" + head[:start] if start > 0 else head)
    if not candidates:
        return "", ""
    if national and any(_NATIONAL_ROLE.search(role) for _, _, role in candidates):
        candidates = [c for c in candidates if _NATIONAL_ROLE.search(c[2])]
    scores: dict[str, int] = {}
    for position, name, _ in candidates:
        if name not in scores:
            scores[name] = 2 * len(re.findall(re.escape(name) + _SPEAKS, body))
            scores[name] += 1 if re.search(re.escape(name) + r"(?:同志)?主持", body) else 0
    best = max(scores.values())
    for _, name, role in candidates:
        if scores[name] == best:
            return name, role
    return "", ""


def _article_row(doc: dict[str, Any], builder: Recorder) -> dict[str, Any]:
    """Return the one statement of an ordinary news report (one article per page)."""
    text, title = doc["text"], doc["title"]
    body = text[len(title) + 1:] if title and text.startswith(title + "\n") else text
    lead = _find_lead(body)
    rest = body.replace(lead, "", 1).strip() if lead else body
    speech_id = f"{doc['doc_id']}-01"
    speaker, role = _choose_speaker(lead, body, national=bool(_CENTRAL_ACTOR.search(_first_clause(lead, ""))))
    if not speaker:  # a lecture or report by someone the text names without an office
        match = _LECTURER.search(body[:700])
        name = (match.group("name") or match.group("name2")) if match else ""
        if name and name not in _NOT_NAMES and not re.search(r"[们会议家者]$|^(?:专家|大家|会议|与会)", name):
            speaker = name
    if not speaker:
        named = [name for name in named_officials(lead) if not _relayed(lead, lead.find(name), lead.find(name) + len(name))]
        if named:
            speaker = named[0]
    head = f"{title}\n{lead}"
    year_hint = None
    hint = re.search(r"((?:19|20)\d{2})年度", head)
    if hint:
        year_hint = (hint.group(1), f"the year from '{hint.group(0)}' in the text (a {hint.group(0)} event)")
    # A first pass dates the event without a province; the province may need the date (tenure).
    scratch = Recorder(builder.folder, metadata=builder.metadata)  # first pass: its notes are not kept
    found = _date_of(lead, doc, None, scratch, year_hint)
    province, admin_level, how = _locate(title, lead, body, speaker, role, found.date)
    if speaker and not role:
        offices = offices_of(speaker, found.date) or offices_of(speaker)
        if len({(o["province"], o["role"]) for o in offices}) == 1 and offices[0]["province"] == province:
            role = _OFFICE_TITLES[offices[0]["role"]](province)
    meta = _metadata(builder, doc["doc_id"], "", "province")
    if meta and province is None and resolve_province(meta[0]):
        province, how = resolve_province(meta[0]), "metadata"
    elif meta and province is None:
        builder.note(doc["doc_id"], doc["path"], "metadata", "warning",
                     message=f"metadata province '{meta[0]}' is not one of the 31 provincial units: ignored")
    elif meta and resolve_province(meta[0]) != province:
        builder.note(doc["doc_id"], doc["path"], "metadata", "warning",
                     message=f"metadata province {meta[0]} ignored: the text gives {province} ({how})")
    found = _date_of(lead, doc, province, builder, year_hint)
    if province is None and admin_level != "central":
        builder.note(doc["doc_id"], doc["path"], "unknown_province", "warning", span=speech_id,
                     message="no province, city or district named or implied: add a 'province' row to metadata.csv")
    level = "central" if admin_level == "central" else ("provincial" if province else "unknown")
    plain_lead = DATELINE.sub("", lead)
    date_match = EVENT_DATE.search(plain_lead) or RELATIVE.search(plain_lead) or VAGUE.search(plain_lead)
    after_date = plain_lead[date_match.end():] if date_match else plain_lead
    name_end = after_date.find(speaker) + len(speaker) if speaker and speaker in after_date else -1
    occasion = _parse_occasion(after_date, name_end, speaker) if lead else ""
    return _finish_row(doc, builder, speech_id, level, admin_level, province, found, speaker, role, occasion,
                       lead, rest, whole_role=True)


def _locate(title: str, lead: str, body: str, speaker: str, role: str, when: Any) -> tuple[str | None, str, str]:
    """Return (province, admin_level, how found) of an article's statement.

    Evidence, strongest first: the speaker's provincial office on the date (officials.csv), places named in
    the headline and lead, one-character abbreviations in context (外电入皖), places named in the body.
    Furniture (site banners, 来源 lines) was removed before and never decides.
    """
    head = DATELINE.sub("", f"{title}\n{lead}")  # 新华社北京…电 names the agency's desk, not the place
    central = bool(_CENTRAL_ACTOR.search(_first_clause(lead, role))) or (
        not lead and bool(_CENTRAL_ACTOR.search(title)))
    province, how, places = None, "", []
    if speaker and not _NATIONAL_ROLE.search(role):
        offices = {o["province"] for o in offices_of(speaker, when)} if not pd.isna(when) else {
            o["province"] for o in offices_of(speaker)}
        if len(offices) == 1:
            province, how = offices.pop(), "speaker's office"
    places = find_places(head)
    if province is None and places:
        province, how = _most_named(places), "headline and lead"
    if province is None:
        abbreviations = abbreviation_provinces(head) or abbreviation_provinces(body)
        if abbreviations:
            province, how = next(iter(abbreviations)), "abbreviation"
    body_places = find_places(body[:4000]) if province is None and not central else []
    if province is None and body_places:
        province, how = _most_named(body_places), "body"
    level = _admin_level(role, lead, province, places or body_places)
    if level == "district" and province is None and not central:
        masked = body[:4000]
        for match in _CANDIDATE.finditer(masked):  # person names (王宏伟) hide district names (宏伟区)
            masked = masked.replace(match.group("name"), "＿" * len(match.group("name")))
        stems = find_district_stems(masked)
        if stems:
            province, how = _most_named(stems), "district name"
    return province, "central" if central else level, how


def _first_clause(lead: str, role: str) -> str:
    """Return the subject clause of a lead (after its date, past purpose clauses), without the speaker's office."""
    lead = DATELINE.sub("", lead)
    match = EVENT_DATE.search(lead) or RELATIVE.search(lead)
    clause = lead[match.end():] if match else lead
    clauses = [c for c in re.split(r"[，。；,]", clause.lstrip("，,上下午晚间 ")) if c]
    while len(clauses) > 1 and re.match(r"^(?:为了|为|根据|按照|围绕|对照|结合|在[^，]{0,20}(?:下|中))", clauses[0]):
        clauses = clauses[1:]  # "为确保完成党中央…部署，" says why, not who
    clause = clauses[0] if clauses else ""
    if role and not _NATIONAL_ROLE.search(role):
        clause = clause.replace(role, "")
    return clause


def _most_named(places: list[Place]) -> str:
    """Return the province named most often (ties: the first named)."""
    counts: dict[str, int] = {}
    for place in places:
        counts[place.province] = counts.get(place.province, 0) + 1
    best = max(counts.values())
    return next(place.province for place in places if counts[place.province] == best)


def _admin_level(role: str, lead: str, province: str | None, places: list[Place]) -> str:
    """Return province, city or district: the tier of the body that holds the event."""
    level = ""
    for place in find_places(role or ""):
        role = role.replace(place.name, "")
    for tier, pattern in _TIER_IN_ROLE:
        if pattern.search(role or ""):
            level = tier
            break
    if not level:
        hits = [(m.start(), tier) for tier, pattern in _TIER_IN_LEAD for m in [pattern.search(lead)] if m]
        if hits:
            level = min(hits)[1]
    if not level:
        level = places[0].level if places else "province"
    if province in _MUNICIPALITIES and level == "city":
        level = "province"
    if level == "district" and province in _AUTONOMOUS and not any(p.level == "district" for p in places) \
            and re.search(r"我区|全区", lead) and not re.search(r"(?<!自治)区委|区长|区政府", role + lead):
        level = "province"
    return level
