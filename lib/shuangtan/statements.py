"""Turn one document row (built by :mod:`shuangtan.documents`) into its statements.

:func:`statements_of` splits compilations into their numbered provincial entries (``01.北京市`` +
lead line) and turns every other document, the ordinary one-article news report, into one statement:

- speaker (:mod:`shuangtan.speakers`): the official who speaks or presides at the reported event (a
  speech counts more than presiding; a leader whose earlier speech is relayed or cited is never the
  speaker; at a central body's event its own official comes first, e.g. a visiting national group's
  leader);
- date: :func:`shuangtan.dates.event_date` on the lead sentence (``date_before`` when the text says
  only 日前/近日 or nothing, ``date_end`` for a range);
- province: the speaker's office on that date (``data/officials.csv``), places in the headline and
  lead (provinces, cities and districts from ``data/admin_divisions.csv``), one-character
  abbreviations in context (外电入皖), places in the body; ``admin_level`` says province, city,
  district or central. Furniture (banners, 来源 lines) was removed first and never decides.

Facts a text does not state come from metadata.csv (year, date, province, speaker, speaker_role,
occasion); a metadata ``level`` replaces the admin level the text suggests. Everything doubted, and
every metadata row the text overrules, goes to the :class:`Recorder` as quality rows.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .clean import split_sentences
from .dates import DATELINE, EVENT_DATE, RELATIVE, VAGUE, EventDate, event_date, parse_date_text
from .documents import Recorder
from .furniture import is_body_line
from .occasions import classify_occasion
from .places import (Place, abbreviation_provinces, find_district_stems, find_places, named_officials, offices_of,
                     province_info, resolve_province)
from .speakers import (CANDIDATE, LECTURER, NATIONAL_ROLE, NOT_NAMES, choose_speaker, parse_occasion, parse_speaker,
                       relayed)


SPEECH_COLUMNS = ["speech_id", "doc_id", "level", "admin_level", "province", "province_code", "region", "date",
                  "date_source", "date_note", "date_before", "date_end", "speaker", "speaker_role",
                  "speaker_source", "occasion", "occasion_type", "lead", "text", "n_chars"]


_CENTRAL_ACTOR = re.compile(r"中共中央|党中央|国务院|中央政治局|中央财经|全国人大|全国政协|国家发展改革委|国家发改委|"
                            r"国新办|国家[\u4e00-\u9fff]{1,8}(?:局|部|委|署|办)|生态环境部|工业和信息化部|中央[\u4e00-\u9fff]{0,6}(?:组|委|部)")
# "5月19日，2025（第三届）两岸碳中和大会在福州举行", "7月10日，2023年广西节能宣传周…启动", "8月29日上午，2023绿色
#低碳高质量发展大会在烟台开幕", "5月13日，我市举办“2024年全国节能宣传周”": the event named right after its month and
# day carries its year (a target year such as 2030年前 or 2030年碳达峰 never names an event).
_EVENT_YEAR = re.compile(
    r"(?:^|[，,])[^，。]{0,6}?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|晚间|晚)?[，,]\s*[^，。\d]{0,8}?[“「《]?((?:19|20)\d{2})"
    r"(?:年(?![前底末初以起内]|\d|碳|实现|达峰)|\s*[（(]第|(?=[\u4e00-\u9fff]))"
    r"(?=[^，。]{0,30}?(?:大会|论坛|峰会|博览会|交易会|宣传周|活动|年会|展览会|交流会|研讨会|座谈会|推进会|启动仪式|开幕))")
# A clause that says why or on whose instructions (为…, 全面落实党中央、国务院…), not who acts.
_WHY_CLAUSE = re.compile(r"^(?:为了|为|根据|按照|围绕|对照|结合|在[^，]{0,20}(?:下|中)"
                         r"|(?:全面|深入|认真|坚决|切实)?(?:学习贯彻|贯彻落实|贯彻|落实))")
_MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})
_AUTONOMOUS = frozenset({"内蒙古", "广西", "西藏", "宁夏", "新疆"})
_TIER_IN_ROLE = (("district", re.compile(r"(?<!自治)(?<!地)区(?!域)|县|旗(?!帜)")),
                 ("city", re.compile(r"市(?!场)|州|盟")),
                 ("province", re.compile(r"省|自治区")))
_TIER_IN_LEAD = (("district", re.compile(r"(?<!自治)(?:我区|全区|区委|区(?:人民)?政府|区长)|我县|全县|县委|县(?:人民)?政府|县长"
                                          r"|(?:经开区|经济开发区|高新区|开发区|新区)管委会")),
                 ("city", re.compile(r"我市|全市|市委|市(?:人民)?政府|市长|全州|州委|州(?:人民)?政府|州人大")),
                 ("province", re.compile(r"我省|全省|省委|省政府|省长|自治区")))
_OFFICE_TITLES = {
    "secretary": lambda p: f"{p}{'市委' if p in _MUNICIPALITIES else '自治区党委' if p in _AUTONOMOUS else '省委'}书记",
    "governor": lambda p: f"{p}{'市长' if p in _MUNICIPALITIES else '自治区主席' if p in _AUTONOMOUS else '省长'}",
}

_HEADING = re.compile(r"^(\d{1,2})[.．、]\s*(\S{2,12})$", re.M)


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
    speaker, role, name_end = parse_speaker(after_date)
    occasion = parse_occasion(after_date, name_end, speaker) if lead else ""
    province = resolve_province(heading)
    if province is None:
        builder.note(doc["doc_id"], doc["path"], "unknown_province", "warning", span=heading,
                     message=f"entry {number} is headed '{heading}', which is not one of the 31 provincial units: "
                             "fix the heading or the name; the entry is kept with no province")
    found = _date_of(lead, doc, province, builder)
    return _finish_row(doc, builder, speech_id, "province", province, found, speaker, role, occasion, lead, text)


def _finish_row(doc: dict[str, Any], builder: Recorder, speech_id: str, admin_level: str,
                province: str | None, found: EventDate, speaker: str, role: str, occasion: str, lead: str,
                text: str, whole_role: bool = False) -> dict[str, Any]:
    """Return the statement row: metadata fills a missing speaker, office or occasion and sets the admin level,
    from which the level (central, provincial, unknown) follows; doubts go to the quality report.

    ``whole_role`` keeps every office the text gives (``省委副书记、省长``); compilation entries keep
    the first one only.
    """
    if pd.isna(found.date):
        builder.note(doc["doc_id"], doc["path"], "undated_statement", "warning", span=speech_id,
                     message=found.date_note.lstrip("; "))
    speaker_source = "text" if speaker else ""
    speaker = _fill_from_metadata(doc, builder, speech_id, province, "speaker", speaker)
    speaker_source = speaker_source or ("metadata" if speaker else "")
    if not speaker:
        builder.note(doc["doc_id"], doc["path"], "no_speaker", "warning", span=speech_id,
                     message="no speaker named in the lead; add a 'speaker' row to metadata.csv if known")
    role = role if whole_role else role.split("、")[0]
    role = _fill_from_metadata(doc, builder, speech_id, province, "speaker_role", role)
    occasion = _fill_from_metadata(doc, builder, speech_id, province, "occasion", occasion)
    meta = _metadata(builder, doc["doc_id"], province, "level")
    if meta and meta[0] != admin_level:
        builder.note(doc["doc_id"], doc["path"], "metadata", "info", span=speech_id,
                     message=f"admin level {meta[0]} from metadata.csv replaces {admin_level}, what the text suggested")
        admin_level = meta[0]
    level = "central" if admin_level == "central" else ("provincial" if province else "unknown")
    info = province_info(province) if province else {}
    return dict(speech_id=speech_id, doc_id=doc["doc_id"], level=level, admin_level=admin_level,
                province=province, province_code=info.get("iso_code"), region=info.get("region"),
                date=found.date, date_source=found.date_source, date_note=found.date_note.lstrip("; "),
                date_before=_stamp(found.date_before), date_end=_stamp(found.date_end), speaker=speaker,
                speaker_role=role, speaker_source=speaker_source, occasion=occasion, occasion_type=classify_occasion(occasion),
                lead=lead, text=text, n_chars=len(text))


def _fill_from_metadata(doc: dict[str, Any], builder: Recorder, speech_id: str, province: str | None, fact: str,
                        found: str) -> str:
    """Return what the text found for `fact`, else the metadata.csv value (a row the text overrules is reported)."""
    meta = _metadata(builder, doc["doc_id"], province, fact)
    if not meta:
        return found
    if found:
        builder.note(doc["doc_id"], doc["path"], "metadata", "warning", span=speech_id,
                     message=f"metadata {fact} {meta[0]} ignored: the text gives {found}")
        return found
    return meta[0]


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


def _article_row(doc: dict[str, Any], builder: Recorder) -> dict[str, Any]:
    """Return the one statement of an ordinary news report (one article per page)."""
    text, title = doc["text"], doc["title"]
    body = text[len(title) + 1:] if title and text.startswith(title + "\n") else text
    lead = _find_lead(body)
    rest = body.replace(lead, "", 1).strip() if lead else body
    speech_id = f"{doc['doc_id']}-01"
    speaker, role = choose_speaker(lead, body, national=bool(_CENTRAL_ACTOR.search(_first_clause(lead, ""))))
    if not speaker:  # a lecture or report by someone the text names without an office
        match = LECTURER.search(body[:700])
        name = (match.group("name") or match.group("name2")) if match else ""
        if name and name not in NOT_NAMES and not re.search(r"[们会议家者]$|^(?:专家|大家|会议|与会)", name):
            speaker = name
    if not speaker:
        named = [name for name in named_officials(lead) if not relayed(lead, lead.find(name), lead.find(name) + len(name))]
        if named:
            speaker = named[0]
    head = f"{title}\n{lead}"
    year_hint = None
    hint = re.search(r"((?:19|20)\d{2})年度", head) or _EVENT_YEAR.search(DATELINE.sub("", lead))
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
    plain_lead = DATELINE.sub("", lead)
    date_match = EVENT_DATE.search(plain_lead) or RELATIVE.search(plain_lead) or VAGUE.search(plain_lead)
    after_date = plain_lead[date_match.end():] if date_match else plain_lead
    name_end = after_date.find(speaker) + len(speaker) if speaker and speaker in after_date else -1
    occasion = parse_occasion(after_date, name_end, speaker) if lead else ""
    return _finish_row(doc, builder, speech_id, admin_level, province, found, speaker, role, occasion,
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
    if speaker and not NATIONAL_ROLE.search(role):
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
        for match in CANDIDATE.finditer(masked):  # person names (王宏伟) hide district names (宏伟区)
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
    while len(clauses) > 1 and _WHY_CLAUSE.match(clauses[0]):
        clauses = clauses[1:]  # "为确保完成党中央…部署，", "全面落实党中央、国务院…决策部署，" say why, not who
    clause = clauses[0] if clauses else ""
    if role and not NATIONAL_ROLE.search(role):
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
    cities = [p for p in places if p.name.endswith("市") and p.province == province]
    if (level == "city" and cities and all(p.level == "district" for p in cities)
            and not any(p.level == "city" for p in places) and not re.search(r"[州盟]", role or "")):
        level = "district"  # 临夏市's 市委书记, no prefecture named: a county-level city sits at the district tier
    if province in _MUNICIPALITIES and level == "city":
        level = "province"
    if level == "district" and province in _AUTONOMOUS and not any(p.level == "district" for p in places) \
            and re.search(r"我区|全区", lead) and not re.search(r"(?<!自治)区委|区长|区政府", role + lead):
        level = "province"
    return level
