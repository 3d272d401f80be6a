"""Linking a name found in text to one entity of the gazetteer, or to nothing.

A wrong link is worse than none: every candidate gets a score, and below `MIN_SCORE` (or when two
entities tie) the answer is the explicit `NO_MATCH`, so the caller mints a new node or drops the
name instead of attaching a fact to the wrong entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graph.extract.gazetteer import Entry, Gazetteer, norm, singular_key
from graph.extract.lexicon import lexicon
from graph.namespaces import entity_iri

MIN_SCORE = 0.8
_MINOR = {"of", "and", "the", "for", "in", "on", "&"}


@dataclass(frozen=True)
class Link:
    entry: Entry | None
    score: float

    def __bool__(self) -> bool:
        return self.entry is not None


NO_MATCH = Link(None, 0.0)


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> frozenset[str]:
    """Significant singular words of a name. Memoised: `link` compares a name with the words of every
    label of the gazetteer, which would otherwise be normalised again on every call."""
    return frozenset(w for w in singular_key(text).split() if w not in _MINOR)


@lru_cache(maxsize=1 << 16)
def _initials(label: str) -> str:
    return "".join(w[0] for w in norm(label).split() if w not in _MINOR)


def link(name: str, gaz: Gazetteer, types: tuple[str, ...] | None = None, country: Entry | None = None,
         min_score: float = MIN_SCORE) -> Link:
    """Best entity for `name` among `types`, or NO_MATCH.

    Order: exact label (1.0); the name qualified by the country it belongs to, for government
    bodies ("Ministry of Commerce" in a Chinese context → "Ministry of Commerce of China", 0.9);
    an acronym that spells an organisation's label (0.85); the same significant words (0.8·overlap).
    """
    name = name.strip()
    if not name:
        return NO_MATCH
    exact = gaz.lookup(name, types)
    if len({e.iri for e in exact}) == 1:
        return Link(exact[0], 1.0)
    if len(exact) > 1:
        return NO_MATCH  # ambiguous: better no link than a guess
    if country is not None:
        qualified = gaz.lookup(f"{name} of {country.label}", types)
        if len(qualified) == 1:
            return Link(qualified[0], 0.9)
    candidates = [e for e in gaz.entries.values() if types is None or e.type in types]
    if name.isupper() and 2 <= len(name) <= 8:
        hits = [e for e in candidates if e.type == "Organization" and _initials(e.label) == name.lower()]
        if len(hits) == 1:
            return Link(hits[0], 0.85)
        return NO_MATCH
    words = _words(name)
    if len(words) < 2:
        return NO_MATCH
    scored = []
    for e in candidates:
        if e.type not in ("Organization", "Product", "Technology", "Industry", "Material"):
            continue
        other = _words(e.label)
        if not other:
            continue
        overlap = len(words & other) / len(words | other)
        if overlap >= 0.75:
            scored.append((overlap * 0.95, e.iri, e))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < min_score or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return NO_MATCH
    return Link(scored[0][2], scored[0][0])


def ministry_entry(gaz: Gazetteer, portfolio: str, country: Entry | None) -> Entry:
    """The ministry of a portfolio ('mines', 'economy, trade and industry') in a country: the gazetteer's
    entity when the name links ("Ministry of Commerce" in China), else a new government body named with
    its country ("Ministry of Mines of India")."""
    portfolio = lexicon()["portfolio_full_names"].get(portfolio.strip().lower(), portfolio)
    portfolio = " ".join(w if w in ("and", "of") else w.capitalize() for w in portfolio.replace(" ,", ",").split())
    name = f"Ministry of {portfolio}"
    hit = link(name, gaz, ("Organization",), country=country)
    if hit:
        return hit.entry
    label = f"{name} of {with_article(country.label)}" if country is not None else name
    return new_entry("org", label, "GovernmentBody", "Organization")


def department_entry(gaz: Gazetteer, portfolio: str, country: Entry | None) -> Entry:
    """The department a secretary heads ('Commerce Secretary' in the US → United States Department of
    Commerce): the gazetteer's entity when a name links, else a new government body with its country."""
    portfolio = " ".join(w if w in ("and", "of") else w.capitalize() for w in portfolio.split())
    for name in (f"Department of {portfolio}", f"Department of the {portfolio}"):
        for candidate in ([f"{country.label} {name}", f"{name} of {country.label}"] if country else []) + [name]:
            hits = gaz.lookup(candidate, ("Organization",))
            if len({h.iri for h in hits}) == 1:
                return hits[0]
    label = f"Department of {portfolio} of {with_article(country.label)}" if country is not None \
        else f"Department of {portfolio}"
    return new_entry("org", label, "GovernmentBody", "Organization")


def body_entry(gaz: Gazetteer, body: str, country: Entry | None) -> Entry:
    """The body a title's holder sits in ('Senator' → the Senate of that state): the gazetteer's entity
    when a name links, else a new government body named with its country."""
    if country is None:
        return new_entry("org", body, "GovernmentBody", "Organization")
    place = with_article(country.label)
    for candidate in (f"{country.label} {body}", f"{body} of {place}", f"{body} of {country.label}"):
        hits = gaz.lookup(candidate, ("Organization",))
        if len({h.iri for h in hits}) == 1:
            return hits[0]
    return new_entry("org", f"{body} of {place}", "GovernmentBody", "Organization")


def with_article(country_label: str) -> str:
    """'Philippines' → 'the Philippines', 'United States' → 'the United States': state names that
    take the article in English (plural names and unions, republics, kingdoms)."""
    first = country_label.split()[0]
    if country_label.endswith("s") or first in ("United", "Republic", "Kingdom", "Democratic", "Czech"):
        return f"the {country_label}"
    return country_label


def new_entry(kind: str, label: str, cls: str, view_type: str, alt: tuple = ()) -> Entry:
    """A node for a name the reference data does not have (a new organisation, person, product)."""
    return Entry(str(entity_iri(kind, label)), label, cls, view_type, kind, new=True, alt=tuple(alt))
