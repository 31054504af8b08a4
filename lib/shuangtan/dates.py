"""Dates of documents and events, as China local dates (nothing is shifted through UTC).

:func:`parse_date_text` reads a publication time written in any common form (``2022-02-22 10:35``,
``2022年2月22日``, ``2022/02/22``, ``2022.02.22``, RFC 2822, ISO 8601). :func:`event_date` finds the
date of the reported event in a statement's lead: a full date, a month and day (the year comes from
the publication date and the event is never after publication), ``昨天/前天/今天`` (against the
publication date), a range (start kept, end in ``date_end``), and ``日前/近日/近期`` (no date, an upper
bound in ``date_before``). A wire dateline (``新华社北京7月27日电``) is the report's date: it dates the
event only when the text gives no date of its own.

Measured against jionlp's ``parse_time`` and dateparser on the real-page fixture (see the final report
of issue 10): jionlp puts a month-day in the base year even after the base (a December event in a
January article lands eleven months in the future) and rejects 日前; dateparser parses none of the
month-day forms. These few regular expressions are right on all the cases and cost microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from .front_matter import published_date

# Written-out numbers (一 … 三十一) for dates like 七月二十二日.
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:\s*(?:星期.|周.))?(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?")
# An event date in running text: optional year, month, day, and an optional range end.
EVENT_DATE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})年)?(?P<month>{_NUM})月(?P<day>{_NUM})日"
    rf"(?:(?:上午|下午|晚上|晚间|晚|早上|中午|凌晨))?"
    rf"(?:\s*(?:至|到|—|－|-|～|~)\s*(?:(?P<end_month>{_NUM})月)?(?P<end_day>{_NUM})日)?")
# A day without a month (``27日上午``) after a wire dateline or in a report of the same month.
_DAY_ONLY = re.compile(r"(?<![月\d年.\-/])(?P<day>\d{1,2})日(?!内|起|前|后|以|至|到|止|电|讯|期|均|[\d])")
_RELATIVE = {"前天": -2, "前日": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0}
RELATIVE = re.compile(r"(?<!当)(?P<word>前天|前日|昨天|昨日|今天|今日)(?:\s*[（(]?(?P<day>\d{1,2})日[)）]?)?"
                      r"(?=上午|下午|晚上|晚间|晚|早上|中午|凌晨|，|,|在|召开|举行|主持|[\u4e00-\u9fff])")
VAGUE = re.compile(r"日前|近日|近期|前不久|不久前|近来|最近|前些天|连日来")
# A wire or newspaper dateline: 新华社北京7月27日电, 中评社北京7月27日电, 本报杭州5月21日讯.
DATELINE = re.compile(
    rf"(?P<agency>[\u4e00-\u9fff]{{1,8}}(?:社|网|台|报|客户端|新闻))[\u4e00-\u9fff]{{0,6}}?"
    rf"(?P<month>{_NUM})月(?P<day>{_NUM})日(?:电|讯)(?:[（(][^）)]{{0,40}}[）)])?")


def _number(text: str | None) -> int | None:
    """Return an Arabic or written-out Chinese number (一 … 三十一) as an int."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1], 0)
    if "十" in text:
        tens, _, units = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS.get(text)


def _timestamp(year: int, month: int | None, day: int | None) -> pd.Timestamp | None:
    """Return a Timestamp, or None when the numbers are not a calendar date."""
    try:
        return pd.Timestamp(year, month, day)
    except (TypeError, ValueError):
        return None


def parse_date_text(value: Any) -> pd.Timestamp | None:
    """Return a publication date-time (naive, China local time) from front matter or a page header.

    Front-matter values go through :func:`shuangtan.front_matter.published_date` (ISO 8601, RFC 2822, a value
    with an offset is converted to UTC+08:00). Header strings that carry more than the date
    (``2021年08月19日 19:15:00``, ``2022.02.22``) are read here. Returns None when nothing parses.
    """
    if value is None or value == "":
        return None
    parsed, _problem = published_date(value)
    if parsed is not None:
        return pd.Timestamp(parsed)
    match = _FULL_DATE.search(str(value))
    if match:
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return pd.Timestamp(datetime(year, month, day, hour, minute, second))
        except ValueError:
            return None
    return None


@dataclass
class EventDate:
    """The date of a reported event and how it was found."""

    date: Any = pd.NaT
    date_source: str = ""  # text, inferred, dateline, metadata or ''
    date_note: str = ""
    date_before: Any = pd.NaT  # upper bound when the text says only 日前/近日
    date_end: Any = pd.NaT  # last day of a range
    span: str = ""  # the words that gave the date


def find_dateline(text: str) -> re.Match[str] | None:
    """Return the wire/newspaper dateline near the start of a text (``新华社北京7月27日电``), else None."""
    match = DATELINE.search(text[:200])
    return match


def _with_year(month: int, day: int, reference: pd.Timestamp) -> pd.Timestamp | None:
    """Return month/day in the year that puts it on or before the reference date (never after)."""
    guess = _timestamp(reference.year, month, day)
    if guess is None:
        return None
    if guess.normalize() > reference.normalize():
        guess = _timestamp(reference.year - 1, month, day)
    return guess


def event_date(lead: str, published: Any = pd.NaT, published_from: str = "publication date",
               metadata_year: tuple[str, str] | None = None, year_hint: tuple[str, str] | None = None) -> EventDate:
    """Return the event date stated in a lead sentence, resolved against the publication date.

    ``metadata_year`` is (year, source note) from metadata.csv: it gives the year of a month-day
    before the publication date does. ``year_hint`` is (year, note) from elsewhere in the text (a
    ``2021年度`` meeting), used only when there is neither. A year the text states is never replaced.
    """
    published = pd.Timestamp(published) if published is not None and not pd.isna(published) else None
    reference = published
    text = lead
    dateline = find_dateline(lead)
    report: pd.Timestamp | None = None
    if dateline:
        month, day = _number(dateline.group("month")), _number(dateline.group("day"))
        if published is not None:
            report = _with_year(month, day, published)
        text = lead[:dateline.start()] + " " * len(dateline.group(0)) + lead[dateline.end():]
        if report is not None:
            reference = report
    found = _first_date(text)
    if found is None:
        if dateline:
            if report is not None:
                return EventDate(report, "dateline", f"no date of the event in the text; the report's dateline "
                                 f"'{dateline.group(0)}' (year from the {published_from} {published:%Y-%m-%d})",
                                 span=dateline.group(0))
            return EventDate(date_note=f"the dateline '{dateline.group(0)}' gives no year: add a 'year' row to metadata.csv",
                             span=dateline.group(0))
        return EventDate(date_note="no date in the text")
    kind, match = found
    if kind == "vague":
        bound = reference
        note = f"the text says only '{match.group(0)}' (not a date)"
        if bound is not None:
            note += f"; the event is on or before the {'dateline' if report is not None else published_from} {bound:%Y-%m-%d}"
        return EventDate(pd.NaT, "", note, date_before=bound.normalize() if bound is not None else pd.NaT,
                         span=match.group(0))
    if kind == "relative":
        word, offset = match.group("word"), _RELATIVE[match.group("word")]
        if reference is None:
            return EventDate(date_note=f"'{match.group(0)}' needs a publication date: add a 'date' row to metadata.csv",
                             span=match.group(0))
        date = reference.normalize() + pd.Timedelta(days=offset)
        origin = f"{'dateline' if report is not None else published_from} {reference:%Y-%m-%d}"
        if match.group("day") and int(match.group("day")) != date.day:
            return EventDate(date_note=f"'{match.group(0)}' does not agree with the {origin} (not a date the page "
                             "establishes)", date_before=reference.normalize(), span=match.group(0))
        return EventDate(date, "inferred", f"'{word}' counted from the {origin}", span=match.group(0))
    if kind == "day":
        day = int(match.group("day"))
        if reference is None:
            return EventDate(date_note=f"'{match.group(0)}' gives only a day", span=match.group(0))
        date = _timestamp(reference.year, reference.month, day)
        if date is not None and date > reference.normalize():
            previous = reference.normalize() - pd.offsets.MonthBegin(1)
            date = _timestamp(previous.year, previous.month, day)
        if date is None:
            return EventDate(date_note=f"'{match.group(0)}' is not a calendar day", span=match.group(0))
        return EventDate(date, "inferred", f"day '{match.group(0)}' in the month of the "
                         f"{'dateline' if report is not None else published_from} {reference:%Y-%m-%d}", span=match.group(0))
    return _month_day(match, reference, published_from if report is None else "dateline", metadata_year, year_hint)


def _first_date(text: str) -> tuple[str, re.Match[str]] | None:
    """Return the first date expression of a text: ('date'|'relative'|'vague'|'day', match)."""
    candidates = []
    for kind, pattern in (("date", EVENT_DATE), ("relative", RELATIVE), ("vague", VAGUE), ("day", _DAY_ONLY)):
        match = pattern.search(text)
        if match:
            candidates.append((match.start(), kind, match))
    if not candidates:
        return None
    _, kind, match = min(candidates, key=lambda item: item[0])
    return kind, match


def _month_day(match: re.Match[str], reference: pd.Timestamp | None, reference_name: str,
               metadata_year: tuple[str, str] | None, year_hint: tuple[str, str] | None = None) -> EventDate:
    """Return the EventDate of a (year-)month-day match, with its range end."""
    month, day = _number(match.group("month")), _number(match.group("day"))
    end_month, end_day = _number(match.group("end_month")) or month, _number(match.group("end_day"))
    span = match.group(0)
    if match.group("year"):
        year = int(match.group("year"))
        date = _timestamp(year, month, day)
        if date is None:
            return EventDate(date_note=f"'{span}' is not a calendar date", span=span)
        return EventDate(date, "text", "", date_end=_range_end(date, end_month, end_day), span=span)
    if metadata_year:
        date = _timestamp(int(metadata_year[0]), month, day)
        if date is not None:
            return EventDate(date, "metadata", f"year from metadata.csv: {metadata_year[1]}",
                             date_end=_range_end(date, end_month, end_day), span=span)
    if reference is None and year_hint:
        date = _timestamp(int(year_hint[0]), month, day)
        if date is not None:
            return EventDate(date, "inferred", f"month and day from the text; {year_hint[1]}",
                             date_end=_range_end(date, end_month, end_day), span=span)
    if reference is None:
        return EventDate(date_note=f"the text gives {month}月{day}日 without a year: add a 'year' row to metadata.csv",
                         span=span)
    date = _with_year(month, day, reference)
    if date is None:
        return EventDate(date_note=f"'{span}' is not a calendar date", span=span)
    return EventDate(date, "inferred", f"month and day from the text; year from the {reference_name} "
                     f"{reference:%Y-%m-%d} (an event is not after its report)",
                     date_end=_range_end(date, end_month, end_day), span=span)


def _range_end(start: pd.Timestamp, end_month: int | None, end_day: int | None) -> Any:
    """Return the end of a date range in the start's year (or the next one), else NaT."""
    if not end_day:
        return pd.NaT
    end = _timestamp(start.year, end_month, end_day)
    if end is not None and end < start:
        end = _timestamp(start.year + 1, end_month, end_day)
    return end if end is not None else pd.NaT
