"""Topics outside the city's authority (PLN, BPJS, police, …): who handles them instead."""

from __future__ import annotations

from core.directory.model import Directory, OutOfAuthority
from core.matching.words import normalise


def outside_authority(text: str, directory: Directory) -> OutOfAuthority | None:
    """The first directory topic whose pattern appears in `text` as whole words."""
    padded = f" {normalise(text)} "
    for topic in directory.out_of_authority:
        if any(f" {normalise(pattern)} " in padded for pattern in topic.patterns):
            return topic
    return None
