"""SHACL validation: readable violations, each SPARQL constraint prepared once, nothing patched process-wide."""

import threading

from rdflib import Graph, Literal
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from rdflib.plugins.sparql import processor

import graph.validate as validate_module
from graph.namespaces import CMKG, ID
from graph.validate import validate


def dependencies(n: int, *, with_edges: bool) -> Graph:
    """n dependency statements (SPARQL-constrained); without the direct edges each one is a violation."""
    g = Graph()
    for i in range(n):
        product, mineral, node = ID[f"product/p{i}"], ID[f"mineral/m{i}"], ID[f"fact/d{i}"]
        g.add((product, RDF.type, CMKG.Product))
        g.add((product, SKOS.prefLabel, Literal(f"p{i}", lang="en")))
        g.add((mineral, RDF.type, CMKG.Mineral))
        g.add((mineral, SKOS.prefLabel, Literal(f"m{i}", lang="en")))
        g.add((node, DCTERMS.source, URIRef("https://example.org/source")))
        g.add((node, RDF.type, CMKG.Dependency))
        g.add((node, CMKG.dependent, product))
        g.add((node, CMKG.requires, mineral))
        g.add((node, CMKG.sharePercent, Literal("5", datatype=XSD.decimal)))
        if with_edges:
            g.add((product, CMKG.dependsOn, mineral))
    return g


def test_sparql_constraints_are_prepared_once_per_validation(monkeypatch):
    prepared = []
    real = validate_module.prepareQuery

    def counting(text, **kwargs):
        prepared.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(validate_module, "prepareQuery", counting)
    report = validate(dependencies(20, with_edges=False))
    assert not report.conforms
    missing_edge = [v for v in report if "no matching direct edge" in v.message]
    assert len(missing_edge) == 20  # the SPARQL constraint ran for every focus node ...
    assert len(prepared) == len(set(prepared))  # ... but each query text was parsed once
    assert len(prepared) < 20


def test_rdflib_is_not_patched_and_threads_validate_independently():
    parse, translate = processor.parseQuery, processor.translateQuery
    expected = {True: validate(dependencies(5, with_edges=True)).rows(),
                False: validate(dependencies(5, with_edges=False)).rows()}
    results: dict = {}

    def run(i: int) -> None:
        results[i] = validate(dependencies(5, with_edges=bool(i % 2))).rows()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[i] == expected[bool(i % 2)] for i in range(4))
    assert expected[True] == [] and len(expected[False]) == 5
    assert (processor.parseQuery, processor.translateQuery) == (parse, translate)
