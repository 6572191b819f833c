"""Learning from the coordinator: the texts of reports whose category a coordinator confirmed
(verified as filed, or re-categorised) become examples for the next directory load, masked as
`aduan export --format examples` masks them, the most recent first, capped per category."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from core.directory.model import Example

EXAMPLE_MAX_CHARS = 300
EXAMPLE_MIN_CHARS = 10
MASK = "…"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\+?\d(?:[ .-]?\d){5,}")  # phone numbers ("+62 812-3456-7890"), NIK


def example_text(description: str) -> str | None:
    """The description on one line with e-mail addresses and long numbers masked, cut at a word
    to at most 300 characters; None when too little is left to learn from."""
    text = _DIGITS.sub(MASK, _EMAIL.sub(MASK, " ".join(description.split())))
    if len(text) > EXAMPLE_MAX_CHARS:
        cut = text.rfind(" ", 0, EXAMPLE_MAX_CHARS + 1)
        text = text[:cut] if cut > 0 else ""
    return text if len(text) >= EXAMPLE_MIN_CHARS else None


def learned_examples(confirmed: Iterable[tuple[str, str]], per_category: int,
                     known: Collection[str], existing: Iterable[Example] = ()) -> tuple[Example, ...]:
    """Examples from (category, description) pairs, most recently confirmed first: masked, at
    most `per_category` per category, each text once and none the directory already has, only
    categories in `known`."""
    seen = {" ".join(e.text.casefold().split()) for e in existing}
    count: dict[str, int] = defaultdict(int)
    found: list[Example] = []
    for category, description in confirmed:
        if category not in known or count[category] >= per_category:
            continue
        text = example_text(description)
        if text is None or (key := text.casefold()) in seen:
            continue
        seen.add(key)
        count[category] += 1
        found.append(Example(category, text))
    return tuple(found)
