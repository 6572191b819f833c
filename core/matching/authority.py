"""Topics outside the city's authority (PLN, BPJS, police, …): which one a text is about, and
who handles it instead. Matched as categories are (`core.matching.categories.propose`)."""

from __future__ import annotations

from core.directory.model import Directory, OutOfAuthority
from core.matching.categories import ChoiceMatcher, propose


def outside_authority(text: str, matcher: ChoiceMatcher, directory: Directory) -> OutOfAuthority | None:
    """The directory topic the text is about, when it is not the city's matter."""
    return topic(propose(matcher, text).outside, directory)


def topic(code: str | None, directory: Directory) -> OutOfAuthority | None:
    """The directory's topic with this code, if any."""
    return next((t for t in directory.out_of_authority if t.code == code), None)
