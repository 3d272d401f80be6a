"""The extractor's dictionary of names, built from the ontology files' labels.

Every surface form the matcher looks for comes from RDF: `skos:prefLabel`, `rdfs:label`,
`skos:altLabel` and its sub-properties (`cmkg:demonym`, `cmkg:metonym`, `skos:hiddenLabel`) of
each typed entity in `reference.ttl`, `countries.ttl` and `gazetteer.ttl`. Nothing is listed in
Python, so a label added to the ontology is found by the next run. Element symbols are not matched
("In", "Co" and "W" are ordinary words far more often than they are indium, cobalt or tungsten).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from graph.extract.lexicon import lexicon
from graph.facts import Entity
from graph.namespaces import CMKG
from graph.resources import ontology_dir as installed_ontology_dir

GAZETTEER_FILES = ("cmkg.ttl", "reference.ttl", "countries.ttl", "gazetteer.ttl")
EXTRA_ENV = "CMKG_GAZETTEER_EXTRA"  # more Turtle files of labels (os.pathsep-separated), e.g. a user's own


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Key for comparing names: ASCII lower case words, no leading 'the', no possessive.

    Memoised (a pure function of the text): linking compares a name with every label of the gazetteer,
    and the same labels and names come back article after article."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = text.replace("'s ", " ").replace("' ", " ")
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"[^a-z0-9&]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@lru_cache(maxsize=1 << 16)
def singular_key(text: str) -> str:
    """norm() with each word made singular (batteries → battery, magnets → magnet); memoised like norm."""
    out = []
    for w in norm(text).split():
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    cls: str  # class local name: Mineral, MineralGroup, Country, Company, ...
    type: str  # facts-view type: Mineral, Country, Organization, Person, Material, Technology, Product, Industry
    kind: str  # IRI kind: mineral, country, org, ...

    new: bool = False  # minted by the extractor, not in the ontology files
    alt: tuple = ()  # for new entries: other names the article gave (an acronym in parentheses)

    def entity(self) -> Entity:
        return Entity(self.iri, self.label, self.type, self.cls, self.new, self.alt)


@dataclass(frozen=True)
class Surface:
    text: str
    iri: str
    how: str  # label | alt | demonym | metonym | hidden | loose


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    surfaces: list[Surface] = field(default_factory=list)
    index: dict[str, set[str]] = field(default_factory=dict)  # singular_key(surface) -> IRIs
    demonyms: dict[str, str] = field(default_factory=dict)  # IRI -> first demonym
    demonym_index: dict[str, str] = field(default_factory=dict)  # norm(demonym) -> IRI
    categories: set[str] = field(default_factory=set)  # mineral groups without members ("critical minerals")

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(str(iri))

    def lookup(self, name: str, types: tuple[str, ...] | None = None) -> list[Entry]:
        """Entries one of whose labels is `name` (case, plural and 'the' folded)."""
        found = [self.entries[i] for i in sorted(self.index.get(singular_key(name), ()))]
        return [e for e in found if types is None or e.type in types]

    def demonym(self, iri: str) -> str | None:
        return self.demonyms.get(str(iri))


def gazetteer_paths(ontology_dir: Path | None = None) -> list[Path]:
    if ontology_dir is None:
        ontology_dir = installed_ontology_dir()
    paths = [ontology_dir / name for name in GAZETTEER_FILES if (ontology_dir / name).exists()]
    for extra in os.environ.get(EXTRA_ENV, "").split(os.pathsep):
        if extra.strip() and Path(extra).exists():
            paths.append(Path(extra))
    return paths


def _label_properties(g: Graph) -> dict[URIRef, str]:
    """skos:altLabel and everything declared a sub-property of it (demonym, metonym, ...)."""
    props = {SKOS.prefLabel: "label", RDFS.label: "label", SKOS.altLabel: "alt", SKOS.hiddenLabel: "hidden",
             CMKG.demonym: "demonym", CMKG.metonym: "metonym", CMKG.looseLabel: "loose"}
    frontier = [SKOS.altLabel]
    while frontier:
        parent = frontier.pop()
        for sub in g.subjects(RDFS.subPropertyOf, parent):
            if sub not in props:
                local = str(sub).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                props[sub] = {"demonym": "demonym", "metonym": "metonym", "looseLabel": "loose"}.get(local, "alt")
                frontier.append(sub)
    return props


def _class_choice(g: Graph, types: list[str], kinds: dict) -> str | None:
    """The most specific of an entity's classes that the extractor knows."""
    known = [t for t in types if t in kinds]
    if not known:
        return None
    for t in known:
        if not any(other != t and (CMKG[other], RDFS.subClassOf, CMKG[t]) in g for other in known):
            return t
    return known[0]


def build_gazetteer(paths: list[Path]) -> Gazetteer:
    g = Graph()
    for path in paths:
        g.parse(str(path), format="turtle")
    kinds = {k: v for k, v in lexicon()["class_kinds"].items() if not k.startswith("_")}
    props = _label_properties(g)
    gaz = Gazetteer()
    symbols = {str(o).lower() for o in g.objects(None, CMKG.elementSymbol)}
    for subject in sorted(set(g.subjects(RDF.type, None)), key=str):
        if not isinstance(subject, URIRef):
            continue
        types = [str(t).rsplit("#", 1)[-1] for t in g.objects(subject, RDF.type) if str(t).startswith(str(CMKG))]
        cls = _class_choice(g, types, kinds)
        if cls is None:
            continue
        pref = [o for o in g.objects(subject, SKOS.prefLabel) if getattr(o, "language", None) in (None, "en")]
        if not pref:
            continue
        view_type, kind = kinds[cls]
        iri = str(subject)
        gaz.entries[iri] = Entry(iri, str(sorted(pref)[0]), cls, view_type, kind)
        seen = set()
        for prop, how in props.items():
            for obj in sorted(g.objects(subject, prop)):
                if getattr(obj, "language", None) not in (None, "en"):
                    continue
                text = str(obj).strip()
                if not text or (text, how) in seen:
                    continue
                if view_type == "Mineral" and (len(text) <= 2 or text.lower() in symbols):
                    continue  # element symbols: too ambiguous as running text
                seen.add((text, how))
                gaz.surfaces.append(Surface(text, iri, how))
                gaz.index.setdefault(singular_key(text), set()).add(iri)
                if how == "demonym":
                    gaz.demonyms.setdefault(iri, text)
                    gaz.demonym_index.setdefault(norm(text), iri)
    _drop_state_forms(gaz)
    for iri, entry in gaz.entries.items():
        if entry.cls == "MineralGroup":
            node = URIRef(iri)
            if next(g.subjects(CMKG.memberOf, node), None) is None and next(g.subjects(CMKG.group, node), None) is None:
                gaz.categories.add(iri)  # a label for a policy list, not a set of elements
    return gaz


def _drop_state_forms(gaz: Gazetteer) -> None:
    """'gallium metal', 'enriched uranium', 'high-purity gallium': in running text a mineral in a processing
    state or grade is the mineral (the evaluation's convention), so a material named only by a mineral and
    a state word after it or a grade word before it (lexicon `state_words`, `grade_words`) is not matched;
    the reference data keeps the node for its uses."""
    state, grades = set(lexicon()["state_words"]), {norm(w) for w in lexicon()["grade_words"]}
    minerals = {singular_key(s.text) for s in gaz.surfaces if gaz.entries[s.iri].type == "Mineral"}

    def state_form(text: str) -> bool:
        words = norm(text).split()
        if len(words) >= 2 and words[-1] in state and singular_key(" ".join(words[:-1])) in minerals:
            return True
        return any(" ".join(words[:k]) in grades and singular_key(" ".join(words[k:])) in minerals
                   for k in range(1, len(words)))

    kept = []
    for s in gaz.surfaces:
        if gaz.entries[s.iri].type == "Material" and state_form(s.text):
            gaz.index.get(singular_key(s.text), set()).discard(s.iri)
            continue
        kept.append(s)
    gaz.surfaces[:] = kept


@lru_cache(maxsize=4)
def _cached(paths: tuple[str, ...], stamps: tuple[float, ...]) -> Gazetteer:
    return build_gazetteer([Path(p) for p in paths])


def get_gazetteer() -> Gazetteer:
    """The gazetteer of the installed ontology files (rebuilt when one of them changes)."""
    paths = gazetteer_paths()
    return _cached(tuple(str(p) for p in paths), tuple(p.stat().st_mtime for p in paths))
