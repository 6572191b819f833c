"""Why a category was proposed for a text: the words that point to it and the past report
(example) most like the text. Stored with the report, shown to the coordinator (`/lihat`, the
API), so that a wrong proposal can be fixed by a synonym."""

from __future__ import annotations

import json
from dataclasses import dataclass

from core.matching.categories import ChoiceMatcher

MAX_WORDS = 5
EXAMPLE_CHARS = 120


@dataclass(frozen=True, slots=True)
class CategoryReason:
    words: tuple[str, ...]  # words of the text that point to the category, as matching reads them
    example: str | None  # the category's example text most like the text

    def to_json(self) -> str:
        return json.dumps({"words": list(self.words), "example": self.example}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | None) -> CategoryReason | None:
        if not raw:
            return None
        data = json.loads(raw)
        return cls(tuple(str(w) for w in data.get("words", ())), data.get("example"))


def explain(matcher: ChoiceMatcher, text: str, category: str) -> CategoryReason | None:
    """The evidence for `category` in `text`, or None when there is none."""
    words = tuple(matcher.words_for(text, category)[:MAX_WORDS])
    example = matcher.examples.nearest(text, category)
    if example is not None and len(example) > EXAMPLE_CHARS:
        example = example[: EXAMPLE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    if not words and example is None:
        return None
    return CategoryReason(words, example)
