"""Facts of one article → the triples of that article's named graph (ontology/MODEL.md).

Every statement is a node with a deterministic IRI (`hashed_iri` of the article key and the fact's
identity), so re-ingesting the same article yields identical triples. Each statement points to a
`cmkg:Evidence` (sentence, character offsets, rule, confidence) that `dcterms:isPartOf` the article.
Direct edges (`dependsOn`, `dominates`, `affiliatedWith`, `mentions`) sit next to the reified
statements so that property paths and networkx can follow chains. Entities the reference data does
not have (new organisations, people, products) are typed and labelled here; their IRIs come from
`entity_iri(kind, name)`, so the same name in two articles is one node.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.facts import Entity, Fact
from graph.namespaces import CMKG, PREFIXES, SCHEMA, hashed_iri

_CLASS_OF_TYPE = {"Organization": "Organization", "Person": "Person", "Mineral": "Mineral", "Country": "Country",
                  "Material": "Material", "Technology": "Technology", "Product": "Product", "Industry": "Industry"}


@lru_cache(maxsize=1)
def _notations() -> dict[str, dict[str, URIRef]]:
    """notation → individual for measure types, statuses and supply stages, read from cmkg.ttl."""
    from graph.resources import ontology_file

    g = Graph()
    g.parse(str(ontology_file("cmkg.ttl")), format="turtle")
    out: dict[str, dict[str, URIRef]] = {"MeasureType": {}, "PolicyStatus": {}, "SupplyStage": {}}
    for cls, table in out.items():
        for ind in g.subjects(RDF.type, CMKG[cls]):
            for notation in g.objects(ind, SKOS.notation):
                table[str(notation)] = ind
    return out


def _date(value) -> Literal | None:
    if value in (None, ""):
        return None
    text = str(value)
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(text))
    return Literal(text, datatype=kind) if kind else None


def _decimal(value) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _entity(g: Graph, entity: Entity, known: set[str] | None) -> URIRef:
    """The entity's IRI; typed and labelled here when the reference data lacks it."""
    iri = URIRef(entity.iri)
    if entity.new or (known is not None and entity.iri not in known):
        cls = entity.cls or _CLASS_OF_TYPE.get(entity.type, entity.type)
        g.add((iri, RDF.type, CMKG[cls]))
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
    except Exception:  # noqa: BLE001 - without a gazetteer, rely on Entity.new alone
        return None


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
    notes = _notations()
    key = article.key
    for fact in facts:
        obj = _entity(g, fact.object, known)
        subj = _entity(g, fact.subject, known) if fact.subject is not None else None
        if fact.relation == "mentions":
            g.add((art, CMKG.mentions, obj))
            continue
        q = fact.qualifiers
        identity = (key, fact.relation, fact.subject.iri if fact.subject else "", fact.object.iri,
                    q.get("stage") or "")
        ev = fact.evidence
        evidence = None
        if ev is not None:
            evidence = hashed_iri("evidence", *identity, ev.start, ev.end, ev.rule)
            g.add((evidence, RDF.type, CMKG.Evidence))
            g.add((evidence, CMKG.sentence, Literal(ev.sentence)))
            g.add((evidence, CMKG.startOffset, Literal(ev.start, datatype=XSD.integer)))
            g.add((evidence, CMKG.endOffset, Literal(ev.end, datatype=XSD.integer)))
            g.add((evidence, CMKG.rule, Literal(ev.rule)))
            g.add((evidence, CMKG.confidence, _decimal(round(ev.confidence, 3))))
            g.add((evidence, DCTERMS.isPartOf, art))
        kind = "measure" if fact.relation in ("export_control", "tariff") else "fact"
        node = hashed_iri(kind, *identity)
        if evidence is not None:
            g.add((node, PROV.wasDerivedFrom, evidence))
            g.add((node, CMKG.confidence, _decimal(round(ev.confidence, 3))))
        if fact.relation in ("export_control", "tariff"):
            g.add((node, RDF.type, CMKG.ExportControl if fact.relation == "export_control" else CMKG.Tariff))
            g.add((node, CMKG.issuedBy, subj))
            if fact.relation == "export_control":
                g.add((node, CMKG.covers, obj))
                target = q.get("target")
                if isinstance(target, Entity):
                    g.add((node, CMKG.targets, _entity(g, target, known)))
                if q.get("measure") in notes["MeasureType"]:
                    g.add((node, CMKG.measureType, notes["MeasureType"][q["measure"]]))
                if q.get("status") in notes["PolicyStatus"]:
                    g.add((node, CMKG.status, notes["PolicyStatus"][q["status"]]))
                label = f"{fact.subject.label}: export control on {fact.object.label}"
            else:
                g.add((node, CMKG.targets, obj))
                if q.get("rate") is not None:
                    g.add((node, CMKG.ratePercent, _decimal(q["rate"])))
                item = q.get("item")
                if isinstance(item, Entity):
                    g.add((node, CMKG.covers, _entity(g, item, known)))
                label = f"{fact.subject.label}: tariff on {fact.object.label}"
            date = _date(q.get("date"))
            if date is not None:
                prop = CMKG.effectiveOn if q.get("date_role") == "effective" else CMKG.date
                g.add((node, prop, date))
            g.add((node, RDFS.label, Literal(label, lang="en")))
        elif fact.relation == "production_share":
            g.add((node, RDF.type, CMKG.ProductionShare))
            g.add((node, CMKG.country, subj))
            g.add((node, CMKG.mineral, obj))
            if q.get("stage") in notes["SupplyStage"]:
                g.add((node, CMKG.stage, notes["SupplyStage"][q["stage"]]))
            if q.get("share") is not None:
                g.add((node, CMKG.sharePercent, _decimal(q["share"])))
            if q.get("qualifier") in ("=", ">", "<", "~"):
                g.add((node, CMKG.shareQualifier, Literal(q["qualifier"])))
            if q.get("year") is not None:
                g.add((node, CMKG.year, Literal(str(q["year"]), datatype=XSD.gYear)))
        elif fact.relation == "depends_on":
            g.add((subj, CMKG.dependsOn, obj))
            g.add((node, RDF.type, CMKG.Dependency))
            g.add((node, CMKG.dependent, subj))
            g.add((node, CMKG.requires, obj))
        elif fact.relation == "dominates":
            g.add((subj, CMKG.dominates, obj))
            g.add((node, RDF.type, CMKG.Dominance))
            g.add((node, CMKG.agent, subj))
            g.add((node, CMKG.item, obj))
        elif fact.relation == "affiliated_with":
            g.add((subj, CMKG.affiliatedWith, obj))
            g.add((node, RDF.type, CMKG.Affiliation))
            g.add((node, CMKG.person, subj))
            g.add((node, CMKG.organization, obj))
            if q.get("role"):
                g.add((node, CMKG.role, Literal(q["role"])))
    return g
