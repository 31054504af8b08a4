"""Front matter: the YAML header between '---' lines at the top of a corpus file, and its dates.

:func:`split_front_matter` parses the header safely (size and nesting limits, no YAML aliases, dates
kept as text) and says why (part of) a header was ignored. :func:`published_date` reads a
front-matter date.

Dates in front matter are China-local calendar dates: a value with a UTC offset is converted to
UTC+08:00 and the offset then dropped (``2022-01-01 07:00 +08:00`` stays 2022-01-01;
``Tue, 25 Jan 2022 17:07:55 GMT`` becomes 2022-01-26 01:07:55). Nothing is stored in UTC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import yaml

from .safe_yaml import NoAliasLoader

# Largest front matter (between the '---' lines) parsed as YAML; a longer header is reported, not parsed.
MAX_FRONT_MATTER_CHARS = 64 * 1024
# China's civil time: every date is stored as a China-local calendar date/time (no tzinfo).
CHINA_TZ = timezone(timedelta(hours=8))


_FRONT_MATTER_OPEN = re.compile(r"\A[ \t\n]*---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"\n---[ \t]*(?:\n|\Z)")
# Deepest run of opening brackets parsed (deeper headers are refused before YAML recurses into them).
_MAX_FLOW_DEPTH = 50
_DEEP_NESTING = re.compile(r"(?:(?:[\[{]|-\s)\s*){%d}" % (_MAX_FLOW_DEPTH + 1))
# Front-matter keys whose value must be one line of text (or a date): lists and mappings are refused.
TEXT_KEYS = ("title", "author", "source", "date", "published", "url", "speaker", "province", "occasion")


def has_front_matter(text: str) -> bool:
    """Return True when the text opens with a '---' line (a front-matter header, well formed or not)."""
    return bool(_FRONT_MATTER_OPEN.match(text))


class _FrontMatterLoader(NoAliasLoader):
    """SafeLoader that refuses aliases (no expansion, so no alias bomb) and keeps dates as text."""

    alias_problem = "YAML aliases (*name) are not allowed in front matter"


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, date))


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str]:
    """Return (front-matter fields, body, problem) where problem is '' or why (part of) the header was ignored.

    The header is at most MAX_FRONT_MATTER_CHARS long, parsed with a safe loader that refuses YAML
    aliases and keeps dates as text (see :func:`published_date`). Keys in TEXT_KEYS whose value is a
    list or mapping are dropped with a problem, never turned into text.
    """
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return {}, text, ""
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end() - 1, opening.end() + MAX_FRONT_MATTER_CHARS + 8)
    if not closing:
        if _FRONT_MATTER_CLOSE.search(text, opening.end() - 1):
            header_end = _FRONT_MATTER_CLOSE.search(text, opening.end() - 1)
            return {}, text[header_end.end():], (f"front matter is longer than {MAX_FRONT_MATTER_CHARS // 1024} KB: it "
                                                 "was not read (title and date left empty); shorten the header")
        return {}, text, ("front matter opened with '---' but never closed: add a closing '---' line; "
                          "the whole file was read as text")
    header, body = text[opening.end():closing.start()], text[closing.end():]
    if _DEEP_NESTING.search(header):
        return {}, body, (f"front matter nests lists or mappings more than {_MAX_FLOW_DEPTH} levels deep: it was not "
                          "read (title and date left empty); fix the lines between the '---' markers")
    try:
        fields = yaml.load(header, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or ""
        detail = f": {reason}" if "alias" in reason else ""
        return {}, body, (f"front matter is not valid YAML{where}{detail}: fix the lines between the '---' markers; "
                          "title and date were left empty")
    except (ValueError, TypeError, RecursionError, OverflowError) as exc:
        return {}, body, (f"front matter could not be read ({type(exc).__name__}): fix the lines between the '---' "
                          "markers; title and date were left empty")
    if fields is None:
        return {}, body, ""
    if not isinstance(fields, dict):
        return {}, body, "front matter is not a list of 'key: value' lines: title and date were left empty"
    problems = []
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if not isinstance(key, str):
            problems.append("a front-matter key is not text: that line was ignored")
            continue
        if key.lower() in TEXT_KEYS and not _is_scalar(value):
            problems.append(f"front-matter '{key}' is a {type(value).__name__}, not one value: it was ignored; "
                            f"write it as one line '{key}: …'")
            continue
        clean[key] = value
    return clean, body, "; ".join(problems)



_YMD = re.compile(r"(?P<y>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]?"
                  r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))")
_DMY = re.compile(r"(?P<d>\d{1,2})([/.])(?P<m>\d{1,2})\2(?P<y>\d{4})")
_TIME = re.compile(r"(?:[T\s]|日|号)*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2})(?:\.\d+)?)?"
                   r"\s*秒?\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?")


def _aware_to_china(moment: datetime) -> datetime:
    """Return a datetime as China-local wall time without tzinfo (aware values converted to UTC+8 first)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TZ).replace(tzinfo=None)
    return moment


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _build(text: str, year: str, month: str, day: str, rest: str) -> tuple[datetime | None, str]:
    """Return the datetime of matched parts (with an optional time) or (None, the reason it is invalid)."""
    hour = minute = second = 0
    zone = None
    rest = rest.strip()
    if rest:
        clock = _TIME.fullmatch(rest)
        if not clock:
            return None, f"'{text}' has a date followed by '{rest}', which is not a time: write it as 2021-09-14 or 2021-09-14 10:35"
        hour, minute, second = int(clock["H"]), int(clock["M"]), int(clock["S"] or 0)
        zone = _offset(clock["tz"])
    try:
        moment = datetime(int(year), int(month), int(day), hour, minute, second, tzinfo=zone)
    except ValueError as exc:
        return None, f"'{text}' is not a valid date/time ({exc}): fix it, e.g. 2021-09-14 or 2021-09-14 10:35"
    if not 1900 <= moment.year <= 2100:
        return None, f"'{text}' has the year {moment.year}, outside 1900–2100: fix the date"
    return _aware_to_china(moment), ""


def published_date(value: Any) -> tuple[datetime | None, str]:
    """Return (China-local datetime without tzinfo or None, problem '' or why the value is not a date).

    Accepted: datetime/date objects, ISO 8601 with or without time and offset, RFC 2822
    (``Tue, 25 Jan 2022 17:07:55 GMT``), ``2021年9月14日``, ``2021/09/14``, ``2021.09.14`` and
    ``14/09/2021`` (day first; an order that could be either is refused). Values with an offset are
    converted to UTC+08:00, then the offset is dropped: never stored in UTC. Never raises.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, datetime):
        return _aware_to_china(value), ""
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"the date is a {type(value).__name__}, not one date: write it as one line like 2021-09-14"
    text = str(value).strip()
    if len(text) > 100:
        return None, "the date is longer than 100 characters: write it as one date like 2021-09-14"
    if re.fullmatch(r"\d{8}", text):
        return _build(text, text[:4], text[4:6], text[6:], "")
    match = _YMD.match(text)
    if match:
        month, day = match["m1"] or match["m2"], match["d1"] or match["d2"]
        return _build(text, match["y"], month, day, text[match.end():])
    match = _DMY.match(text)
    if match:
        first, second = int(match["d"]), int(match["m"])
        if first <= 12 and second <= 12 and first != second:
            return None, (f"'{text}' could be day/month or month/day: write it as year-month-day, "
                          f"e.g. {match['y']}-{second:02d}-{first:02d}")
        return _build(text, match["y"], match["m"], match["d"], text[match.end():])
    try:
        return _aware_to_china(parsedate_to_datetime(text)), ""
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    return None, (f"'{text}' is not a date this library reads: write it as 2021-09-14, 2021年9月14日 or "
                  "2021-09-14 10:35")


def parse_published(value: Any) -> datetime | None:
    """Return a front-matter date as a China-local datetime without tzinfo, else None (see published_date)."""
    return published_date(value)[0]
