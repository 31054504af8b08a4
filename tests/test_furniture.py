"""Tests for shuangtan.furniture: page furniture is harvested (facts kept), then removed and counted.

Each case is a family of header/footer lines seen on saved news pages; the inputs are written the
way they look after cleaning (simplified, full-width colon next to Chinese, one paragraph a line).
"""

from __future__ import annotations

import pytest

from shuangtan.furniture import choose_title, harvest_furniture, parse_meta_line

BODY = "4月19日，贵州省委副书记、省长李炳军主持召开省政府专题会议，研究部署全省碳达峰碳中和工作。会议指出，要坚定不移走生态优先的路子。"


def _harvest(*lines: str, title: str = ""):
    return harvest_furniture("\n".join(lines), title)


@pytest.mark.parametrize("line, facts", [
    ("来源：新能源网", {"source": "新能源网"}),
    ("时间:2022-04-22 11:51:33", {"published": "2022-04-22 11:51:33"}),
    ("发布时间：2022-02-22 10:35:00", {"published": "2022-02-22 10:35:00"}),
    ("来源：上海市徐汇区人民政府门户网站作者：洞察网2023-04-21 19:43:27",
     {"source": "上海市徐汇区人民政府门户网站", "author": "洞察网", "published": "2023-04-21 19:43:27"}),
    ("发布时间:2022-06-30 浏览次数:30612次 来源:临夏州人大常委会", {"published": "2022-06-30", "source": "临夏州人大常委会"}),
    ("2021年08月19日 19:15:00 来源：平阳县传媒中心", {"published": "2021年08月19日 19:15:00", "source": "平阳县传媒中心"}),
    ("作者：张三 | 责任编辑：李四", {"author": "张三"}),
    ("编辑/张丽", {}),
    ("2021-10-29 08:16", {"published": "2021-10-29 08:16"}),
    ("原文链接：https://example.org/a/1.html", {"url": "https://example.org/a/1.html"}),
])
def test_meta_lines_give_their_facts(line, facts):
    assert parse_meta_line(line) == facts


@pytest.mark.parametrize("line", [BODY, "会议时间：紧迫，任务艰巨，要求各地抓紧落实到位并按时报送进展情况和存在问题。", "来源于实践"])
def test_text_is_not_a_meta_line(line):
    assert parse_meta_line(line) is None


@pytest.mark.parametrize("line, kind", [
    ("首页>新闻>正文", "breadcrumb"),
    ("当前位置：主页>聚焦>正文", "breadcrumb"),
    ("您现在的位置是：初生之犊网>休闲", "breadcrumb"),
    ("【打印】【关闭】", "print_close"),
    ("【字体：大中小】【打印】", "print_close"),
    ("热度：", "counter"),
    ("相关新闻：", "related"),
    ("(资料图)", "photo_credit"),
    ("新华社记者张三/摄", "photo_credit"),
    ("图源：视觉中国", "photo_credit"),
    ("微信图片_20220328120056.png", "photo_credit"),
    ("欢迎访问中国能源网", "banner"),
    ("欢迎来到内蒙古通辽汇智众创基地/通辽市科技创业信息服务平台！", "banner"),
    ("扫一扫在手机打开当前页", "share_prompt"),
    ("分享到：", "share_prompt"),
    ("↖点击和美兴山", "share_prompt"),
    ("汕尾市人民政府门户网站", "site_name"),
    ("北京青年报客户端", "site_name"),
])
def test_furniture_lines_are_removed_by_kind(line, kind):
    result = _harvest(line, BODY)
    assert result.text == BODY
    assert result.counts[kind] == 1, result.removed


def test_facts_are_harvested_before_the_lines_go():
    result = _harvest("首页>新能源电报", "贵州研究部署全省碳达峰碳中和工作", "来源：新能源网", "时间:2022-04-22 11:51:33",
                      "热度：", BODY)
    assert result.facts == {"source": "新能源网", "published": "2022-04-22 11:51:33"}
    assert result.text == "贵州研究部署全省碳达峰碳中和工作\n" + BODY


def test_headline_repeated_as_teaser_and_prefix_is_removed():
    title = "贵州研究部署全省碳达峰碳中和工作"
    teaser = f"{title}【{title}】：4月19日，贵州省委副书记、省长李炳军主持召开省政府专题会"
    result = _harvest(title, teaser, f"【{title}】：{BODY}")
    assert result.text == f"{title}\n{BODY}"
    assert result.counts["headline_repeat"] == 2 and result.counts["teaser_repeat"] == 1


def test_a_given_title_repeated_in_the_text_is_removed():
    result = _harvest("把系统观念贯穿双碳工作全过程", BODY, title="把系统观念贯穿双碳工作全过程")
    assert result.text == BODY and result.counts["headline_repeat"] == 1


def test_news_prefix_is_cut_and_its_reporter_kept():
    result = _harvest("本报讯（记者 王五）" + BODY)
    assert result.text == BODY and result.facts["author"] == "王五"


def test_date_lines_inside_the_body_are_text():
    body_with_dates = [BODY, "时间：2022年3月1日", BODY.replace("4月19日", "4月20日")]
    result = _harvest(*body_with_dates)
    assert "时间：2022年3月1日" not in result.text.split("\n")  # a labelled stamp is furniture wherever it stands
    assert result.facts == {"published": "2022年3月1日"}


def test_section_words_are_removed_only_at_the_edges():
    assert _harvest("新闻中心", BODY).text == BODY
    inside = _harvest(BODY, "要闻", BODY.replace("4月19日", "4月20日"))
    assert "要闻" in inside.text.split("\n")


@pytest.mark.parametrize("text, title", [
    ("全球要闻：我区召开碳达峰碳中和工作领导小组(扩大)会议\n" + BODY, "我区召开碳达峰碳中和工作领导小组(扩大)会议"),
    ("省碳达峰碳中和工作领导小组会议召开\n周乃翔主持\n" + BODY, "省碳达峰碳中和工作领导小组会议召开"),
    (BODY, ""),
    ("01.北京市\n" + BODY, ""),  # a compilation's first heading is not a title
    ("4月23日下午，全市碳达峰\n碳中和工作领导小组第一次全体\n会议召开。市委书记出席并强调，要深入学习。\n绿色转型、在\n绿色转型中实现更大发展，努力走出一条路。", ""),
])
def test_title_is_a_headline_never_furniture_or_a_fragment(text, title):
    assert choose_title(text) == title


def test_a_given_title_wins():
    assert choose_title(BODY, "发改委：2022年要把碳达峰碳中和摆在突出位置") == "发改委：2022年要把碳达峰碳中和摆在突出位置"


def test_paragraphs_wrapped_mid_sentence_are_joined_again():
    text = ("4月23日下午，全市碳达峰\n碳中和工作领导小组第一次全体\n会议召开。市委书记出席并强调，要深入学习。\n"
            "在经济发展中促\n绿色转型、在\n绿色转型中实现更大发展，努力走出一条路。")
    result = harvest_furniture(text)
    assert result.text == ("4月23日下午，全市碳达峰碳中和工作领导小组第一次全体会议召开。市委书记出席并强调，要深入学习。\n"
                           "在经济发展中促绿色转型、在绿色转型中实现更大发展，努力走出一条路。")
    assert result.counts["wrapped_line"] == 4


def test_ordinary_paragraphs_and_subheads_are_not_joined():
    text = "张晓强指出\n" + BODY + "\n会议要求\n" + BODY.replace("4月19日", "4月20日")
    assert harvest_furniture(text).text == text
