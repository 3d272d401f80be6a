"""An article's facts as RDF: deterministic statement IRIs, evidence with offsets, new nodes typed."""

import datetime as dt

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from graph.namespaces import CMKG

TEXT = """title: Test article
source: Example Wire
url: https://example.org/news/1
date: 2025-06-09
---
Last December, China announced export controls on gallium and germanium to the US.
Arthur Pell, research director of consultancy Zentrix Metals, said prices would rise.
China accounted for 60% of global rare earth production in 2023.
Electric vehicles are heavily dependent on dysprosium.
"""


@pytest.fixture(scope="module")
def built():
    from graph.article_rdf import article_graph
    from graph.articles import article_from_text
    from graph.extract import extract

    article = article_from_text(TEXT, "t.txt")
    return article, article_graph(article, extract(article))


def test_same_article_gives_identical_triples(built):
    from graph.article_rdf import article_graph
    from graph.articles import article_from_text
    from graph.extract import extract

    article, g = built
    again = article_from_text(TEXT, "t.txt")
    assert set(article_graph(again, extract(again))) == set(g)
    assert g.identifier == URIRef(str(article.graph_iri))


def test_article_node(built):
    article, g = built
    art = URIRef(str(article.iri))
    assert (art, RDF.type, CMKG.Article) in g
    assert g.value(art, DCTERMS.title) == Literal("Test article")
    assert str(g.value(art, DCTERMS.date)) == "2025-06-09"
    assert g.value(art, CMKG.fileName) == Literal("t.txt")
    assert (art, CMKG.mentions, URIRef("https://w3id.org/cmkg/id/mineral/gallium")) in g


def test_export_control_measure_with_evidence(built):
    article, g = built
    gallium = URIRef("https://w3id.org/cmkg/id/mineral/gallium")
    [measure] = [m for m in g.subjects(CMKG.covers, gallium) if (m, RDF.type, CMKG.ExportControl) in g]
    assert g.value(measure, CMKG.issuedBy) == URIRef("https://w3id.org/cmkg/id/country/china")
    assert g.value(measure, CMKG.targets) == URIRef("https://w3id.org/cmkg/id/country/united-states")
    assert g.value(measure, CMKG.status) == CMKG.InForce
    assert str(g.value(measure, CMKG.date)) == "2024-12"
    ev = g.value(measure, PROV.wasDerivedFrom)
    start, end = int(g.value(ev, CMKG.startOffset)), int(g.value(ev, CMKG.endOffset))
    assert article.text[start:end] == str(g.value(ev, CMKG.sentence))
    assert g.value(ev, DCTERMS.isPartOf) == URIRef(str(article.iri))
    assert 0 < float(g.value(ev, CMKG.confidence)) <= 1


def test_share_dependency_and_new_nodes(built):
    _, g = built
    [share] = g.subjects(RDF.type, CMKG.ProductionShare)
    assert g.value(share, CMKG.stage) == CMKG.Mining
    assert float(g.value(share, CMKG.sharePercent)) == 60
    assert str(g.value(share, CMKG.year)) == "2023"
    ev_id = URIRef("https://w3id.org/cmkg/id/industry/electric-vehicles")
    assert (ev_id, CMKG.dependsOn, URIRef("https://w3id.org/cmkg/id/mineral/dysprosium")) in g
    person = URIRef("https://w3id.org/cmkg/id/person/arthur-pell")
    org = URIRef("https://w3id.org/cmkg/id/org/zentrix-metals")
    assert (person, RDF.type, CMKG.Person) in g and (person, CMKG.affiliatedWith, org) in g
    assert g.value(org, SKOS.prefLabel) == Literal("Zentrix Metals", lang="en")
    [aff] = g.subjects(RDF.type, CMKG.Affiliation)
    assert str(g.value(aff, CMKG.role)) == "research director"
    # reference entities are not re-described in the article graph
    assert g.value(URIRef("https://w3id.org/cmkg/id/country/china"), SKOS.prefLabel) is None


def test_conforms_to_shapes(built):
    import pyshacl

    from graph.resources import ontology_file

    _, g = built
    data = Graph()
    for t in g:
        data.add(t)
    for name in ("cmkg.ttl", "reference.ttl", "countries.ttl", "gazetteer.ttl"):
        data.parse(str(ontology_file(name)))
    shapes = Graph().parse(str(ontology_file("shapes.ttl")))
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, inference="rdfs")
    assert conforms, report
