"""The shape every analysis summary shares: key numbers and the sentences that report them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Findings:
    """An analysis's key numbers (``figures``) and the sentences that report them, computed from the data."""

    figures: dict[str, object]
    sentences: list[str]

    @property
    def markdown(self) -> str:
        """Return the sentences as a Markdown bullet list."""
        return "\n".join(f"- {sentence}" for sentence in self.sentences)
