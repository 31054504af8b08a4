"""Tests for shuangtan.clean: each cleaning step on real snippets from the seeds, then properties.

Snippets are copied from the seed files (traditional text with pinyin annotations from 003 and 004,
HTML from 000 and 001, the WeChat dump 002). Property-based tests (hypothesis) check that
``clean_text`` never raises and is idempotent, on arbitrary text and on mixtures of seed snippets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shuangtan.clean import (clean_document, clean_text, fullwidth_punctuation, normalize_lines, readings,
                             remove_boilerplate, remove_inner_spaces, remove_pinyin, remove_repeated_sentences,
                             split_sentences)
from shuangtan.han import HAN, detect_script, to_simplified
from shuangtan.html_text import html_to_text, looks_like_html
from shuangtan.repairs import Correction, apply_corrections, find_mojibake, load_corrections
from shuangtan.files import read_csv_rows, read_document
from shuangtan.paths import DEFAULT_SEEDS_DIR

COMPILATION = "003_40244c0166258a0d"
SHAANXI_LEAD = "2021年8月19日,省委書記、領(lǐng)導(dǎo)小組組長劉國中在省碳達(dá)峰碳中和工作領(lǐng)導(dǎo)小組召開第一次全體(擴(kuò)大)會議中講話:"
YUNNAN = ("實(shí)現(xiàn)碳達(dá)峰、碳中和是一場廣泛而深刻的經(jīng)濟(jì)社會系統(tǒng)性變革,與雲(yún)南密切相關(guān)。"
          "實(shí)現(xiàn)碳達(dá)峰、碳中和是一場廣泛而深刻的經(jīng)濟(jì)社會系統(tǒng)性變革,與雲(yún)南密切相關(guān)。")
STYLE_BLOCK_001 = """<!-- 文末二维码 start -->
            <style>
            .appendQr_wrap&#123;border:1px solid #E6E6E6;padding:8px;&#125;
            .appendQr_normal&#123;float:left;&#125;
            </style>
            <div class="clearfix appendQr_wrap">
                <div class="appendQr_normal"><img src="https://n.sinaimg.cn/finance/cece9e13/20200514/343233024.png" referrerpolicy="no-referrer"></div>
                <div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div>
            </div>
<p class="article-editor">责任编辑：王翔 </p>"""
VIDEO_000 = ('<div>   \n<p></p><div style="background-color:#ececec" class="iframe_video"><iframe src="//v.qq.com/'
             'iframe/player.html?vid=f3320tg7axi&auto=0" allowfullscreen frameborder="0"></iframe></div><p></p>'
             '<p>1 月 24 日，中共中央政治局就努力实现碳达峰碳中和目标进行第三十六次集体学习。</p>')
WECHAT_002 = ("\n微信号\nzhejiangjingxin\n\n功能介绍\n您手中的浙江经信！\n"
              "5月21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。"
              "会议以视频会议形式召开，各市县设分会场。往期 · 推荐◆省委理论学习中心组举行学习会：努力将理论清醒转化为实干之力"
              "◆省经信厅召开党史学习教育推进会\n\n前往“发现”-“看一看”浏览“朋友在看”\n\n\n已发送发送中微信扫一扫关注该公众号")


def _seed_body(doc_id: str) -> str:
    return read_document(DEFAULT_SEEDS_DIR / f"{doc_id}.txt").text


def _corrections() -> list[Correction]:
    return load_corrections(read_csv_rows(DEFAULT_SEEDS_DIR / "corrections.csv"))[COMPILATION]


# --------------------------------------------------------------------------- mojibake
def test_find_mojibake_reports_the_four_spans_of_the_compilation():
    text = _seed_body(COMPILATION)
    doubts = find_mojibake(text)
    assert [d.span for d in doubts] == ["?qū)嵤┨", "?shù)", "?zé)", "?;s"]
    for doubt in doubts:
        assert text[doubt.position:doubt.position + len(doubt.span)] == doubt.span
        assert doubt.check == "mojibake" and "corrections.csv" in doubt.message


@pytest.mark.parametrize("clean", [
    _seed_body("000_18aacb4e4a36c856"), _seed_body("001_9222412ebf730171"), _seed_body("004_f799dbbec6d66dff"),
    "详见 https://example.com/page?id=3&b=4 。", "为什么?", "Is it 2030?", "“1+N”政策体系(2021)",
])
def test_find_mojibake_stays_quiet_on_clean_text(clean):
    assert find_mojibake(clean) == []


@pytest.mark.parametrize("garbled", ["碳达峰\ufffd\ufffd中和", "ç¢³è¾¾å³°", "碳╗╖达峰"])
def test_find_mojibake_catches_other_kinds_of_garbage(garbled):
    assert len(find_mojibake(garbled)) == 1


# --------------------------------------------------------------------------- corrections
def test_curated_corrections_repair_every_span_and_none_is_stale():
    corrections = _corrections()
    assert len(corrections) == 4 and all(fix.note for fix in corrections)
    text, applied, stale = apply_corrections(_seed_body(COMPILATION), corrections)
    assert (applied, stale) == (4, [])
    assert find_mojibake(text) == []
    assert "為有序實施碳達峰碳中和山西行動(dòng)" in text


def test_stale_correction_is_reported_not_applied():
    fix = Correction("x", "不在文中", "替换", "")
    text, applied, stale = apply_corrections("正文", [fix])
    assert (text, applied) == ("正文", 0)
    assert [d.span for d in stale] == ["不在文中"] and "stale" in stale[0].message


def test_load_corrections_groups_by_document_and_skips_incomplete_rows():
    rows = [{"doc_id": "a", "wrong": "x", "right": "y", "note": "n"}, {"doc_id": "a", "wrong": "", "right": "z"},
            {"doc_id": "", "wrong": "x", "right": "y"}, {"doc_id": "b", "wrong": "p", "right": "q"}]
    grouped = load_corrections(rows)
    assert {k: [(c.wrong, c.right) for c in v] for k, v in grouped.items()} == {"a": [("x", "y")], "b": [("p", "q")]}


# --------------------------------------------------------------------------- HTML
def test_style_block_of_seed_001_does_not_leak():
    assert looks_like_html(STYLE_BLOCK_001)
    text, removed = html_to_text(STYLE_BLOCK_001)
    assert "appendQr" not in text and "{" not in text and "border" not in text
    assert "海量资讯、精准解读，尽在新浪财经APP" in text and "责任编辑：王翔" in text
    assert removed["<style>"] == 1 and removed["<img>"] == 1 and removed["comments"] == 1
    assert removed["entities"] == 4


def test_video_iframe_of_seed_000_is_dropped_and_paragraphs_kept():
    text, removed = html_to_text(VIDEO_000)
    assert "iframe" not in text and "qq.com" not in text
    assert "1 月 24 日，中共中央政治局" in text and removed["<iframe>"] == 1


def test_whole_html_seeds_lose_every_tag():
    for doc_id in ("000_18aacb4e4a36c856", "001_9222412ebf730171"):
        text, _ = html_to_text(_seed_body(doc_id).split("---", 2)[2])
        assert not re.search(r"<[a-zA-Z/!]", text), doc_id
        assert "appendQr" not in text and "zkres" not in text


def test_markup_quoted_in_text_is_neutralised_not_parsed_again():
    text, removed = html_to_text("<p>文章写道：&lt;p&gt;这是标签&lt;/p&gt;</p>")
    assert "＜p＞这是标签＜/p＞" in text and removed["markup-like text made full-width"] == 2
    assert not looks_like_html(text)


@pytest.mark.parametrize("plain", [_seed_body("002_1866d2bbd4d0eafa"), "若 a<5 且 c>3", "《巴黎协定》", "3 < 5"])
def test_plain_text_is_not_taken_for_html(plain):
    assert not looks_like_html(plain)


# --------------------------------------------------------------------------- pinyin annotations
@pytest.mark.parametrize("annotated, expected", [
    ("藍(lán)佛安出席", "藍佛安出席"),  # seed 004, first line
    ("習(xí)近平總書記", "習近平總書記"),
    ("長(cháng)(zhǎng)江", "長江"),  # two annotations on one character
    ("實(shi2)現(xian4)", "實現"),  # tone numbers
    ("實(shi)現(xian)", "實現"),  # toneless
    ("實(ㄕˊ)現(ㄒㄧㄢˋ)", "實現"),  # zhuyin
    ("實（shí）現（xiàn）", "實現"),  # full-width parentheses
    ("綠(lü4)色", "綠色"), ("綠(lv4)色", "綠色"), ("綠(lu:4)色", "綠色"),  # ü written three ways
    ("重(zhòng)點(diǎn)", "重點"), ("重(chóng)新", "重新"),  # heteronyms
])
def test_pinyin_annotations_are_removed_in_every_style(annotated, expected):
    text, removed, doubts = remove_pinyin(annotated)
    assert text == expected and removed == annotated.count("(") + annotated.count("（") and doubts == []


@pytest.mark.parametrize("kept", [
    "全體(擴大)會議",  # the Shaanxi entry of 003 (after its own annotation is removed)
    "國際能源署(IEA)發布報告", "《世界能源展望(2021)》", "清潔能源(clean energy)", "能源(energy)政策",
    "中(ABC)", "碳(C)排放", "北京(Beijing)", "第一(1)条", "世界(world)",
])
def test_real_parentheses_survive(kept):
    text, removed, _ = remove_pinyin(kept)
    assert (text, removed) == (kept, 0)


def test_shaanxi_lead_keeps_its_parentheses_and_loses_its_annotations():
    text, removed, _ = remove_pinyin(SHAANXI_LEAD)
    assert "全體(擴大)會議" in text and removed == SHAANXI_LEAD.count("(") - 1
    assert clean_text(SHAANXI_LEAD).endswith("在省碳达峰碳中和工作领导小组召开第一次全体(扩大)会议中讲话：")


def test_tone_marked_syllable_that_is_not_a_reading_is_kept_and_doubted():
    text, removed, doubts = remove_pinyin("中(shí)国")
    assert (text, removed) == ("中(shí)国", 0)
    assert [d.span for d in doubts] == ["(shí)"] and "(shí)" in doubts[0].message


def test_annotation_of_a_simplified_reading_counts():
    assert "shí" in readings("实") and "shi2" in readings("實") and "ㄕˊ" in readings("实")
    assert readings("") == frozenset()


def test_whole_seeds_lose_all_tone_marked_annotations():
    for doc_id in (COMPILATION, "004_f799dbbec6d66dff"):
        text, removed, _ = remove_pinyin(apply_corrections(_seed_body(doc_id), _corrections())[0])
        assert removed > 100
        assert not re.search(rf"[{HAN}][(（][^)）]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", text), doc_id


# --------------------------------------------------------------------------- script conversion
def test_to_simplified_converts_and_counts():
    assert to_simplified("習近平總書記關於碳達峰碳中和") == ("习近平总书记关于碳达峰碳中和", 7)
    assert to_simplified("陜西") == ("陕西", 1)  # variant OpenCC misses, from data/variants.csv
    assert to_simplified("碳达峰 abc") == ("碳达峰 abc", 0)


@pytest.mark.parametrize("text, script", [
    (_seed_body(COMPILATION), "traditional"), (_seed_body("004_f799dbbec6d66dff"), "traditional"),
    (_seed_body("000_18aacb4e4a36c856"), "simplified"), (_seed_body("002_1866d2bbd4d0eafa"), "simplified"),
    ("carbon neutrality 2060", "none"), ("", "none"),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


# --------------------------------------------------------------------------- spacing and punctuation
def test_spaces_inside_chinese_are_removed_but_not_between_latin_words():
    assert remove_inner_spaces("1 月 24 日，实现 2030 年前碳排放达峰") == ("1月24日，实现2030年前碳排放达峰", 5)
    assert remove_inner_spaces("政府和市场 4 对关系")[0] == "政府和市场4对关系"
    assert remove_inner_spaces("New York Times")[0] == "New York Times"
    assert remove_inner_spaces("\u3000\u3000原标题")[0] == "原标题"


def test_ascii_punctuation_next_to_chinese_becomes_full_width():
    text, count = fullwidth_punctuation("7月22日,省委書記林武主持召開會議並講話。他強調:要堅持問題導向;對嗎?好!")
    assert text == "7月22日，省委書記林武主持召開會議並講話。他強調：要堅持問題導向；對嗎？好！" and count == 5
    assert fullwidth_punctuation("会议于12:30召开，投资2,000亿元")[1] == 0
    assert fullwidth_punctuation("Hello, world: ok")[1] == 0


def test_normalize_lines_drops_blank_lines_and_strips():
    assert normalize_lines("  甲 \n\n\t\n 乙\u00a0\u00a0丙  \n") == "甲\n乙 丙"


# --------------------------------------------------------------------------- boilerplate
def test_wechat_boilerplate_of_002_is_removed_and_the_account_kept_as_source():
    text, counts, captured = remove_boilerplate(normalize_lines(WECHAT_002))
    assert text.strip() == ("5月21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。"
                            "会议以视频会议形式召开，各市县设分会场。")
    assert captured == {"source": "微信公众号 zhejiangjingxin"}
    assert counts == {"wechat_account_header": 1, "wechat_recommended_reading": 1,
                      "wechat_discover_prompt": 1, "wechat_follow_prompt": 1}


def test_newspaper_credit_and_editor_line_of_004_are_removed():
    raw = "山西日报报道 7月22日，省委书记林武主持召开会议。\n责任编辑：吉政"
    text, counts, captured = remove_boilerplate(raw)
    assert text.strip() == "7月22日，省委书记林武主持召开会议。"
    assert captured == {"source": "山西日报"} and counts == {"newspaper_dateline": 1, "editor_credit": 1}


def test_sina_lines_of_001_are_removed():
    # The '原标题：' line is page furniture now (shuangtan.furniture harvests it); boilerplate keeps the app promo.
    raw = "正文。\n海量资讯、精准解读，尽在新浪财经APP"
    text, counts, _ = remove_boilerplate(raw)
    assert text.strip() == "正文。" and counts == {"sina_app_promo": 1}


def test_boilerplate_words_inside_a_sentence_are_kept():
    sentence = "会议强调，要推广微信号召群众参与，原标题不变。"
    assert remove_boilerplate(sentence)[0] == sentence


# --------------------------------------------------------------------------- repeated sentences
def test_split_sentences_keeps_closing_punctuation_and_quotes():
    assert split_sentences("他说：“要抓落实。”会议指出，要推进！是吗？好") == ["他说：“要抓落实。”", "会议指出，要推进！", "是吗？", "好"]


def test_repeated_yunnan_sentence_is_removed_once_and_counted():
    cleaned = to_simplified(fullwidth_punctuation(remove_pinyin(YUNNAN)[0])[0])[0]
    text, exact, near, removed = remove_repeated_sentences(cleaned)
    assert text == "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革，与云南密切相关。"
    assert (exact, near) == (1, 0) and removed[0].span == text and removed[0].position == len(text)


def test_repeats_across_lines_and_short_repeats():
    text = "要坚持全国统筹、节约优先的原则。\n短句重复。短句重复。\n要坚持全国统筹、节约优先的原则。"
    out, exact, near, _ = remove_repeated_sentences(text)
    assert out == "要坚持全国统筹、节约优先的原则。\n短句重复。短句重复。" and (exact, near) == (1, 0)


def test_near_duplicate_lead_of_002_is_removed():
    lead = ("5月21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。"
            "21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。他强调，要深入学习。")
    out, exact, near, removed = remove_repeated_sentences(lead)
    assert out == ("5月21日下午，全省碳达峰碳中和工作推进会在杭州召开，省委书记袁家军出席会议并讲话。他强调，要深入学习。")
    assert (exact, near) == (0, 1) and removed[0].check == "near_duplicate_sentences"


# --------------------------------------------------------------------------- pipeline
def test_clean_document_runs_the_steps_in_order_and_counts_them():
    result = clean_document(_seed_body(COMPILATION), _corrections())
    assert [s.step for s in result.steps] == [
        "mojibake", "corrections", "html", "pinyin", "t2s", "spacing", "punctuation", "boilerplate",
        "repeated_sentences", "near_duplicate_sentences"]
    counts = {s.step: s.count for s in result.steps}
    assert counts["mojibake"] == 4 and counts["corrections"] == 4 and counts["html"] == 0
    assert counts["pinyin"] > 1000 and counts["t2s"] > 1000 and counts["repeated_sentences"] == 1
    assert result.script == "traditional"


def test_clean_text_of_snippets_from_every_seed():
    assert clean_text(SHAANXI_LEAD + "\n" + YUNNAN).count("与云南密切相关") == 1
    assert clean_text(STYLE_BLOCK_001) == ""
    assert clean_text(VIDEO_000) == "1月24日，中共中央政治局就努力实现碳达峰碳中和目标进行第三十六次集体学习。"
    assert clean_text("藍(lán)佛安出席\n山西日報報道 7月22日,省委書記林武主持召開會議。") == "蓝佛安出席\n7月22日，省委书记林武主持召开会议。"
    assert clean_text(WECHAT_002).startswith("5月21日下午")


# --------------------------------------------------------------------------- properties
def _seed_snippets() -> list[str]:
    """Real fragments: tags, entities, annotated traditional words, mojibake, boilerplate, punctuation."""
    texts = [_seed_body(p.stem) for p in sorted(Path(DEFAULT_SEEDS_DIR).glob("00[0-4]_*.txt"))]
    fragments = set(re.findall(r"<[^<>]{0,80}>", texts[0] + texts[1]))
    fragments |= set(re.findall(rf"[{HAN}](?:\([^()]{{1,6}}\))+", texts[3] + texts[4]))
    fragments |= {"&#123;", "&#125;", "&nbsp;", "&lt;p&gt;", "&amp;", "<!-- c -->", "<style>", "</style>",
                  "?qū)嵤┨", "?shù)", "?zé)", "?;s", "(擴(kuò)大)", "(IEA)", "(2021)", "中(ABC)", "實(shi2)",
                  "實(ㄕˊ)", "實（shí）", "(shí)", "微信号\nabc_1\n功能介绍\n您手中的浙江经信！", "往期 · 推荐◆",
                  "前往“发现”-“看一看”浏览“朋友在看”", "微信扫一扫关注该公众号", "责任编辑：王翔", "原标题：",
                  "山西日报报道 ", "尽在新浪财经APP", "陜西", "\r\n", "\n", " ", "\u3000", "\u00a0", ",", ":", ";",
                  "?", "!", "。", "”", "“", "（", "）", "(", ")", "1 月 24 日", "2,000", "12:30",
                  "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革。"}
    return sorted(fragments)


SNIPPETS = _seed_snippets()
SEED_TEXTS = [_seed_body(p.stem) for p in sorted(Path(DEFAULT_SEEDS_DIR).glob("00[0-4]_*.txt"))]


@st.composite
def seed_slices(draw) -> str:
    """A random slice (up to 400 characters) of one of the real seed files."""
    text = draw(st.sampled_from(SEED_TEXTS))
    start = draw(st.integers(0, len(text) - 1))
    return text[start:start + draw(st.integers(0, 400))]


MIXED = st.lists(st.one_of(st.sampled_from(SNIPPETS), seed_slices(),
                           st.text(alphabet=st.sampled_from("碳達达峰中和實实现(（)）shíabc1234 \n。，,<>/&;:?"), max_size=12)),
                 max_size=12).map("".join)
# derandomize: the same examples on every run, so the suite is deterministic (explore more with
# `pytest --hypothesis-seed=N` after removing it locally).
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow])
# Minimal inputs on which clean_text is not idempotent (library bugs reported to the lead):
# 1. spacing runs before punctuation: the space before a newly full-width '！' survives one pass.
SPACE_BEFORE_NEW_FULLWIDTH = "a !中"
# 2. removing a repeated sentence joins an ASCII '?' to a Han character that the punctuation step
#    (already run) would have made full-width.
REPEAT_REMOVAL_JOINS = "http重复的句子重复的句子。x?http重复的句子重复的句子。各"
# 3. removing a boilerplate prefix exposes another one at the start of the line.
BOILERPLATE_EXPOSED = "山西日报报道 111山西日报报道 "


def test_space_before_new_fullwidth_punctuation_is_removed_in_one_pass():
    assert clean_text(SPACE_BEFORE_NEW_FULLWIDTH) == "a！中"


def test_repeat_removal_leaves_no_half_width_punctuation_next_to_chinese():
    assert clean_text(REPEAT_REMOVAL_JOINS) == "http重复的句子重复的句子。x？各"


def test_boilerplate_exposed_by_a_removal_is_removed_too():
    assert clean_text(BOILERPLATE_EXPOSED) == ""


@PROPERTY_SETTINGS
@given(st.text())
def test_clean_text_never_raises_on_any_text(text):
    assert isinstance(clean_text(text), str)


@PROPERTY_SETTINGS
@given(st.text())
def test_clean_text_is_idempotent_on_any_text(text):
    once = clean_text(text)
    assert clean_text(once) == once


@PROPERTY_SETTINGS
@given(MIXED)
@example(SPACE_BEFORE_NEW_FULLWIDTH)
@example(REPEAT_REMOVAL_JOINS)
@example(BOILERPLATE_EXPOSED)
def test_clean_text_never_raises_on_seed_mixtures(text):
    assert isinstance(clean_text(text), str)


@PROPERTY_SETTINGS
@given(MIXED)
@example(SPACE_BEFORE_NEW_FULLWIDTH)
@example(REPEAT_REMOVAL_JOINS)
@example(BOILERPLATE_EXPOSED)
def test_clean_text_is_idempotent_on_seed_mixtures(text):
    once = clean_text(text)
    assert clean_text(once) == once


# --------------------------------------------------------------------------- hostile characters (issue 9)
HOSTILE_ALPHABET = st.one_of(
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),  # CJK compatibility ideographs (豈 U+F900)
    st.characters(min_codepoint=0x2F00, max_codepoint=0x2FD5),  # Kangxi radicals
    st.sampled_from(list("實现碳達峰豈衞淸槪粧陜 \u3000\u00a0\t(（)）shíqǐ1<>p/\n。")),
)
HOSTILE = st.lists(st.one_of(st.text(alphabet=HOSTILE_ALPHABET, max_size=8),
                             st.sampled_from(["實 (shí)現", "實（shí）現", "\uf900(shi)", "\uf900(qǐ)", "實 （shí） 現",
                                              "<p>實</p> (shí)", "\ud800", "⽣态"])),
                   max_size=10).map("".join)


@PROPERTY_SETTINGS
@given(HOSTILE)
@example("\uf900(shi)")
@example("實 (shí)現")
@example("a\ud800b")
def test_clean_text_never_raises_and_is_idempotent_on_hostile_characters(text):
    once = clean_text(text)
    assert isinstance(once, str) and clean_text(once) == once
    assert not re.search("[\ud800-\udfff\uf900-\ufa0d]", once)


@pytest.mark.parametrize("text, expected", [
    ("實 (shí)現", "实现"), ("實（shí）現", "实现"), ("實 （shí） 現", "实现"), ("實\u00a0(shí)現", "实现"),
    ("\uf900(qǐ)", "岂"), ("\uf900(shi)", "岂(shi)"), ("⽣态", "生态"), ("a\ud800b", "a\ufffdb"),
])
def test_annotations_with_spaces_compatibility_ideographs_and_surrogates(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize("variant, simplified", [("衞", "卫"), ("淸", "清"), ("槪", "概"), ("粧", "妆"), ("陜", "陕"),
                                                 ("敍", "叙"), ("鬪", "斗"), ("硏", "研")])
def test_variants_opencc_leaves_are_simplified(variant, simplified):
    assert to_simplified(variant)[0] == simplified


def test_every_variant_row_has_a_source_and_a_note_and_is_left_by_opencc():
    import opencc

    t2s = opencc.OpenCC("t2s")
    rows = read_csv_rows(Path(__file__).resolve().parents[1] / "lib" / "shuangtan" / "data" / "variants.csv")
    assert len(rows) >= 50
    for row in rows:
        assert row["source"] and row["note"], row
        assert t2s.convert(row["variant"]) == row["variant"] and t2s.convert(row["simplified"]) == row["simplified"]


@pytest.mark.parametrize("n", [4000, 16000])
def test_html_with_thousands_of_block_tags_keeps_every_paragraph(n):
    text, _ = html_to_text("".join(f"<p>第{i}段</p>" for i in range(n)))
    assert normalize_lines(text).split("\n") == [f"第{i}段" for i in range(n)]


def test_huge_single_line_is_cleaned():
    line = "实现碳达峰、碳中和是一场广泛而深刻的经济社会系统性变革" * 20000 + "(shí)" + "a " * 50000
    assert clean_text(line).startswith("实现碳达峰")
