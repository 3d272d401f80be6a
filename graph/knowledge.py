"""Loading the shipped knowledge (ontology and cited reference data) into its own named graphs.

The ontology (`cmkg.ttl`) goes to the ontology graph; every other Turtle file under `ontology/`
except the SHACL shapes (reference facts, countries, extra labels) goes to the reference graph.
Both are replaced in one transaction, so reloading after an upgrade never mixes versions.
"""

from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from graph.resources import ontology_dir

ONTOLOGY_FILE = "cmkg.ttl"
NOT_DATA = {"shapes.ttl"}


def knowledge_files() -> dict:
    """Which shipped Turtle file goes to which named graph."""
    folder = ontology_dir()
    files = sorted(p for p in folder.glob("*.ttl") if p.name not in NOT_DATA)
    return {
        ONTOLOGY_GRAPH: [p for p in files if p.name == ONTOLOGY_FILE],
        REFERENCE_GRAPH: [p for p in files if p.name != ONTOLOGY_FILE],
    }


def read_triples(paths: list[Path]) -> list:
    triples = []
    for path in paths:
        triples.extend(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return triples


def load_knowledge(store) -> int:
    """Replace the ontology and reference graphs of `store`; returns the number of triples loaded."""
    graphs = {name: read_triples(paths) for name, paths in knowledge_files().items()}
    store.replace_graphs(graphs)
    return sum(len(t) for t in graphs.values())
