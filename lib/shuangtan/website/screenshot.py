"""Headless-Chromium screenshots of local pages, to check the site by eye (``make screenshots``)."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .execute import RenderError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str:
    """Return the path of a Chromium/Chrome executable ($CHROMIUM first); raise RenderError if none."""
    for name in (os.environ.get("CHROMIUM"), *CHROMIUM_NAMES):
        found = shutil.which(name) if name else None
        if found:
            return found
    raise RenderError("no chromium found: install it (apt-get install chromium) or set $CHROMIUM")


def fontconfig_file(folder: str | os.PathLike[str]) -> Path:
    """Write a fontconfig file in `folder` adding the project's CJK font to the system fonts; return its path.

    Browsers on Linux find fonts through fontconfig; this lets a screenshot show Chinese text
    on a machine without CJK system fonts, as the reader's own computer would.
    """
    from ..fonts import font_path

    folder = Path(folder)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{html.escape(str(font_path().parent))}</dir>\n"
        f"  <cachedir>{html.escape(str(folder / 'fontconfig-cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def screenshot(
    page: str | os.PathLike[str], out_png: str | os.PathLike[str], width: int = 1280, height: int = 2400
) -> Path:
    """Save a headless-Chromium screenshot of a local HTML page with a throwaway profile; return the PNG path."""
    target = Path(out_png).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuangtan-chromium-") as profile:
        command = [
            find_chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
            Path(page).resolve().as_uri(),
        ]
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(profile)))
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    if result.returncode != 0 or not target.exists():
        raise RenderError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return target
