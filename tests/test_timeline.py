"""Tests for shuangtan.timeline: milestones table, first actions per province, diffusion curve."""

from __future__ import annotations

import pandas as pd
import pytest

from shuangtan.places import provinces
from shuangtan.timeline import (
    DEFAULT_LAG_MILESTONES,
    diffusion_curve,
    first_actions,
    label_rows,
    milestone_keys,
    milestones,
    provincial_statements,
    statements_by_province,
    unassigned_statements,
)

COLUMNS = ["speech_id", "doc_id", "level", "province", "date", "date_source", "date_note",
           "speaker", "occasion", "text"]


def speeches_frame(rows: list[tuple]) -> pd.DataFrame:
    """Build a small speeches table: (speech_id, doc_id, level, province, date or None, occasion)."""
    records = []
    for speech_id, doc_id, level, province, date, occasion in rows:
        records.append({
            "speech_id": speech_id, "doc_id": doc_id, "level": level, "province": province,
            "date": pd.Timestamp(date) if date else pd.NaT,
            "date_source": "text" if date else "text",
            "date_note": "" if date else "month and day without a year",
            "speaker": "某某", "occasion": occasion, "text": "碳达峰碳中和",
        })
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


@pytest.fixture()
def synthetic() -> pd.DataFrame:
    return speeches_frame([
        ("003_a-08", "003_a", "provincial", "浙江", "2021-07-20", "主持召开省碳达峰碳中和工作领导小组第一次全体会议"),
        ("002_b-01", "002_b", "provincial", "浙江", "2021-05-21", "全省碳达峰碳中和工作推进会"),
        ("003_a-01", "003_a", "provincial", "北京", "2021-05-29", "到城市副中心调查研究座谈"),
        ("003_a-09", "003_a", "provincial", "山西", "2021-12-27", "主持召开领导小组第三次会议"),
        ("004_c-01", "004_c", "provincial", "山西", "2021-07-22", "主持召开领导小组第一次会议"),
        # An undated statement earlier in file order must never win, whatever its position.
        ("001_d-01", "001_d", "provincial", "北京", None, "省委常委会"),
        # A province whose only statement is undated.
        ("003_a-30", "003_a", "provincial", "西藏", None, "主持召开自治区党委常委会（扩大）会议"),
        # Central rows never count, even when they are the earliest.
        ("000_e-01", "000_e", "central", None, "2020-01-01", "中央经济工作会议"),
    ])


def row(frame: pd.DataFrame, province: str) -> pd.Series:
    return frame.set_index("province").loc[province]


def test_milestones_table_has_checked_dates() -> None:
    table = milestones()
    assert list(table.columns[:6]) == ["key", "date", "label", "event_zh", "event_en", "source_note"]
    assert pd.api.types.is_datetime64_any_dtype(table["date"])
    assert table["date"].is_monotonic_increasing
    assert table["key"].is_unique
    assert (table["source_note"].str.len() > 40).all()
    assert (table["label"].str.len() <= 30).all()
    dates = dict(zip(table["key"], table["date"].dt.strftime("%Y-%m-%d"), strict=True))
    assert dates["un_pledge"] == "2020-09-22"
    assert dates["cfeac_9th"] == "2021-03-15"
    assert dates["leading_group_1st"] == "2021-05-26"
    assert dates["carbon_market"] == "2021-07-16"
    assert dates["politburo_36th"] == "2022-01-24"
    assert set(DEFAULT_LAG_MILESTONES) <= set(milestone_keys())


def test_earliest_statement_wins_across_documents(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic)
    zhejiang = row(first, "浙江")
    assert zhejiang["first_date"] == pd.Timestamp("2021-05-21")
    assert zhejiang["doc_id"] == "002_b"
    assert zhejiang["speech_id"] == "002_b-01"
    assert zhejiang["occasion_type"] == "work_conference"
    assert zhejiang["n_statements"] == 2
    assert zhejiang["n_documents"] == 2
    shanxi = row(first, "山西")
    assert (shanxi["first_date"], shanxi["doc_id"]) == (pd.Timestamp("2021-07-22"), "004_c")


def test_every_province_is_present_once(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic)
    assert len(first) == 31
    assert set(first["province"]) == set(provinces()["short_name"])
    assert first["province_code"].str.match(r"^CN-[A-Z]{2}$").all()
    assert row(first, "上海")["reason"] == "no statement in the corpus"
    assert pd.isna(row(first, "上海")["first_date"])
    assert row(first, "上海")["n_statements"] == 0


def test_undated_statements_are_never_chosen(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic)
    beijing = row(first, "北京")
    assert beijing["first_date"] == pd.Timestamp("2021-05-29")
    assert beijing["speech_id"] == "003_a-01"
    assert (beijing["n_dated"], beijing["n_undated"]) == (1, 1)
    tibet = row(first, "西藏")
    assert pd.isna(tibet["first_date"])
    assert pd.isna(tibet["rank"])
    assert tibet["n_undated"] == 1
    assert "none with a known date" in tibet["reason"]
    assert pd.isna(tibet["lag_days_un_pledge"])


def test_central_rows_never_count(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic)
    assert first["first_date"].min() == pd.Timestamp("2021-05-21")
    assert first["doc_id"].ne("000_e").all()


def test_lags_are_days_after_each_chosen_milestone(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic, after=["un_pledge", "leading_group_1st", "carbon_market"])
    lags = [c for c in first.columns if c.startswith("lag_days_")]
    assert lags == ["lag_days_un_pledge", "lag_days_leading_group_1st", "lag_days_carbon_market"]
    zhejiang = row(first, "浙江")
    assert zhejiang["lag_days_un_pledge"] == 241  # 2020-09-22 -> 2021-05-21
    assert zhejiang["lag_days_leading_group_1st"] == -5  # acted five days before the plenary
    assert row(first, "山西")["lag_days_carbon_market"] == 6
    assert str(first["lag_days_un_pledge"].dtype) == "Int64"


def test_default_lags_and_unknown_key(synthetic: pd.DataFrame) -> None:
    first = first_actions(synthetic)
    assert [c for c in first.columns if c.startswith("lag_days_")] == [
        f"lag_days_{key}" for key in DEFAULT_LAG_MILESTONES
    ]
    with pytest.raises(KeyError, match="no_such_event"):
        first_actions(synthetic, after=["no_such_event"])


def test_custom_milestones_table(synthetic: pd.DataFrame) -> None:
    custom = pd.DataFrame({"key": ["new_year"], "date": ["2021-01-01"]})
    first = first_actions(synthetic, custom, after=["new_year"])
    assert row(first, "浙江")["lag_days_new_year"] == 140


def test_sorted_by_first_date_with_deterministic_ties() -> None:
    same_day = speeches_frame([
        ("003_a-05", "003_a", "provincial", "安徽", "2021-06-01", "省委常委会"),
        ("002_b-07", "002_b", "provincial", "河南", "2021-06-01", "省委常委会"),
        ("003_a-02", "003_a", "provincial", "上海", "2021-06-01", "省委常委会"),
        ("003_a-03", "003_a", "provincial", "天津", "2021-04-01", "省委常委会"),
        ("009_z-01", "009_z", "provincial", "天津", "2021-04-01", "省委常委会"),
    ])
    first = first_actions(same_day)
    assert first["province"].head(4).tolist() == ["天津", "河南", "上海", "安徽"]
    assert row(first, "天津")["speech_id"] == "003_a-03"  # same date: smaller doc_id wins
    assert first["rank"].head(4).tolist() == [1, 2, 3, 4]
    assert first["first_date"].iloc[4:].isna().all()
    shuffled = first_actions(same_day.sample(frac=1, random_state=7))
    pd.testing.assert_frame_equal(first, shuffled)


def test_rows_without_a_known_province_are_set_aside(synthetic: pd.DataFrame) -> None:
    extra = speeches_frame([
        ("x-01", "x", "provincial", "火星", "2020-01-01", "会议"),
        ("x-02", "x", "provincial", None, "2020-01-02", "会议"),
    ])
    speeches = pd.concat([synthetic, extra], ignore_index=True)
    first = first_actions(speeches)
    assert len(first) == 31
    assert first["first_date"].min() == pd.Timestamp("2021-05-21")
    assert first.attrs["unassigned_speech_ids"] == ["x-01", "x-02"]
    assert unassigned_statements(speeches)["speech_id"].tolist() == ["x-01", "x-02"]
    assert "x-01" not in set(provincial_statements(speeches)["speech_id"])
    assert first_actions(synthetic).attrs["unassigned_speech_ids"] == []


def test_occasion_type_is_classified_when_missing(synthetic: pd.DataFrame) -> None:
    statements = provincial_statements(synthetic)
    assert "occasion_type" in statements
    assert statements.set_index("speech_id").loc["003_a-01", "occasion_type"] == "inspection_visit"
    given = synthetic.assign(occasion_type="leading_group")
    assert (provincial_statements(given)["occasion_type"] == "leading_group").all()


def test_statements_by_province_keeps_every_provincial_row(synthetic: pd.DataFrame) -> None:
    dots = statements_by_province(synthetic)
    assert len(dots) == 7
    assert dots["province"].iloc[0] == "浙江"
    assert set(dots.loc[dots["province"] == "山西", "date"]) == {
        pd.Timestamp("2021-07-22"), pd.Timestamp("2021-12-27")
    }
    assert dots["region"].notna().all()


def test_diffusion_curve_counts_provinces(synthetic: pd.DataFrame) -> None:
    curve = diffusion_curve(first_actions(synthetic))
    assert curve["n_acted"].tolist() == [1, 2, 3]
    assert curve["date"].is_monotonic_increasing
    assert curve["share_acted"].iloc[-1] == pytest.approx(3 / 31)


def test_real_corpus_first_actions() -> None:
    corpus = pytest.importorskip("shuangtan.corpus")
    speeches = corpus.load_speeches()
    first = first_actions(speeches)
    assert len(first) == 31
    assert first["first_date"].notna().all()
    shanxi = row(first, "山西")
    assert shanxi["doc_id"].startswith("004")
    assert shanxi["first_date"] == pd.Timestamp("2021-07-22")
    zhejiang = row(first, "浙江")
    assert zhejiang["doc_id"].startswith("002")
    assert zhejiang["first_date"] == pd.Timestamp("2021-05-21")
    assert first["n_statements"].sum() == (speeches["level"] == "provincial").sum()


def test_label_rows_separate_close_dates() -> None:
    dates = [pd.Timestamp(d) for d in ("2021-03-05", "2021-03-15", "2021-04-30", "2021-10-24",
                                       "2021-10-26")]
    assert label_rows(dates, 45) == [0, 1, 0, 0, 1]
    assert label_rows(dates, 1) == [0, 0, 0, 0, 0]
    # A long first label pushes the next two labels up; a short one lets them share row 0.
    assert label_rows(dates[:3], [60, 10, 10]) == [0, 1, 1]
    assert label_rows(dates[:3], [5, 10, 10]) == [0, 0, 0]


# --------------------------------------------------------------------------- window, reprints, summary

from shuangtan import timeline  # noqa: E402


def test_window_covers_every_date_with_padding() -> None:
    dates = pd.Series(pd.to_datetime(["2019-06-05", None, "2025-12-30"]))
    start, end = timeline.window(dates)
    assert start == pd.Timestamp("2019-06-05") - pd.Timedelta(days=timeline.WINDOW_PADDING_DAYS)
    assert end == pd.Timestamp("2025-12-30") + pd.Timedelta(days=timeline.WINDOW_PADDING_DAYS)
    assert timeline.window(pd.Series([pd.NaT])) is None and timeline.window([]) is None


def test_reprints_count_once(synthetic: pd.DataFrame) -> None:
    reprinted = pd.concat([synthetic.assign(duplicate_of=""),
                           synthetic.iloc[[2]].assign(speech_id="009_r-01", doc_id="009_r", duplicate_of="003_a")])
    first = first_actions(reprinted)
    assert row(first, "北京")["n_statements"] == 2  # the reprint is not a third statement
    assert "009_r-01" not in set(statements_by_province(reprinted)["speech_id"])
    counts = timeline.statement_counts(reprinted).set_index("measure")["count"]
    assert counts["reprints of another document (counted once)"] == 1


def test_summary_of_a_small_corpus(synthetic: pd.DataFrame) -> None:
    sentences = timeline.summarize(synthetic, after=["un_pledge"], n_edge=5).sentences
    # 北京 2021-05-29, 浙江 2021-05-21, 山西 2021-07-22 dated; 西藏 only undated; one more undated 北京 row.
    assert sentences[0] == ("**3 of 31 provinces** have a dated statement in the corpus (7 provincial statements, "
                            "2 of them without a known date and left out).")
    assert sentences[1] == "First actions run from **2021-05-21** to **2021-07-22** (62 days)."
    assert "**In order:** 浙江 (Zhejiang, 2021-05-21), 北京 (Beijing, 2021-05-29), 山西 (Shanxi, 2021-07-22)." in sentences
    assert "Fewer than half of the 31 provinces (16) have a dated statement." in sentences
    assert any(s.startswith("No dated statement for 28 provinces") for s in sentences)
    assert not any("First 5" in s for s in sentences), "no 'first five' when only three acted"


def test_summary_without_provincial_statements(synthetic: pd.DataFrame) -> None:
    central = synthetic[synthetic["level"] == "central"]
    assert timeline.summarize(central).sentences == [
        "The corpus holds no provincial statement naming one of the 31 provinces, so there is no timeline to draw."]


def test_first_actions_view_and_occasions_table(synthetic: pd.DataFrame) -> None:
    view = timeline.first_actions_view(first_actions(synthetic))
    assert len(view) == 31 and view.loc[view["province"] == "浙江", "first_date"].item() == "2021-05-21"
    table = timeline.occasions_by_quarter(statements_by_province(synthetic))
    assert table.iloc[-1]["total"] == 5  # dated provincial statements
    assert timeline.occasions_by_quarter(statements_by_province(synthetic.iloc[0:0])).empty
