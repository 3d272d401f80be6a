import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

from graph.namespaces import CMKG, ID, article_graph_iri  # noqa: E402

A = URIRef(ID + "industry/wind-power")
B = URIRef(ID + "material/ndfeb-magnets")
C = URIRef(ID + "mineral/dysprosium")


def small_graphs():
    """Two named graphs with the kinds of terms cmkg writes: IRIs, language tags, typed literals."""
    g1 = [
        (A, RDF.type, CMKG.Industry), (A, SKOS.prefLabel, Literal("wind power", lang="en")),
        (A, CMKG.dependsOn, B), (B, CMKG.dependsOn, C),
        (C, SKOS.prefLabel, Literal("dysprosium", lang="en")),
        (C, CMKG.atomicNumber, Literal(66, datatype=XSD.integer)),
    ]
    g2 = [
        (B, SKOS.altLabel, Literal('NdFeB "neo" magnets — 磁铁\nline two', lang="en")),
        (B, CMKG.sharePercent, Literal("92.5", datatype=XSD.decimal)),
    ]
    return {article_graph_iri("one"): g1, article_graph_iri("two"): g2}


@pytest.fixture
def small_store(tmp_path):
    from graph.store import open_store

    path = tmp_path / "store"
    with open_store(path) as store:
        store.replace_graphs(small_graphs())
    return path
