"""What a corpus holds and what cleaning did: the tables and the Summary of the corpus-overview notebook.

Every function takes the three tables of ``shuangtan.corpus`` (documents, speeches, quality) and
works on any corpus, including an empty folder: what cannot be computed is not said.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .files import read_document, split_front_matter
from .paths import outputs_dir

# Columns of the speeches table shown in the overview, when present.
SPEECH_VIEW = ["speech_id", "level", "province", "region", "date", "date_source", "speaker", "speaker_source",
               "speaker_role", "occasion", "occasion_type", "n_chars"]
# Cleaning steps named in the Summary: (quality-report checks, what the sentence calls them).
STEP_NAMES = {
    "pinyin": "pinyin annotations removed",
    "t2s": "characters converted to simplified",
    "mojibake": "garbled (mojibake) spans found",
    "corrections": "curated corrections applied",
    "repeated_sentences": "repeated sentences removed",
    "near_duplicate_sentences": "near-duplicate sentences removed",
}


@dataclass
class OverviewSummary:
    """The corpus's key numbers (``table``: measure, value) and the sentences that report them."""

    table: pd.DataFrame
    sentences: list[str]

    @property
    def figures(self) -> dict[str, int]:
        """Return the key numbers by measure."""
        return dict(zip(self.table["measure"], self.table["value"]))

    @property
    def markdown(self) -> str:
        """Return the sentences as a Markdown bullet list."""
        return "\n".join(f"- {sentence}" for sentence in self.sentences)


def document_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the documents table without the clean text and the hash (one row per file)."""
    return documents.drop(columns=[c for c in ("text", "sha1") if c in documents])


def cleaning_steps(quality: pd.DataFrame) -> pd.DataFrame:
    """Return one row per cleaning step (info rows of the quality report): documents it changed, total count."""
    steps = quality[quality["severity"] == "info"].assign(count=lambda q: pd.to_numeric(q["count"]).fillna(0))
    totals = steps.groupby("check", sort=False)["count"].sum()
    changed = steps[steps["count"] > 0].groupby("check")["doc_id"].nunique()
    table = pd.DataFrame({"step": totals.index, "documents changed": changed.reindex(totals.index).fillna(0).to_numpy(),
                          "total": totals.to_numpy()})
    return table.astype({"documents changed": int, "total": int})


def before_after(documents: pd.DataFrame, folder: str | Path, n_docs: int = 10, n_chars: int = 120) -> pd.DataFrame:
    """Return the opening of the raw file (after front matter) and of the clean text of the first n_docs documents."""
    rows = []
    for row in documents[documents["status"] == "ok"].head(n_docs).itertuples():
        raw = read_document(Path(folder) / Path(row.path).name)
        _, body, _ = split_front_matter(raw.text)
        rows.append({"doc_id": row.doc_id, "before": _opening(body, n_chars), "after": _opening(row.text, n_chars)})
    return pd.DataFrame(rows, columns=["doc_id", "before", "after"])


def _opening(text: str, n: int) -> str:
    """Return the first n characters of a text on one line."""
    return " ".join(str(text).split())[:n]


def speech_table(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the speeches table's descriptive columns (no text)."""
    return speeches[[c for c in SPEECH_VIEW if c in speeches]]


def doubts(quality: pd.DataFrame) -> pd.DataFrame:
    """Return the warnings and errors of the quality report."""
    columns = ["doc_id", "check", "severity", "position", "span", "message"]
    return quality.loc[quality["severity"] != "info", columns].reset_index(drop=True)


def metadata_facts(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the statements whose date or speaker came from metadata.csv, with the source note."""
    from_metadata = (speeches["date_source"] == "metadata") | (speeches["speaker_source"] == "metadata")
    columns = ["speech_id", "province", "date", "date_source", "date_note", "speaker", "speaker_source"]
    return speeches.loc[from_metadata, columns].reset_index(drop=True)


def summarize(documents: pd.DataFrame, speeches: pd.DataFrame, quality: pd.DataFrame) -> OverviewSummary:
    """Return the corpus's key numbers and the sentences reporting them (true on any corpus, even an empty one)."""
    steps = cleaning_steps(quality).set_index("step")["total"]
    reprints = int((documents["duplicate_of"].fillna("") != "").sum()) if "duplicate_of" in documents else 0
    values = {
        "files in the corpus folder": len(documents),
        "documents loaded": int((documents["status"] == "ok").sum()),
        "files with errors": int((documents["status"] == "error").sum()),
        "reprints of another document": reprints,
        "statements (speeches table)": len(speeches),
        "provincial statements": int((speeches["level"] == "provincial").sum()),
        "provinces covered": int(speeches["province"].nunique()),
        "central statements": int((speeches["level"] == "central").sum()),
        "statements without a date": int(speeches["date"].isna().sum()),
        "dates completed from metadata.csv": int((speeches["date_source"] == "metadata").sum()),
        **{name: int(steps.get(check, 0)) for check, name in STEP_NAMES.items()},
        "passages shared between documents (reports)": int((quality["check"] == "shared_passage").sum()),
    }
    table = pd.DataFrame(list(values.items()), columns=["measure", "value"])
    return OverviewSummary(table, _sentences(values, speeches, quality))


def _sentences(v: dict[str, int], speeches: pd.DataFrame, quality: pd.DataFrame) -> list[str]:
    """Return the Summary sentences for the key numbers (only what was found is said)."""
    if v["files in the corpus folder"] == 0:
        errors = quality.loc[quality["severity"] == "error", "message"].tolist()
        return [errors[0] if errors else "The corpus folder holds no documents: there is nothing to analyse. "
                "Put .txt, .md or .html files in it and run the notebook again."]
    files = (f"The folder holds **{v['files in the corpus folder']}** files: **{v['documents loaded']}** loaded"
             + (f" and **{v['files with errors']}** could not be read (see the documents table for the reason)."
                if v["files with errors"] else "."))
    if v["reprints of another document"]:
        files += f" {v['reprints of another document']} are reprints of another document and count once."
    sentences = [files]
    if not v["statements (speeches table)"]:
        sentences.append("No statement was found in the documents, so the later notebooks have nothing to analyse.")
        return sentences
    dated = speeches["date"].dropna()
    text = (f"They yield **{v['statements (speeches table)']}** statements: **{v['provincial statements']}** "
            f"provincial ones covering **{v['provinces covered']}** provinces and **{v['central statements']}** "
            "central ones")
    if len(dated):
        first, last = dated.min(), dated.max()
        text += f", dated {f'from **{first:%Y-%m-%d}** to **{last:%Y-%m-%d}**' if first != last else f'**{first:%Y-%m-%d}**'}"
    text += (f"; **{v['statements without a date']}** have no known date." if v["statements without a date"]
             else "; every statement has a date.")
    if v["dates completed from metadata.csv"]:
        text += f" {v['dates completed from metadata.csv']} dates needed a fact from `metadata.csv`."
    sentences.append(text)
    changes = [f"{v[name]} {name}" for name in STEP_NAMES.values() if v[name]]
    sentences.append("Cleaning: " + "; ".join(changes) + "." if changes
                     else "Cleaning changed none of the counted features (pinyin, traditional characters, "
                          "garbled spans, corrections, repeated sentences).")
    if v["passages shared between documents (reports)"]:
        sentences.append(f"{v['passages shared between documents (reports)']} reports of passages shared between "
                         "documents point to texts that copy each other (kept in both).")
    return sentences


def write_summary(summary: OverviewSummary, name: str = "00-corpus-summary.csv") -> Path:
    """Write the key numbers as CSV (UTF-8 with BOM, for Excel) under outputs/tables/ and return the path."""
    folder = outputs_dir() / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    summary.table.to_csv(path, index=False, encoding="utf-8-sig")
    return path
