"""Percentages in a sentence (or shares said in words), with the hedge that qualifies them ("more than 60%")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract.lexicon import lexicon

_PERCENT = re.compile(r"(?P<num>\d{1,3}(?:\.\d+)?)\s*(?:%|per\s?cent\b|percent\b|pct\b|pc\b)", re.I)

@dataclass(frozen=True)
class Percent:
    start: int
    end: int
    value: float
    qualifier: str  # = > ~ <


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def find_percents(text: str) -> list[Percent]:
    quals = {k: v for k, v in lexicon()["share_qualifiers"].items() if not k.startswith("_")}
    out = []
    for m in _PERCENT.finditer(text):
        before = text[max(0, m.start() - 25): m.start()].lower().rstrip()
        qualifier = "="
        for phrase, q in sorted(quals.items(), key=lambda kv: -len(kv[0])):
            if re.search(r"(?:^|\W)" + re.escape(phrase) + r"$", before):
                qualifier = q
                break
        out.append(Percent(m.start(), m.end(), _number(float(m.group("num"))), qualifier))
    out += _fraction_shares(text, {k: v for k, v in lexicon()["share_fractions"].items() if not k.startswith("_")})
    return sorted(out, key=lambda p: p.start)


def _fraction_shares(text: str, fractions: dict) -> list[Percent]:
    """'two-thirds of the world's cobalt', 'nearly all of it': a share said in words, as a percent."""
    if not fractions:
        return []
    key = tuple(sorted(fractions))
    pattern = _FRACTION_CACHE.get(key)
    if pattern is None:
        alts = "|".join(re.escape(k) for k in sorted(fractions, key=len, reverse=True))
        pattern = _FRACTION_CACHE[key] = re.compile(r"\b(?:" + alts + r")(?=\s+of\b)", re.I)
    out = []
    for m in pattern.finditer(text):
        word = m.group().lower()
        qualifier = "~" if word.split()[0] in ("nearly", "almost", "virtually") else "="
        out.append(Percent(m.start(), m.end(), fractions[word], qualifier))
    return out


_FRACTION_CACHE: dict = {}
