"""The ontology's own word lists, read from ontology/cmkg.ttl: class sets and controlled vocabularies.

Which types count as items, polities or organisations, which measure types, policy statuses and
supply stages exist, and how strong each kind of source is: all of it is declared once in
`cmkg.ttl` (rdfs:subClassOf, skos:notation, cmkg:evidenceRank) and read here, so code never keeps
a second copy that could drift. The file is parsed once per process with pyoxigraph (milliseconds).

Examples
--------
>>> sorted(subclasses("Polity"))
['Bloc', 'Country', 'Polity']
>>> "MineralGroup" in subclasses("Item")
True
>>> notations("MeasureType")[:3]
['licensing', 'ban', 'quota']
>>> evidence_ranks()["official"] > evidence_ranks()["news"]
True
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from graph.namespaces import CMKG

C = str(CMKG)
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
_RANK = C + "evidenceRank"

ENTITY_ROOTS = ("Item", "Industry", "Polity", "Organization", "Person")
"""The top classes of what the view shows as entities; every cmkg subclass of one of them is an entity type."""


@lru_cache(maxsize=None)
def _triples() -> tuple:
    from graph.resources import ontology_file

    path = ontology_file("cmkg.ttl")
    return tuple(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@lru_cache(maxsize=None)
def parents() -> dict[str, tuple[str, ...]]:
    """{class local name: its direct cmkg superclasses}, for every cmkg class with one."""
    out: dict[str, list[str]] = {}
    for t in _triples():
        if t.predicate.value == _SUBCLASS and t.subject.value.startswith(C) and t.object.value.startswith(C):
            out.setdefault(t.subject.value[len(C):], []).append(t.object.value[len(C):])
    return {k: tuple(v) for k, v in out.items()}


def ancestors(name: str) -> set[str]:
    """Every cmkg superclass of a class (transitively), without the class itself."""
    seen: set[str] = set()
    todo = list(parents().get(name, ()))
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(parents().get(p, ()))
    return seen


@lru_cache(maxsize=None)
def subclasses(name: str) -> frozenset[str]:
    """The class and every cmkg class below it (rdfs:subClassOf*), as local names."""
    classes = set(parents()) | {p for ps in parents().values() for p in ps}
    return frozenset({name} | {c for c in classes if name in ancestors(c)})


@lru_cache(maxsize=None)
def entity_types() -> tuple[str, ...]:
    """Entity classes, most specific first (deepest in the hierarchy), then by name: the first that applies wins."""
    found = set().union(*(subclasses(r) for r in ENTITY_ROOTS))
    return tuple(sorted(found, key=lambda c: (-len(ancestors(c)), c)))


@lru_cache(maxsize=None)
def _individuals(cls: str) -> tuple[tuple[str, str, int | None], ...]:
    """(iri, notation, evidence rank) of each individual of a cmkg class, in file order."""
    members = [t.subject.value for t in _triples() if t.predicate.value == _TYPE and t.object.value == C + cls]
    notation, rank = {}, {}
    for t in _triples():
        if t.predicate.value == _NOTATION:
            notation.setdefault(t.subject.value, t.object.value)
        elif t.predicate.value == _RANK:
            rank[t.subject.value] = int(t.object.value)
    return tuple((m, notation[m], rank.get(m)) for m in dict.fromkeys(members) if m in notation)


def notations(cls: str) -> list[str]:
    """The notation words of a vocabulary class (MeasureType, PolicyStatus, SupplyStage, SourceKind)."""
    return [n for _, n, _ in _individuals(cls)]


def notation_iris(cls: str) -> dict[str, str]:
    """{notation: individual IRI} of a vocabulary class."""
    return {n: iri for iri, n, _ in _individuals(cls)}


def evidence_ranks() -> dict[str, int]:
    """{source kind notation: cmkg:evidenceRank}, official 5 down to other 1."""
    return {n: r for _, n, r in _individuals("SourceKind") if r is not None}
