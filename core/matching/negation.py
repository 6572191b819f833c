"""Words a text says are *not* the problem, left out when a phrase must be said in order (a
topic outside the city's authority, the what of a title): "bukan jalan provinsi" (not a
provincial road), "listrik di rumah aman" (the electricity at home is fine), "rumah tetangga
menyala" (the neighbours' houses have light). Stories often rule one matter out to name
another: the street light is out, the house's electricity is fine. A mistaken first belief is
ruled out too: "saya kira listrik PLN padam, ternyata rumah-rumah nyala" (I thought it was a
power cut; it turns out the houses have light)."""

from __future__ import annotations

from collections.abc import Sequence

# "not (a) …": the next content words are ruled out.
NEGATORS = frozenset({"bukan", "not", "never"})
# "… is fine": the content words just before are ruled out.
FINE = frozenset({"aman", "normal", "nyala", "menyala", "lancar", "fine", "ok", "oke",
                  "baik", "terang", "hidup"})
WINDOW = 2  # content words ruled out by one negator or one "fine"
# "I thought …, (but) it turns out …": what was thought is ruled out, when the turn follows.
BELIEVED = frozenset({"kira", "kirain", "sangka", "nyangka", "disangka", "ingat", "pikir", "thought",
                      "kiro", "kiroin", "nyono"})
TURNED = frozenset({"ternyata", "rupanya", "rupe", "rupa", "ruponyo", "ternyato", "jebule",
                    "jebul", "turns", "turned", "actually", "but"})
BELIEF_WINDOW = 8  # content words between the belief and its turn at most
# "fine" said not to be so ("belum nyala": not on yet) is no "fine": read before stop words go.
NOT_YET = frozenset({"belum", "blm", "tidak", "tdk", "gak", "ga", "nggak", "ngga", "enggak", "tak",
                     "ndak", "indak", "ora", "dak", "not", "never", "no"})
# "fine" next to its opposite is a fault: "mati urip terus" (Javanese: off and on all the time).
OPPOSITE = frozenset({"mati", "padam", "off", "gelap", "putus"})


def not_fine(word: str, previous: str) -> bool:
    """Whether a "fine" word is negated by the word before it ("belum nyala")."""
    return word in FINE and previous in NOT_YET


def without_denied(words: Sequence[str]) -> list[str]:
    """The content words less those said not to be the problem, and less the negating words
    themselves; all of them when that would leave none."""
    denied: set[int] = set()
    for at, word in enumerate(words):
        if word in BELIEVED:
            turn = next((i for i in range(at + 1, min(len(words), at + BELIEF_WINDOW + 2))
                         if words[i] in TURNED), None)
            if turn is not None:
                denied.update(range(at, turn + 1))
        elif word in NEGATORS:
            denied.update(range(at, min(len(words), at + WINDOW + 1)))
        elif word in FINE and not OPPOSITE & set(words[max(0, at - 1):at + 2]):
            denied.update(range(max(0, at - WINDOW), at + 1))
    kept = [word for at, word in enumerate(words) if at not in denied]
    return kept or list(words)
