"""Who speaks and on what occasion: the official a report quotes, found in its lead and body.

:func:`choose_speaker` picks the official who speaks or presides at the reported event of a
one-article page (a speech counts more than presiding; a leader whose earlier speech is relayed or
cited, :func:`relayed`, is never the speaker; at a central body's event its own official comes
first). :func:`parse_speaker` and :func:`parse_occasion` read the lead of a statement.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .han import HAN

_TITLES_WIDE = ("书记|组长|主任|省长|市长|区长|县长|州长|旗长|盟长|主席|司长|部长|总理|厅长|局长|委员长|秘书长|院长|行长"
                "|董事长|专员|巡视员|发言人")
CANDIDATE = re.compile(rf"(?P<role>[^，。：；\n（）()]*?(?:{_TITLES_WIDE}))(?P<name>(?![在主到赴出会召的和与及等率对作并同])"
                        rf"[{HAN}]{{2,3}}?)(?=在|主持|到|赴|出席|会见|召开|指出|强调|表示|说|讲话|要求|介绍|率|带|参加|一行|作|对|围绕|听取|则|也|还|就|近日|日前|"
                        rf"调研|考察|走访|拜会|看望|：|，|。|、|（|\(|同志)")
_ROLE_PREFIX = re.compile(r"^.*?(?:会议由|由|会上|随后|期间|其中|邀请|特邀|陪同)(?=[^，。]*(?:书记|长|主任|主席))")
NOT_NAMES = frozenset({"同志", "主持", "出席", "讲话", "一行", "会议", "强调", "指出", "带队", "参加", "副组长", "成员",
                        "召开", "等人", "出席会", "主持会", "重要", "重大", "亲自", "关于"})  # 总书记重要讲话: no name
# 于 is a surname (于建华) and a preposition: "省长于近日主持" names no 于近日.
_NOT_SURNAME_YU = re.compile(r"于(?:近日|日前|今日|昨日|今天|昨天|当天|当日|本月|上午|下午|晚间|近期|今年|去年|年初|月初)")
# "讲座中，徐锭明围绕…", "邀请张三作专题辅导报告": a lecturer named without an office.
LECTURER = re.compile(rf"(?:(?:讲座|报告会|辅导|授课|宣讲)(?:中|上)，(?P<name>[{HAN}]{{2,3}})(?=围绕|结合|从|以|就|对)"
                       rf"|(?:邀请|特邀|请)(?P<name2>[{HAN}]{{2,3}})(?=作|做|进行)[^，。]{{0,20}}(?:讲座|报告|辅导|授课))")
_RELAY = re.compile(r"传达|学习|贯彻|落实|领会|精神")
_SPEAK_VERBS = "强调|指出|表示|要求|主持|出席|致辞|作总结|介绍|说"
# After a speaker's name: words that say the person speaks (counted to find the main speaker).
_SPEAKS = r"(?:同志)?[^。，；\n]{0,30}?(?:讲话|强调|指出|表示|要求|说|致辞|作总结|提出|介绍|谈到|解读|认为)"
# What follows a leader's name when his speech is only cited (习近平总书记…的重要讲话), not given here.
_CITED_SPEECH = re.compile(rf"^(?:同志)?(?:(?!{_SPEAK_VERBS})[^，。；])*?(?:的(?:重要)?(?:讲话|论述|指示|批示|要求|部署)"
                           r"|重要(?:讲话|论述|指示|批示))")


@lru_cache(maxsize=4096)
def _name_patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the compiled patterns of a name speaking and of a name presiding (compiled once per name)."""
    return re.compile(re.escape(name) + _SPEAKS), re.compile(re.escape(name) + r"(?:同志)?主持")
NATIONAL_ROLE = re.compile(r"^(?:全国|国务院|中共中央|中央|国家|民盟中央|生态环境部|工业和信息化部|科技部|财政部)|全国人大|全国政协")
_TITLES = "书记|组长|主任|省长|市长|主席|司长|部长|总理|厅长|局长"
_VERBS = "在|主持|到|赴|出席|会见|召开|指出|强调|表示|说|讲话|要求|介绍|："
_ROLE_NAME = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?P<name>(?![在主到赴出会召于的和与及等])[{HAN}]{{2,3}}?)(?={_VERBS})")
_ROLE_ONLY = re.compile(rf"(?P<role>[^，。：\n]*?(?:{_TITLES}))(?=[在主到赴])")
_NAME_TITLE = re.compile(rf"(?P<name>[{HAN}]{{2,3}})(?P<role>总书记)")
# "，丁飞副市长在…召开", "。王宁省长主持": a name before its office, at the start of a clause.
_NAME_BEFORE_OFFICE = re.compile(rf"(?:(?<=^)|(?<=[，。；、\n午]))(?P<name>[{HAN}]{{2,3}}?)"
                                 r"(?P<role>(?:常务)?副?(?:省长|市长|区长|县长|州长|主席|厅长|局长))"
                                 r"(?=在|主持|召开|出席|强调|指出|表示|带队|率|调研|一行)")
_LEADING_VERBS = re.compile(r"^(?:在|到|赴|于|出席|主持召开|主持|召开)+")
_TRAILING_VERBS = re.compile(r"(?:时|上|中|期间)?[，,]?(?:(?:上|时)?(?:强调|指出|说|表示|讲话|要求|讲到|介绍|并讲话|并作总结))*[：:。]?$")
_GENERIC_OCCASION = re.compile(r"^(?:出席|召开)?(?:会议)?(?:并)?(?:讲话|作总结|致辞)?$")
# "带领/率领…调研组": a delegation's leader; the occasion is in the next clause (赴…调研).
_LEADS_GROUP = re.compile(r"^(?:带领|率领|率)\S*(?:组|团|队)$")
# A clause that only says what about (围绕…, 根据…) or only that someone spoke: no occasion named.
_EVENT_WORD = r"会|调研|考察|检查|督导|座谈|讲座|论坛|学习|活动|仪式|发布|启动|走访|视察|会见|培训|签约|开幕"
_TOPIC_ONLY = re.compile(rf"^(?:(?:围绕|根据|按照|结合|就|对|为)(?:(?!{_EVENT_WORD}).)*$|(?:强调|指出|表示|要求|说|认为)\S*$"
                         r"|(?:召开|出席|主持)$)")


def parse_speaker(lead: str) -> tuple[str, str, int]:
    """Return (speaker name, role, end position of the name in the lead) or empty values."""
    matches = [m for m in (_ROLE_NAME.search(lead), _NAME_TITLE.search(lead)) if m]
    if matches:
        match = min(matches, key=lambda m: m.start())
        return match.group("name"), match.group("role"), match.end()
    match = _ROLE_ONLY.search(lead)
    if match:
        return "", match.group("role"), match.end()
    return "", "", -1


def parse_occasion(lead: str, speaker_end: int, speaker: str) -> str:
    """Return the occasion: the clause of the lead after the speaker, or the clause after the date ('' when neither names one).

    Only the first clause counts (what follows a comma is what was said or decided there); a
    delegation's "led by" clause (带领…调研组，赴…) gives way to the clause that follows it; a clause
    that is only a topic (围绕…, 根据…) or only a speech verb (强调) is no occasion.
    """
    after = lead[speaker_end:] if speaker_end >= 0 else ""
    occasion = _event_clause(after)
    occasion = "" if _TOPIC_ONLY.match(occasion) else occasion
    if not occasion or _GENERIC_OCCASION.match(occasion) or speaker_end < 0:
        first_clause = re.split(r"[，。]", lead.lstrip("，,下午上晚"), maxsplit=1)[0]
        if first_clause and (not speaker or speaker not in first_clause):
            occasion = _TRAILING_VERBS.sub("", re.sub(r"在\S{2,6}召开$", "", first_clause))
    return "" if _TOPIC_ONLY.match(occasion) else occasion


def _event_clause(text: str) -> str:
    """Return the first clause of `text` naming where something happened, without leading and trailing verbs."""
    clauses = [c.strip() for c in re.split(r"[，,；;。]", text.lstrip("，, ")) if c.strip()]
    if len(clauses) > 1 and _LEADS_GROUP.match(clauses[0]):
        clauses = clauses[1:]
    return _TRAILING_VERBS.sub("", _LEADING_VERBS.sub("", clauses[0])).strip() if clauses else ""


def relayed(text: str, start: int, end: int) -> bool:
    """Return True when the person at text[start:end] is quoted from an earlier speech (relayed, cited)."""
    clause_start = max(text.rfind(mark, 0, start) for mark in "，。；\n") + 1
    before = text[clause_start:start]
    clause_after = re.split(r"[，。；\n]", text[end:end + 80], maxsplit=1)[0]
    if _RELAY.search(before + text[start:end]):
        return True
    # "习近平总书记在…时的重要讲话", "…关于碳达峰碳中和的重要论述": a speech cited, not one given here.
    return bool(_CITED_SPEECH.match(clause_after))


def _could_be_name(name: str) -> bool:
    """Return False for words a name pattern catches that are no person's name (会议, 重要, 于近日, 会议由 …)."""
    return name not in NOT_NAMES and not re.search(r"[等们和及为是在的由]", name) and not _NOT_SURNAME_YU.match(name)


def _candidates(text: str) -> list[tuple[int, str, str]]:
    """Return (position, name, role) of officials named with an office in a text, relayed speakers left out."""
    found = []
    for match in CANDIDATE.finditer(text):
        name, role = match.group("name"), _ROLE_PREFIX.sub("", match.group("role")).strip("，、 “”\"‘’「」『』")
        if not _could_be_name(name):
            continue
        if relayed(text, match.start("role"), match.end("name")):
            continue
        found.append((match.start("name"), name, role))
    for match in _NAME_TITLE.finditer(text):
        if not relayed(text, match.start(), match.end()):
            found.append((match.start(), match.group("name"), match.group("role")))
    for match in _NAME_BEFORE_OFFICE.finditer(text):
        if _could_be_name(match.group("name")):
            found.append((match.start(), match.group("name"), match.group("role")))
    return sorted(found)


def choose_speaker(lead: str, body: str, national: bool = False) -> tuple[str, str]:
    """Return (name, role) of the official who speaks at the reported event: the one the text quotes most.

    A speech counts twice, presiding once. When a central body holds the event (``national``), its
    own officials come first: a visiting group's leader, not the local host. At any other event the
    general secretary (习近平总书记) is the speaker only when the lead names him (not relayed); further
    down he is quoted.
    """
    head = body[:700]
    start = head.find(lead) if lead else -1
    candidates = _candidates(head[start:] + "\n" + head[:start] if start > 0 else head)
    if not candidates:
        return "", ""
    if national and any(NATIONAL_ROLE.search(role) for _, _, role in candidates):
        candidates = [c for c in candidates if NATIONAL_ROLE.search(c[2])]
    if not national:  # past the lead, a local page quotes the general secretary ("习近平总书记要求…"); he is not there
        in_lead = len(lead) if start >= 0 else 0
        candidates = [c for c in candidates if c[2] != "总书记" or c[0] < in_lead]
        if not candidates:
            return "", ""
    scores: dict[str, int] = {}
    for position, name, _ in candidates:
        if name not in scores:
            speaks, presides = _name_patterns(name)
            scores[name] = 2 * len(speaks.findall(body)) + (1 if presides.search(body) else 0)
    best = max(scores.values())
    for _, name, role in candidates:
        if scores[name] == best:
            return name, role
    return "", ""
