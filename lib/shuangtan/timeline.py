"""When each province first acted on the dual-carbon goals, measured against national milestones.

Inputs are the speeches table of :func:`shuangtan.corpus.load_speeches` (one row per dated
statement) and the milestones table shipped in ``data/milestones.csv``. Only provincial-level rows
naming one of the 31 provinces count; statements without a date (``date`` is NaT, e.g. a month and day whose year the source does
not give) are never dated by guesswork: they are left out of "earliest" and counted in
``n_undated``.

Milestone keys (used in the ``lag_days_<key>`` columns of :func:`first_actions`):

- ``un_pledge`` 2020-09-22: Xi Jinping's announcement at the UN General Assembly
- ``gov_work_report`` 2021-03-05: government work report to the NPC
- ``cfeac_9th`` 2021-03-15: 9th meeting of the Central Financial and Economic Affairs Commission
- ``politburo_29th`` 2021-04-30: Politburo collective study on ecological civilisation
- ``leading_group_1st`` 2021-05-26: first plenary of the central leading group
- ``carbon_market`` 2021-07-16: national carbon market starts trading
- ``opinions_1n`` 2021-10-24: CPC/State Council Opinions (the "1" of 1+N) published
- ``action_plan_2030`` 2021-10-26: State Council 2030 action plan published
- ``politburo_36th`` 2022-01-24: Politburo collective study on carbon peaking and neutrality

The ``source_note`` column of the milestones table says how each date was checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from .findings import Findings
from .occasions import classify_occasion
from .paths import DATA_DIR
from .places import provinces

MILESTONES_FILE = DATA_DIR / "milestones.csv"

# Milestones whose lag is reported when the caller does not choose: the pledge itself, the
# meeting that launched domestic implementation, and the first plenary of the central leading group.
DEFAULT_LAG_MILESTONES: tuple[str, ...] = ("un_pledge", "cfeac_9th", "leading_group_1st")

# Tie-breaking order among statements of one province (and among provinces with the same date).
_STATEMENT_ORDER = ["date", "doc_id", "speech_id"]

# Reference columns joined onto every province row.
_REFERENCE_COLUMNS = {
    "short_name": "province",
    "iso_code": "province_code",
    "english_name": "province_en",
    "region": "region",
    "region_en": "region_en",
}


@lru_cache(maxsize=1)
def _milestone_table() -> pd.DataFrame:
    table = pd.read_csv(MILESTONES_FILE, dtype=str, encoding="utf-8", keep_default_na=False)
    table["date"] = pd.to_datetime(table["date"], format="%Y-%m-%d")
    if table["key"].duplicated().any():
        raise ValueError(f"duplicate milestone keys in {MILESTONES_FILE.name}")
    return table.sort_values(["date", "key"], kind="stable").reset_index(drop=True)


def milestones() -> pd.DataFrame:
    """Return the national milestones: key, date (datetime64), label, event_zh, event_en, source_note."""
    return _milestone_table().copy()


def milestone_keys() -> list[str]:
    """Return the milestone keys in date order (the suffixes of the ``lag_days_`` columns)."""
    return _milestone_table()["key"].tolist()


def _reference() -> pd.DataFrame:
    return provinces()[list(_REFERENCE_COLUMNS)].rename(columns=_REFERENCE_COLUMNS)


def _is_assigned(speeches: pd.DataFrame) -> pd.Series:
    """Return a mask of provincial rows that name one of the 31 provinces by short name (reprints excluded)."""
    known = set(_reference()["province"])
    return (speeches["level"] == "provincial") & speeches["province"].isin(known) & ~is_reprint(speeches)


def is_reprint(speeches: pd.DataFrame) -> pd.Series:
    """Return a mask of rows that repeat another document (``duplicate_of`` set): they count once, as the original."""
    if "duplicate_of" not in speeches:
        return pd.Series(False, index=speeches.index)
    return speeches["duplicate_of"].fillna("").astype(str) != ""


def unassigned_statements(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the provincial-level rows whose province is missing or unknown (they never count)."""
    rows = speeches.loc[(speeches["level"] == "provincial") & ~_is_assigned(speeches) & ~is_reprint(speeches)]
    return rows.reset_index(drop=True)


def provincial_statements(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the provincial-level rows naming a known province, with region columns and occasion types.

    Provincial rows without a known province are left out; :func:`unassigned_statements` returns them.
    """
    rows = speeches.loc[_is_assigned(speeches)].copy()
    rows["date"] = pd.to_datetime(rows["date"])
    if "occasion_type" not in rows:
        rows["occasion_type"] = None
    missing_type = rows["occasion_type"].isna()
    rows.loc[missing_type, "occasion_type"] = rows.loc[missing_type, "occasion"].map(classify_occasion)
    rows = rows.drop(columns=[c for c in ("province_code", "region") if c in rows])
    rows = rows.merge(_reference(), on="province", how="left", validate="many_to_one")
    return rows.sort_values(_STATEMENT_ORDER, na_position="last", kind="stable").reset_index(drop=True)


def _lag_columns(
    first_dates: pd.Series, table: pd.DataFrame, after: Sequence[str]
) -> dict[str, pd.Series]:
    dates = dict(zip(table["key"], pd.to_datetime(table["date"]), strict=True))
    unknown = [key for key in after if key not in dates]
    if unknown:
        raise KeyError(f"unknown milestone keys {unknown}; valid keys: {sorted(dates)}")
    return {
        f"lag_days_{key}": (first_dates - dates[key]).dt.days.astype("Int64") for key in after
    }


def first_actions(
    speeches: pd.DataFrame,
    milestones: pd.DataFrame | None = None,
    *,
    after: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return one row per province (all 31) with its earliest dated statement and lags after milestones.

    The earliest statement is searched across all documents. Ties are broken by date, then
    doc_id, then speech_id. Provincial rows without a known province cannot count; their
    speech_ids are listed in ``result.attrs["unassigned_speech_ids"]``. Statements without a date are never chosen; they are counted in
    ``n_undated``. A province with no dated statement keeps its row with ``first_date`` NaT and a
    ``reason``. ``after`` chooses the milestone keys (default :data:`DEFAULT_LAG_MILESTONES`);
    ``lag_days_<key>`` is first_date minus the milestone date in days (negative: acted before).
    Rows are sorted by first_date (undated provinces last), then doc_id, speech_id, province_code.
    """
    table = _milestone_table() if milestones is None else milestones
    chosen = list(DEFAULT_LAG_MILESTONES if after is None else after)
    statements = provincial_statements(speeches)

    counts = statements.groupby("province").agg(
        n_statements=("speech_id", "size"),
        n_dated=("date", "count"),
        n_documents=("doc_id", "nunique"),
    )
    counts["n_undated"] = counts["n_statements"] - counts["n_dated"]
    earliest = (
        statements.dropna(subset=["date"])
        .groupby("province", sort=False)
        .head(1)  # statements are already sorted by date, doc_id, speech_id
        .set_index("province")
    )
    kept = [c for c in ("date", "date_source", "date_note", "speech_id", "doc_id", "speaker",
                        "speaker_role", "occasion", "occasion_type") if c in earliest]
    earliest = earliest[kept].rename(columns={"date": "first_date"})

    result = _reference().join(earliest, on="province").join(counts, on="province")
    for column in ("n_statements", "n_dated", "n_undated", "n_documents"):
        result[column] = result[column].fillna(0).astype(int)
    result["reason"] = None
    no_statement = result["n_statements"] == 0
    only_undated = (result["n_statements"] > 0) & result["first_date"].isna()
    result.loc[no_statement, "reason"] = "no statement in the corpus"
    result.loc[only_undated, "reason"] = result.loc[only_undated, "n_undated"].map(
        lambda n: f"{n} statement(s), none with a known date"
    )
    result["first_month"] = result["first_date"].dt.strftime("%Y-%m")
    for column, values in _lag_columns(result["first_date"], table, chosen).items():
        result[column] = values
    result = result.sort_values(
        ["first_date", "doc_id", "speech_id", "province_code"], na_position="last", kind="stable"
    ).reset_index(drop=True)
    result.insert(0, "rank", pd.array(range(1, len(result) + 1), dtype="Int64"))
    result.loc[result["first_date"].isna(), "rank"] = pd.NA
    result.attrs["unassigned_speech_ids"] = unassigned_statements(speeches)["speech_id"].tolist()
    return result


def statements_by_province(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return every provincial statement with its province's rank by first action (for dot timelines)."""
    statements = provincial_statements(speeches)
    order = first_actions(speeches, after=[])[["province", "rank", "first_date"]]
    return statements.merge(order, on="province", how="left", validate="many_to_one").sort_values(
        ["rank", "date", "doc_id", "speech_id"], na_position="last", kind="stable"
    ).reset_index(drop=True)


def label_rows(dates: Sequence[pd.Timestamp], widths_days: float | Sequence[float] = 45) -> list[int]:
    """Return a text row (0, 1, …) per date so that labels starting at the dates never overlap.

    A label starting at a date covers ``widths_days`` days to its right (one width for all, or one
    per label); each label goes to the lowest row whose previous label has ended.
    """
    widths = [widths_days] * len(dates) if isinstance(widths_days, int | float) else list(widths_days)
    row_ends: list[pd.Timestamp] = []
    rows = []
    for date, width in zip(dates, widths, strict=True):
        end = date + pd.Timedelta(days=float(width))
        for row, row_end in enumerate(row_ends):
            if date >= row_end:
                row_ends[row] = end
                rows.append(row)
                break
        else:
            row_ends.append(end)
            rows.append(len(row_ends) - 1)
    return rows


def diffusion_curve(first: pd.DataFrame) -> pd.DataFrame:
    """Return the cumulative number of provinces that have acted, one row per date with a first action."""
    dated = first.dropna(subset=["first_date"])
    per_day = dated.groupby("first_date").agg(
        n_new=("province", "size"), provinces=("province", lambda names: "、".join(names))
    )
    per_day["n_acted"] = per_day["n_new"].cumsum()
    per_day["share_acted"] = per_day["n_acted"] / len(first)
    return per_day.reset_index().rename(columns={"first_date": "date"})


# --------------------------------------------------------------------------- tables for the notebook


def statement_counts(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return how many statements count for the timeline and how many are set aside (measure, count)."""
    statements = provincial_statements(speeches)
    counts = {
        "statements (all levels)": len(speeches),
        "reprints of another document (counted once)": int(is_reprint(speeches).sum()),
        "provincial statements": len(statements),
        "provincial statements without a date": int(statements["date"].isna().sum()),
        "provincial statements naming no known province": len(unassigned_statements(speeches)),
        "documents with provincial statements": int(statements["doc_id"].nunique()),
        "provinces with a statement": int(statements["province"].nunique()),
    }
    return pd.DataFrame(list(counts.items()), columns=["measure", "count"])


def first_actions_view(first: pd.DataFrame) -> pd.DataFrame:
    """Return the first-actions table's readable columns (dates without time), one row per province."""
    lags = [column for column in first.columns if column.startswith("lag_days_")]
    columns = ["rank", "province", "province_en", "region_en", "first_date", "doc_id", "occasion_type",
               "n_statements", *lags, "reason"]
    view = first[[c for c in columns if c in first]].copy()
    view["first_date"] = view["first_date"].dt.strftime("%Y-%m-%d")
    return view


def occasions_by_quarter(statements: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the number of dated provincial statements per occasion type (rows) and quarter (columns)."""
    dated = statements.dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame(columns=["occasion"])
    labels = dated["occasion_type"].fillna("other").map(lambda t: (names or {}).get(t, t)).rename("occasion")
    table = pd.crosstab(labels, dated["date"].dt.to_period("Q").astype(str), margins=True, margins_name="total")
    return table.reset_index()


# --------------------------------------------------------------------------- chart window and summary

# Days added before the first and after the last date shown, so dots do not sit on the frame.
WINDOW_PADDING_DAYS = 20


def window(dates: Sequence[pd.Timestamp] | pd.Series, padding_days: int = WINDOW_PADDING_DAYS) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return (start, end) covering every given date with padding, or None when no date is known.

    Charts take their x-range from here, so no statement ever falls outside a fixed window.
    """
    known = pd.to_datetime(pd.Series(list(dates), dtype="datetime64[ns]")).dropna()
    if known.empty:
        return None
    pad = pd.Timedelta(days=padding_days)
    return known.min().normalize() - pad, known.max().normalize() + pad


class TimelineSummary(Findings):
    """The timeline's key numbers (``figures``) and the sentences that report them."""


def _listing(rows: pd.DataFrame) -> str:
    """Return 'province (English, date)' for each row, comma-separated."""
    return ", ".join(f"{r.province} ({r.province_en}, {r.first_date:%Y-%m-%d})" for r in rows.itertuples())


def _day_phrase(days: int, event: str) -> str:
    """Return '12 days after the X' / '3 days before the X' / 'on the day of the X'."""
    if days == 0:
        return f"on the day of the {event}"
    return f"{abs(days)} days {'after' if days > 0 else 'before'} the {event}"


def summarize(
    speeches: pd.DataFrame, *, after: Sequence[str] | None = None, n_edge: int = 5,
    occasion_names: dict[str, str] | None = None,
) -> TimelineSummary:
    """Return the timeline summary computed from the speeches: only what the data supports is said."""
    first = first_actions(speeches, after=after)
    statements = provincial_statements(speeches)
    events = _milestone_table().set_index("key")
    acted = first.dropna(subset=["first_date"])
    n_undated = int(first["n_undated"].sum())
    figures: dict[str, object] = {"provinces": len(first), "acted": len(acted), "undated_statements": n_undated,
                                  "statements": len(statements)}
    if statements.empty:
        return TimelineSummary(figures, ["The corpus holds no provincial statement naming one of the 31 provinces, "
                                         "so there is no timeline to draw."])
    undated = f"{n_undated} of them without a known date and left out" if n_undated else "all of them dated"
    sentences = [f"**{len(acted)} of {len(first)} provinces** have a dated statement in the corpus "
                 f"({len(statements)} provincial statements, {undated})."]
    if acted.empty:
        sentences.append("No provincial statement has a known date, so no first action can be placed in time.")
        return TimelineSummary(figures, sentences)
    start, end = acted["first_date"].min(), acted["first_date"].max()
    figures.update(first_date=start, last_first_date=end)
    span = (end - start).days
    sentences.append(f"First actions run from **{start:%Y-%m-%d}** to **{end:%Y-%m-%d}**"
                     + (f" ({span} days)." if span else " (all on one day)."))
    chosen = list(DEFAULT_LAG_MILESTONES if after is None else after)
    lags = []
    for key in chosen:
        values = acted[f"lag_days_{key}"].dropna().astype(int)
        before = int((values < 0).sum())
        lags.append(f"{events.loc[key, 'label']}: median {values.median():+.0f} days"
                    + (f", {before} of {len(values)} provinces before it" if before else ""))
    if lags:
        sentences.append("Lag of the first actions after each milestone (negative: before it): " + "; ".join(lags) + ".")
    if len(acted) > 2 * n_edge:
        sentences.append(f"**First {n_edge}:** {_listing(acted.head(n_edge))}.")
        sentences.append(f"**Last {n_edge}:** {_listing(acted.tail(n_edge))}.")
    else:
        sentences.append(f"**In order:** {_listing(acted)}.")
    per_document = statements["doc_id"].value_counts().sort_index()
    if len(per_document) > 1 and per_document.max() > 1:
        main_doc = per_document.idxmax()
        elsewhere = acted[acted["doc_id"] != main_doc]
        verb = "comes" if len(elsewhere) == 1 else "come"
        sentences.append(f"{len(elsewhere)} of {len(acted)} first actions {verb} from a document other than "
                         f"`{main_doc}` (the one with most provincial statements).")
    by_region = acted.groupby("region_en")["first_date"].median().sort_values()
    if len(by_region) > 1:
        sentences.append("Median first-action date by region: "
                         + "; ".join(f"{region} {date:%Y-%m-%d}" for region, date in by_region.items()) + ".")
    names = occasion_names or {}
    types = acted["occasion_type"].fillna("other").map(lambda t: names.get(t, t)).value_counts()
    types = types.rename_axis("type").reset_index().sort_values(["count", "type"], ascending=[False, True])
    sentences.append("Occasions of the first actions: "
                     + "; ".join(f"{row.type} {row.count}" for row in types.itertuples()) + ".")
    half = len(first) // 2 + 1
    if len(acted) >= half:
        half_date = acted["first_date"].sort_values().iloc[half - 1]
        sentences.append(f"Half of the {len(first)} provinces ({half}) had acted by **{half_date:%Y-%m-%d}**.")
    else:
        sentences.append(f"Fewer than half of the {len(first)} provinces ({half}) have a dated statement.")
    silent = first[first["first_date"].isna()]
    if len(silent):
        shown = "、".join(silent["province"].head(12)) + (f" and {len(silent) - 12} more" if len(silent) > 12 else "")
        sentences.append(f"No dated statement for {len(silent)} provinces: {shown}.")
    sentences.append("A first action is the earliest dated statement *in this corpus*: it is an upper bound on "
                     "when a province first spoke about the goals.")
    return TimelineSummary(figures, sentences)
