"""YAML that cannot blow up: a SafeLoader that refuses aliases, and a size-capped reader for data files.

An alias (``*name``) lets a few bytes expand into gigabytes (an "alias bomb"); refusing aliases while
the document is composed costs nothing and means nothing is ever expanded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

# Largest YAML data file read (dictionaries of instruments, formulas …).
MAX_YAML_BYTES = 1_000_000


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that raises a ComposerError at the first alias instead of expanding it."""

    alias_problem = "YAML aliases (*name) are not allowed"

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, self.alias_problem, self.peek_event().start_mark)
        return super().compose_node(parent, index)


def read_yaml(path: str | os.PathLike[str], *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Return the data of a small YAML file, parsed once with :class:`NoAliasLoader`.

    Refuses (ValueError) files larger than max_bytes, files using aliases and invalid YAML.
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{path.name}: {size:,} bytes, more than the {max_bytes:,} allowed for a YAML data file")
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=NoAliasLoader)  # noqa: S506 (safe loader)
    except yaml.composer.ComposerError as error:
        if error.problem == NoAliasLoader.alias_problem:
            raise ValueError(f"{path.name}: YAML aliases (*name) are not allowed in data files") from error
        raise ValueError(f"{path.name}: not valid YAML: {error}") from error
    except yaml.YAMLError as error:
        raise ValueError(f"{path.name}: not valid YAML: {error}") from error
