"""IRIs shared by every module: the ontology namespace, entity IRIs and named-graph IRIs.

Kept in one place so that the ontology files, the extractor and the queries can never drift apart.
See ontology/MODEL.md for the contract.
"""

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/cmkg/"
CMKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
ARTICLE = Namespace(BASE + "article/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
REFERENCE_GRAPH = URIRef(GRAPH + "reference")
ARTICLE_GRAPH_PREFIX = GRAPH + "article/"

PREFIXES = {
    "cmkg": str(CMKG),
    "cmkgid": str(ID),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": str(SCHEMA),
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
