"""Tests for shuangtan.reuse: shared passages, near-duplicate documents and reused spans.

Expected values come from how the texts are constructed (which passage was copied where), or from
a brute-force search over every pair of positions on small texts, never from the code under test.
"""

from __future__ import annotations

import random

import pytest

from shuangtan import reuse
from shuangtan.reuse import (PassageIndex, find_shared_passages, near_duplicates, reuse_spans, reused_share,
                             shared_passages)

# Ordinary sentences (from the seeds' register) used to build texts with known reuse.
SENTENCES = [
    "要深入学习贯彻习近平生态文明思想和总书记关于碳达峰碳中和重要论述精神，",
    "坚持全国统筹、节约优先、双轮驱动、内外畅通、防范风险的原则，",
    "处理好发展和减排、整体和局部、长远目标和短期目标、政府和市场的关系，",
    "加快形成节约资源和保护环境的空间格局、产业结构、生产方式、生活方式。",
    "有序推进能源结构调整，大力发展风电光伏等可再生能源，",
    "坚决遏制高耗能高排放低水平项目盲目发展，推动产业结构优化升级。",
    "完善碳排放统计核算体系，健全碳排放权交易市场，",
    "会议以视频会议形式召开，各市县设分会场。",
]
FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def brute_force_matches(a: str, b: str, min_chars: int) -> set[tuple[int, int, int]]:
    """Return every maximal exact match (pos_a, pos_b, length) of at least min_chars, by trying all pairs."""
    found = set()
    for i in range(len(a)):
        for j in range(len(b)):
            if a[i] != b[j] or (i > 0 and j > 0 and a[i - 1] == b[j - 1]):
                continue
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length >= min_chars:
                found.add((i, j, length))
    return found


def random_text(rng: random.Random, n_pieces: int) -> str:
    """Return a text made of random filler characters and copied sentences."""
    pieces = []
    for _ in range(n_pieces):
        if rng.random() < 0.4:
            pieces.append(rng.choice(SENTENCES))
        else:
            pieces.append("".join(rng.choices(FILLER, k=rng.randint(5, 40))))
    return "".join(pieces)


def test_seed_like_passage_is_found_once_with_its_positions():
    common = SENTENCES[0] + SENTENCES[1]
    texts = {"b": "前言部分" + common + "结束", "a": "甲乙丙" + common + "丁", "c": "毫不相干的一句话" * 5}
    assert shared_passages(texts) == [("a", 3, "b", 4, len(common))]


def test_short_overlap_is_not_a_passage():
    text = SENTENCES[0][:29]
    assert shared_passages({"a": "甲" + text + "乙", "b": "丙" + text + "丁"}) == []
    assert shared_passages({"a": "甲" + text + "乙", "b": "丙" + text + "丁"}, min_chars=29) == [("a", 1, "b", 1, 29)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("min_chars", [12, 30])
def test_every_maximal_match_is_found(seed, min_chars):
    """The winnowed index finds what comparing every pair of positions finds."""
    rng = random.Random(seed)
    a, b = random_text(rng, 12), random_text(rng, 12)
    expected = brute_force_matches(a, b, min_chars)
    found = {(pa, pb, length) for _, pa, _, pb, length in reuse._matches(
        [a, b], reuse._candidate_pairs(reuse._index(reuse.fingerprints([a, b], min_chars)), 10**6)[0], min_chars)}
    assert found == expected


def test_passages_do_not_overlap_in_the_second_text_and_match_the_characters():
    rng = random.Random(7)
    texts = {f"d{i}": random_text(rng, 15) for i in range(6)}
    found = shared_passages(texts)
    assert found, "the construction copies sentences between documents"
    for doc_a, pos_a, doc_b, pos_b, length in found:
        assert doc_a < doc_b and length >= 30
        assert texts[doc_a][pos_a:pos_a + length] == texts[doc_b][pos_b:pos_b + length]


def test_boilerplate_in_many_documents_is_capped_and_counted():
    boiler = SENTENCES[0] + SENTENCES[1]
    rng = random.Random(1)
    texts = {f"d{i:03d}": "".join(rng.choices(FILLER, k=60)) + boiler + "".join(rng.choices(FILLER, k=60))
             for i in range(reuse.MAX_POSTINGS + 5)}
    result = find_shared_passages(texts)
    assert result.capped > 0 and result.cap == reuse.MAX_POSTINGS
    assert result.passages == []  # not expanded into (n choose 2) pairs
    assert result.boilerplate >= 0  # matches found through edge fingerprints are counted, not listed
    few = dict(list(texts.items())[:3])
    assert len(find_shared_passages(few).passages) == 3  # below the cap every pair is listed


def test_reuse_spans_recovers_a_known_reused_fraction():
    rng = random.Random(3)
    central = {"c1": "".join(rng.choices(FILLER, k=400)), "c2": "".join(rng.choices(FILLER, k=400))}
    own = ["".join(rng.choices(FILLER, k=100)) for _ in range(3)]
    copied = [central["c1"][50:130], central["c2"][200:260]]  # 80 + 60 characters
    target = own[0] + copied[0] + own[1] + copied[1] + own[2]
    spans = reuse_spans(target, central)
    assert [(s, e, src, pos) for s, e, src, pos in spans] == [(100, 180, "c1", 50), (280, 340, "c2", 200)]
    assert reused_share(target, central) == pytest.approx(140 / len(target))
    index = PassageIndex(central)
    assert reuse_spans(target, index) == spans
    assert reuse_spans(own[0], index) == [] and reused_share("", index) == 0.0


def test_reuse_spans_names_the_first_source_when_two_hold_the_passage():
    passage = SENTENCES[2] + SENTENCES[3]
    spans = reuse_spans("开头" + passage + "结尾", {"z": "前" + passage, "a": passage + "后"})
    assert spans == [(2, 2 + len(passage), "a", 0)]


def test_near_duplicates_keep_the_first_copy_and_ignore_shared_passages():
    rng = random.Random(5)
    article = random_text(rng, 40)
    edited = article[:300] + "新增一句话。" + article[300:]  # a reprint with one local edit
    other = random_text(rng, 40)
    compilation = other + article + random_text(rng, 60)  # contains the article but is not a copy of it
    texts = {"b_reprint": edited, "a_original": article, "c_other": other, "d_compilation": compilation,
             "e_copy": article}
    found = near_duplicates(texts)
    assert set(found) == {"b_reprint", "e_copy"}
    assert found["e_copy"] == ("a_original", 1.0)
    assert found["b_reprint"][0] == "a_original" and 0.7 <= found["b_reprint"][1] < 1.0
    assert near_duplicates(texts, order=["e_copy", "a_original", "b_reprint", "c_other", "d_compilation"])[
        "a_original"][0] == "e_copy"


def test_many_copies_are_linked_to_one_original():
    rng = random.Random(9)
    article = random_text(rng, 40)
    texts = {f"copy{i:03d}": article for i in range(100)}
    texts.update({f"other{i:03d}": random_text(rng, 40) for i in range(50)})
    found = near_duplicates(texts)
    assert found == {f"copy{i:03d}": ("copy000", 1.0) for i in range(1, 100)}


def test_empty_and_tiny_inputs():
    assert shared_passages({}) == [] and shared_passages({"a": ""}) == []
    assert shared_passages({"a": "短", "b": "短"}) == []
    assert near_duplicates({}) == {} and near_duplicates({"a": "", "b": ""}) == {}
    assert reuse_spans("", {"a": "x"}) == [] and reuse_spans("短文", {}) == []


# --------------------------------------------------------------------------- in the corpus tables
@pytest.fixture(scope="module")
def reprinted_corpus(tmp_path_factory, seeds_path):
    """The seeds plus seed 002 saved again from another site (other furniture, same article)."""
    import shutil

    from shuangtan.corpus import build_corpus

    folder = tmp_path_factory.mktemp("reprint") / "corpus"
    shutil.copytree(seeds_path, folder)
    article = (seeds_path / "002_1866d2bbd4d0eafa.txt").read_text(encoding="utf-8")
    (folder / "009_reprint_other_site.txt").write_text("转载自 某某新闻网\n\n" + article + "\n（来源：某某新闻网）\n",
                                                      encoding="utf-8")
    return build_corpus(folder)


def test_reprint_is_marked_in_documents_and_speeches(reprinted_corpus):
    documents = reprinted_corpus.documents.set_index("doc_id")
    assert documents.loc["009_reprint_other_site", "duplicate_of"] == "002_1866d2bbd4d0eafa"
    assert (documents.drop(index="009_reprint_other_site")["duplicate_of"] == "").all()
    speeches = reprinted_corpus.speeches
    copies = speeches.loc[speeches["doc_id"] == "009_reprint_other_site", "duplicate_of"]
    assert len(copies) >= 1 and (copies == "002_1866d2bbd4d0eafa").all()
    assert (speeches.loc[speeches["doc_id"] != "009_reprint_other_site", "duplicate_of"] == "").all()


def test_reprint_is_listed_once_in_the_quality_report(reprinted_corpus):
    quality = reprinted_corpus.quality
    reprints = quality.loc[quality["check"] == "reprint"]
    assert reprints["doc_id"].tolist() == ["009_reprint_other_site"]
    assert "002_1866d2bbd4d0eafa" in reprints["message"].iloc[0]
    shared = quality.loc[quality["check"] == "shared_passage"]
    between = shared.loc[(shared["doc_id"] == "009_reprint_other_site") & shared["message"].str.contains("002_")]
    assert between.empty, "the copy and its original are not also listed passage by passage"
    # the copy still shares the Zhejiang passage with the compilation, like its original does
    assert ((shared["doc_id"] == "009_reprint_other_site") & shared["message"].str.contains("003_")).any()


def test_seeds_have_no_reprints(seed_corpus):
    assert (seed_corpus.documents["duplicate_of"] == "").all()
    assert (seed_corpus.speeches["duplicate_of"] == "").all()
    assert not (seed_corpus.quality["check"] == "reprint").any()
    assert (seed_corpus.quality["check"] == "shared_passage").sum() == 14  # 7 passages, one row per side
