"""Show tables and figures in a notebook so that the rendered site is readable and every result downloadable.

``show_table(frame, name)`` displays a table the way a reader wants it (no 0-based index, blanks for
missing values, Chinese left-aligned, headers in words, wide tables scrolling inside their box) and
always writes the *whole* table as CSV (UTF-8 with BOM, cells guarded against formula injection by ``shuangtan.export``).
``show_figure(fig, name, alt)`` displays a matplotlib figure with alt text and saves it as PNG and SVG.

Files go to ``<page files>/tables/<page>-<name>.csv`` and ``<page files>/figures/<page>-<name>.{png,svg}``
(see ``shuangtan.paths.page_files_dir``): inside ``outputs/html/`` when the site is built, so a
zipped site carries them, else under ``outputs/notebook-files/``. Output is deterministic: fixed
Styler ids, no dates in the SVG or PNG metadata.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from .paths import SITE_FILES_ENV, page_files_dir, page_stem

LONG_TEXT = 160  # characters shown of a longer text cell (the CSV keeps all of it)
SHORT_LABEL = 24  # a text column whose cells are all this short is never wrapped
FIGURE_DPI = 150
SCREEN_DPI = 100
HEADER_WORDS = {
    "doc_id": "document", "speech_id": "statement", "n_chars": "characters", "n_raw_chars": "raw characters",
    "n_speeches": "statements", "province_code": "province code", "sha1": "SHA-1",
}
TABLE_CSS = (  # selectors stronger than JupyterLab's `.jp-RenderedHTMLCommon td` (right-aligned)
    "<style>.shuangtan-table-box{overflow-x:auto;max-width:100%;margin:0.5em 0}"
    ".shuangtan-table-box table.shuangtan-table{border-collapse:collapse;font-size:0.9em;table-layout:auto}"
    ".shuangtan-table-box table.shuangtan-table th,.shuangtan-table-box table.shuangtan-table td"
    "{text-align:left;vertical-align:top;padding:0.25em 0.6em;max-width:30em;white-space:normal;"
    "overflow-wrap:break-word;word-break:normal}"
    # Chinese may break after any character: without a floor a crowded table squeezes it to one a line.
    ".shuangtan-table-box table.shuangtan-table td:not(.shuangtan-nowrap):not(.shuangtan-number){min-width:12em}"
    ".shuangtan-table-box table.shuangtan-table th,.shuangtan-table-box table.shuangtan-table td.shuangtan-nowrap"
    "{white-space:nowrap}"
    ".shuangtan-table-box table.shuangtan-table td.shuangtan-number{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".shuangtan-table-box table.shuangtan-table caption{caption-side:top;text-align:left;font-weight:600;padding:0.3em 0}"
    ".shuangtan-download{font-size:0.85em;color:#57606a;margin:0.2em 0 1em 0}</style>"
)


def file_slug(name: str) -> str:
    """Return `name` made safe as part of a file name (letters, digits, Han, '.', '_' and '-')."""
    slug = re.sub(r"[^\w.-]+", "-", str(name), flags=re.UNICODE).strip("-.")
    return slug or "item"


def write_table_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the table as formula-guarded UTF-8-with-BOM CSV (dates as YYYY-MM-DD, no index); return the path."""
    from .export import write_csv

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(frame, target)


def without_default_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with a meaningful index turned into columns and a 0..n-1 index dropped."""
    index = frame.index
    plain = isinstance(index, pd.RangeIndex) and index.name is None and index.start == 0 and index.step == 1
    if plain:
        return frame
    if index.nlevels == 1 and index.name is None and pd.api.types.is_integer_dtype(index):
        return frame.reset_index(drop=True)
    return frame.reset_index()


def readable_header(column: Any) -> str:
    """Return a column name in words (escaped HTML): known names translated, underscores as spaces."""
    text = " / ".join(map(str, column)) if isinstance(column, tuple) else str(column)
    return html.escape(HEADER_WORDS.get(text, text.replace("_", " ")))


def _cell_formatter(series: pd.Series):
    """Return a function that shows one cell of `series` as escaped HTML: blank when missing, dates without midnight."""
    is_dates = pd.api.types.is_datetime64_any_dtype(series)
    date_only = is_dates and bool((series.dropna() == series.dropna().dt.normalize()).all())
    integral = pd.api.types.is_float_dtype(series) and bool((series.dropna() % 1 == 0).all())

    def show(value: Any) -> str:
        if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
            return ""
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d") if date_only else value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, float):
            return f"{value:,.0f}" if integral else f"{value:,.3g}" if abs(value) >= 1000 else f"{value:.3g}"
        text = str(value)
        return html.escape(text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…")

    return show


def cell_class(series: pd.Series) -> str:
    """Return the CSS class of a column's cells: numbers right-aligned, dates and short labels never wrapped."""
    if pd.api.types.is_bool_dtype(series):
        return ""
    if pd.api.types.is_numeric_dtype(series):
        return "shuangtan-number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "shuangtan-nowrap"
    lengths = series.dropna().astype(str).str.len()
    return "shuangtan-nowrap" if len(lengths) and lengths.max() <= SHORT_LABEL else ""


@dataclass
class TableView:
    """A table as shown in a notebook (HTML) with the path of its full CSV."""

    frame: pd.DataFrame
    html: str
    csv_path: Path
    file_name: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.html, "text/plain": self.frame.to_string(max_rows=20, max_colwidth=40)}
        return data, {"shuangtan": {"table": self.file_name}}


def _link_or_path(kind: str, file_name: str, path: Path) -> tuple[str, bool]:
    """Return the href of a page's file in the site (relative to the page) or its local path outside a build."""
    if os.environ.get(SITE_FILES_ENV):
        return f"{kind}/{file_name}", True
    return str(path), False


def show_table(frame: pd.DataFrame, name: str, *, caption: str | None = None, top: int | None = None) -> TableView:
    """Return a display object for the table's first ``top`` rows (all when None) and write the whole table as CSV.

    ``name`` names the CSV (``tables/<page>-<name>.csv``); a link under the table downloads it.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    full = without_default_index(frame)
    file_name = f"{file_slug(page_stem())}-{file_slug(name)}.csv"
    csv_path = write_table_csv(full, page_files_dir("tables") / file_name)
    shown = full if top is None else full.head(top)
    names = list(shown.columns)
    positional = shown.set_axis(range(len(names)), axis="columns")  # names may repeat; positions do not
    formatters = {i: _cell_formatter(positional[i]) for i in positional.columns}
    classes = {i: cell_class(positional[i]) for i in positional.columns}
    uuid = hashlib.sha1(file_name.encode("utf-8")).hexdigest()[:10]  # fixed: the same table gets the same ids
    styler = Styler(positional, uuid=uuid, cell_ids=False)
    styler = styler.hide(axis="index").format(formatters).format_index(
        lambda i: readable_header(names[i]), axis="columns")
    styler = styler.set_table_attributes('class="dataframe shuangtan-table"')
    if any(classes.values()) and len(positional):
        styler = styler.set_td_classes(pd.DataFrame(
            [[classes[i] for i in positional.columns]] * len(positional),
            index=positional.index, columns=positional.columns))
    if caption:
        styler = styler.set_caption(html.escape(caption))
    href, linked = _link_or_path("tables", file_name, csv_path)
    rows = len(full)
    shown_note = f"Showing the first {len(shown):,} of {rows:,} rows. " if len(shown) < rows else ""
    what = f"Download the whole table as CSV ({rows:,} rows, UTF-8)"
    link = (f'<a href="{html.escape(href)}" download>{what}</a>' if linked
            else f"{what}: saved to <code>{html.escape(href)}</code>")
    page = (f'{TABLE_CSS}<div class="shuangtan-table-box" lang="zh-Hans">{styler.to_html()}</div>'
            f'<p class="shuangtan-download">{shown_note}{link}</p>')
    return TableView(frame=shown, html=page, csv_path=csv_path, file_name=file_name)


@dataclass
class FigureView:
    """A figure as shown in a notebook (an embedded PNG with alt text) with the paths of its PNG and SVG."""

    html: str
    alt: str
    png_path: Path
    svg_path: Path
    file_stem: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "text/plain": self.alt}, {"shuangtan": {"figure": self.file_stem, "alt": self.alt}}


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) in pixels of PNG bytes."""
    return struct.unpack(">II", data[16:24])


def tight_bbox(fig: Any, dpi: float = FIGURE_DPI) -> Any:
    """Return the figure's padded tight bounding box in inches, laid out (layout engine run once) at ``dpi``.

    This is what ``savefig(bbox_inches="tight")`` computes before every save; computing it once lets
    the PNG and the SVG share one layout instead of drawing the figure four times.
    """
    import matplotlib

    screen_dpi = fig.dpi
    fig.dpi = dpi
    try:
        engine = fig.get_layout_engine()
        if engine is None:
            fig.draw_without_rendering()  # places every text
        else:
            engine.execute(fig)  # places the axes; their text is measured on the way
        bbox = fig.get_tightbbox()
    finally:
        fig.dpi = screen_dpi
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return bbox.padded(pad, pad)


def save_figure(fig: Any, png_path: Path, svg_path: Path) -> bytes:
    """Save the figure as PNG and SVG without dates or random ids; return the PNG bytes.

    The layout and the tight bounding box are computed once (at the PNG's dpi) and shared by both files.
    """
    import matplotlib

    png_path.parent.mkdir(parents=True, exist_ok=True)
    no_layout = {"figure.autolayout": False, "figure.constrained_layout.use": False}
    with matplotlib.rc_context({"svg.hashsalt": "shuangtan", "svg.fonttype": "path", **no_layout}):
        bbox = tight_bbox(fig)
        engine = fig.get_layout_engine()
        fig.set_layout_engine(None)  # laid out above: saving must neither move anything nor draw it twice
        try:
            fig.savefig(png_path, format="png", dpi=FIGURE_DPI, bbox_inches=bbox, metadata={"Software": None})
            fig.savefig(svg_path, format="svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None})
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
    return png_path.read_bytes()


def show_figure(fig: Any, name: str, alt: str) -> FigureView:
    """Save the figure as ``figures/<page>-<name>.png`` and ``.svg``, close it, and return it for display with ``alt``.

    ``alt`` says in words what the figure shows (it becomes the image's alt text).
    """
    import matplotlib.pyplot as plt

    fig = getattr(fig, "figure", fig)  # an Axes (or anything with .figure) shows its figure
    stem = f"{file_slug(page_stem())}-{file_slug(name)}"
    folder = page_files_dir("figures")
    png_path, svg_path = folder / f"{stem}.png", folder / f"{stem}.svg"
    data = save_figure(fig, png_path, svg_path)
    plt.close(fig)
    width, _ = png_size(data)
    png_href, linked = _link_or_path("figures", png_path.name, png_path)
    svg_href, _ = _link_or_path("figures", svg_path.name, svg_path)
    if linked:
        links = (f'Download: <a href="{html.escape(png_href)}" download>PNG</a> · '
                 f'<a href="{html.escape(svg_href)}" download>SVG</a>')
    else:
        links = f"Saved to <code>{html.escape(png_href)}</code> and <code>.svg</code>"
    encoded = base64.b64encode(data).decode("ascii")
    page = (f'<figure class="shuangtan-figure" style="margin:0.5em 0 1em 0">'
            f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}" '
            f'width="{round(width * SCREEN_DPI / FIGURE_DPI)}" style="max-width:100%;height:auto">'
            f'<figcaption class="shuangtan-download" style="font-size:0.85em;color:#57606a">{links}</figcaption></figure>')
    return FigureView(html=page, alt=alt, png_path=png_path, svg_path=svg_path, file_stem=stem)
