"""Facts of one article → the triples of that article's named graph (ontology/MODEL.md).

Every statement is a node with a deterministic IRI (`hashed_iri` of the article key and the fact's
identity), so re-ingesting the same article yields identical triples. Each statement points to a
`cmkg:Evidence` (sentence, character offsets, rule, confidence) that `dcterms:isPartOf` the article.
Direct edges (`dependsOn`, `dominates`, `affiliatedWith`, `mentions`) sit next to the reified
statements so that property paths and networkx can follow chains. Entities the reference data does
not have (new organisations, people, products) are typed and labelled here; their IRIs come from
`entity_iri(kind, name)`, so the same name in two articles is one node.

What each relation writes is data, not code: its row in the table of relations (`graph/relations.json`,
read through `graph.relations`) names the statement class, the properties to the fact's subject and
object, the direct edge and how each qualifier is written. This module only knows the value kinds.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.dates import precision
from graph.facts import Entity, Fact
from graph.namespaces import CMKG, PREFIXES, SCHEMA, hashed_iri
from graph.relations import Qualifier, Relation, relation
from graph.vocabulary import notation_iris


def _date(value) -> Literal | None:
    """A partial ISO date typed by its precision (xsd:date, xsd:gYearMonth, xsd:gYear); None for anything else."""
    text = str(value or "").strip()
    kind = precision(text)
    return Literal(text, datatype=XSD[kind]) if kind else None


def _decimal(value) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _entity(g: Graph, entity: Entity, known: set[str] | None) -> URIRef:
    """The entity's IRI; typed and labelled here when the reference data lacks it."""
    iri = URIRef(entity.iri)
    if entity.new or (known is not None and entity.iri not in known):
        g.add((iri, RDF.type, CMKG[entity.cls or entity.type]))
        g.add((iri, SKOS.prefLabel, Literal(entity.label, lang="en")))
        g.add((iri, RDFS.label, Literal(entity.label, lang="en")))
        for alt in entity.alt:
            if alt != entity.label:
                g.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
    return iri


def _known_iris() -> set[str] | None:
    try:
        from graph.extract.gazetteer import get_gazetteer

        return {iri for iri, e in get_gazetteer().entries.items() if not e.new}
    except (ImportError, OSError):  # without a gazetteer, rely on Entity.new alone
        return None


# -- one small writer per value kind of a qualifier -------------------------------------------------

def _qualifier_value(g: Graph, q: Qualifier, value, known: set[str] | None):
    """The RDF object for a qualifier's value, or None when the value is absent or not allowed."""
    if value is None or value == "":
        return None
    if q.value == "entity":
        return _entity(g, value, known) if isinstance(value, Entity) else None
    if q.value == "decimal":
        return _decimal(value)
    if q.value == "literal":
        return Literal(value) if q.values is None or value in q.values else None
    if q.value == "gYear":
        return Literal(str(value), datatype=XSD.gYear)
    if q.value == "date":
        return _date(value)
    iri = notation_iris(q.notation_class).get(value)  # notation:<Class>
    return URIRef(iri) if iri else None


def _write_qualifiers(g: Graph, node: URIRef, rel: Relation, qualifiers: dict, known: set[str] | None) -> None:
    for q in rel.qualifiers:
        obj = _qualifier_value(g, q, qualifiers.get(q.name), known)
        if obj is None:
            continue
        prop = q.property
        if q.role_property and qualifiers.get(q.role) in q.role_property:
            prop = q.role_property[qualifiers[q.role]]
        g.add((node, CMKG[prop], obj))


def _write_evidence(g: Graph, ev, identity: tuple, art: URIRef) -> URIRef:
    evidence = hashed_iri("evidence", *identity, ev.start, ev.end, ev.rule)
    g.add((evidence, RDF.type, CMKG.Evidence))
    g.add((evidence, CMKG.sentence, Literal(ev.sentence)))
    g.add((evidence, CMKG.startOffset, Literal(ev.start, datatype=XSD.integer)))
    g.add((evidence, CMKG.endOffset, Literal(ev.end, datatype=XSD.integer)))
    g.add((evidence, CMKG.rule, Literal(ev.rule)))
    g.add((evidence, CMKG.confidence, _decimal(round(ev.confidence, 3))))
    g.add((evidence, DCTERMS.isPartOf, art))
    return evidence


def _write_fact(g: Graph, fact: Fact, art: URIRef, key: str, known: set[str] | None) -> None:
    """The triples of one fact, as its row in the table of relations says."""
    rel = relation(fact.relation)
    obj = _entity(g, fact.object, known)
    subj = _entity(g, fact.subject, known) if fact.subject is not None else None
    if rel.rdf_class is None:  # mentions: a direct edge from the article, no statement node
        g.add((art, CMKG[rel.edge], obj))
        return
    q = fact.qualifiers
    ident = next((x.name for x in rel.qualifiers if x.identity), None)
    identity = (key, fact.relation, fact.subject.iri if fact.subject else "", fact.object.iri,
                (q.get(ident) if ident else None) or "")
    node = hashed_iri(rel.node, *identity)
    ev = fact.evidence
    if ev is not None:
        g.add((node, PROV.wasDerivedFrom, _write_evidence(g, ev, identity, art)))
        g.add((node, CMKG.confidence, _decimal(round(ev.confidence, 3))))
    g.add((node, RDF.type, CMKG[rel.rdf_class]))
    g.add((node, CMKG[rel.subject], subj))
    g.add((node, CMKG[rel.object], obj))
    if rel.edge:
        g.add((subj, CMKG[rel.edge], obj))
    _write_qualifiers(g, node, rel, q, known)
    if rel.label:
        label = rel.label.format(subject=fact.subject.label, object=fact.object.label)
        g.add((node, RDFS.label, Literal(label, lang="en")))


def article_graph(article, facts: list[Fact]) -> Graph:
    """The triples of `article`'s named graph: the article node, its facts, their evidence."""
    g = Graph(identifier=URIRef(str(article.graph_iri)))
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    art = URIRef(str(article.iri))
    g.add((art, RDF.type, CMKG.Article))
    if article.title:
        g.add((art, DCTERMS.title, Literal(article.title)))
    if article.publisher:
        g.add((art, DCTERMS.publisher, Literal(article.publisher)))
    if article.url:
        g.add((art, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.date:
        g.add((art, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    g.add((art, CMKG.fileName, Literal(article.name)))
    known = _known_iris()
    for fact in facts:
        _write_fact(g, fact, art, article.key, known)
    return g
