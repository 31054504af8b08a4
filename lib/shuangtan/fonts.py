"""The CJK font the project ships with (no matplotlib here): used by figures and by web pages.

Noto Sans SC (SIL Open Font License 1.1) comes from the pip package ``pylopdf-fonts-zh-cn``, so
Chinese renders on a machine with no system CJK font and nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path


def font_path() -> Path:
    """Return the path of the Noto Sans SC .otf file shipped by pylopdf-fonts-zh-cn."""
    from pylopdf_fonts_zh_cn import sans_path

    return Path(sans_path())
