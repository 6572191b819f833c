"""What the fuzz tests tried, by route and answer, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[tuple[str, int]] = Counter()


def summary() -> list[str]:
    routes = sorted({route for route, _ in TRIED})
    lines = []
    for route in routes:
        answers = {status: n for (r, status), n in sorted(TRIED.items()) if r == route}
        lines.append(f"{route}: {sum(answers.values())} bodies, answers {answers}")
    lines.append(f"total: {sum(TRIED.values())} bodies, "
                 f"5xx: {sum(n for (_, s), n in TRIED.items() if s >= 500)}")
    return lines
