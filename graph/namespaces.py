"""IRIs shared by every module: the ontology namespace, entity IRIs and named-graph IRIs.

Kept in one place so that the ontology files, the extractor and the queries can never drift apart.
See ontology/MODEL.md for the contract.
"""

import hashlib
import re
import unicodedata

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace, DefinedNamespaceMeta

BASE = "https://w3id.org/cmkg/"
ONTOLOGY_NS = BASE + "ontology#"


def ontology_terms() -> tuple[str, ...]:
    """Local names of every term `ontology/cmkg.ttl` describes (classes, properties, individuals)."""
    from graph.resources import ontology_file

    names = {t.subject.value[len(ONTOLOGY_NS):]
             for t in ox.parse(path=str(ontology_file("cmkg.ttl")), format=ox.RdfFormat.TURTLE)
             if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ONTOLOGY_NS)}
    return tuple(sorted(n for n in names if n))


# The cmkg vocabulary as a closed namespace, generated from cmkg.ttl when this module is imported (a few
# milliseconds): `CMKG.Mineral` is the IRI, and a term the ontology does not define (a typo, a term
# dropped from cmkg.ttl) raises AttributeError instead of silently minting a new IRI. It behaves like
# rdflib's own SKOS or PROV (`CMKG["Mineral"]`, `str(CMKG)`, `iri in CMKG`).
CMKG = DefinedNamespaceMeta("CMKG", (DefinedNamespace,), {
    "__module__": __name__,
    "__doc__": "The cmkg ontology (ontology/cmkg.ttl) as a closed rdflib namespace.",
    "__annotations__": {name: URIRef for name in ontology_terms()},
    "_NS": Namespace(ONTOLOGY_NS),
    "_fail": True,
})
ID = Namespace(BASE + "id/")
ARTICLE = Namespace(BASE + "article/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = SDO
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
REFERENCE_GRAPH = URIRef(GRAPH + "reference")
ARTICLE_GRAPH_PREFIX = GRAPH + "article/"

# Prefixes of queries, exports and the endpoint; the standard ones are rdflib's constants.
PREFIXES = {
    "cmkg": ONTOLOGY_NS,
    "cmkgid": str(ID),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "wd": str(WD),
}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-': the last segment of an entity IRI."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words) or hashlib.sha256(text.encode()).hexdigest()[:12]


def entity_iri(kind: str, name: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug(name)}")


def article_key(url: str | None, text: str) -> str:
    """Stable key for an article: from its URL when it has one, else from its text."""
    basis = url.strip() if url and url.strip() else text
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def article_iri(key: str) -> URIRef:
    return URIRef(ARTICLE + key)


def article_graph_iri(key: str) -> URIRef:
    return URIRef(ARTICLE_GRAPH_PREFIX + key)


def hashed_iri(kind: str, *parts: object) -> URIRef:
    """Deterministic IRI for a statement node, so re-ingesting yields identical triples."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return URIRef(f"{ID}{kind}/{digest}")
