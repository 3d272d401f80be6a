"""The store: transactions, idempotent replacement, union default graph, exports, locking."""

import subprocess
import sys
import textwrap

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from graph.errors import StoreBusyError, StoreError
from graph.namespaces import CMKG
from graph.store import EXPORT_FORMATS, open_store
from tests.conftest import A, B, C, small_graphs


def test_replace_is_idempotent(small_store):
    with open_store(small_store) as store:
        before = len(store)
        store.replace_graphs(small_graphs())
        store.replace_graphs(small_graphs())
        assert len(store) == before == sum(len(t) for t in small_graphs().values())


def test_replace_drops_old_triples_of_that_graph_only(small_store):
    name = next(iter(small_graphs()))
    with open_store(small_store) as store:
        store.replace_graph(name, [(A, CMKG.dependsOn, C)])
        assert len(store.graph_triples(name)) == 1
        assert len(store) == 1 + len(small_graphs()[list(small_graphs())[1]])


def test_failed_write_leaves_store_unchanged(small_store):
    with open_store(small_store) as store:
        before = set(store.oxigraph)
        bad = {next(iter(small_graphs())): [(A, CMKG.dependsOn, URIRef("not an iri with spaces"))]}
        with pytest.raises(Exception):
            store.replace_graphs(bad)
        assert set(store.oxigraph) == before


def test_default_graph_is_union_of_named_graphs(small_store):
    with open_store(small_store, read_only=True) as store:
        # the real default graph is empty ...
        assert not list(store.oxigraph.quads_for_pattern(None, None, None, __import__("pyoxigraph").DefaultGraph()))
        # ... but a query without GRAPH sees triples of both named graphs together
        rows = store.query("SELECT ?share WHERE { ?i cmkg:dependsOn ?m . ?m cmkg:sharePercent ?share }").rows
        assert [float(r[0]) for r in rows] == [92.5]
        # and the rdflib view agrees
        assert isinstance(store.dataset, Dataset)
        assert len(list(store.dataset.query("SELECT ?s WHERE { ?s <%s> ?o }" % CMKG.dependsOn))) == 2


def test_property_path_and_bound_values(small_store):
    with open_store(small_store, read_only=True) as store:
        rows = store.query("SELECT ?x ?m WHERE { ?x cmkg:dependsOn+ ?m }", {"m": C}).rows
        assert {r[0] for r in rows} == {A, B}


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_export_round_trip_is_isomorphic(small_store, fmt):
    rdflib_format = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    with open_store(small_store, read_only=True) as store:
        data = store.export_bytes(fmt)
    if EXPORT_FORMATS[fmt][1]:  # dataset formats keep every named graph
        ds = Dataset()
        ds.parse(data=data, format=rdflib_format)
        for name, triples in small_graphs().items():
            expected = Graph()
            for t in triples:
                expected.add(t)
            assert isomorphic(ds.graph(name), expected), name
    else:
        g = Graph().parse(data=data, format=rdflib_format)
        expected = Graph()
        for triples in small_graphs().values():
            for t in triples:
                expected.add(t)
        assert isomorphic(g, expected)


def test_read_only_store_must_exist(tmp_path):
    with pytest.raises(StoreError, match="no cmkg store"):
        open_store(tmp_path / "nothing", read_only=True)


def test_second_writer_gets_store_is_busy(small_store):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from graph.store import open_store
        with open_store({str(small_store)!r}):
            print("held", flush=True)
            sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreBusyError, match="store is busy"):
            open_store(small_store, lock_timeout=0.5)
        with open_store(small_store, read_only=True) as reader:  # readers are never blocked
            assert len(reader) > 0
    finally:
        holder.communicate("\n", timeout=10)


def test_term_adapter_round_trips():
    """graph.adapters.oxrdflib_terms (the one user of oxrdflib's private converter) keeps every kind of term."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    from graph.adapters.oxrdflib_terms import from_ox, to_ox

    terms = [A, BNode("b1"), Literal("chat", lang="fr"), Literal("2025-04-02", datatype=XSD.date),
             Literal("12.5", datatype=XSD.decimal)]
    for term in terms:
        assert from_ox(to_ox(term)) == term
    # a simple literal comes back typed xsd:string, as the rdflib view of the store reads it
    assert from_ox(to_ox(Literal("x"))) == from_ox(ox.Literal("x")) == Literal("x", datatype=XSD.string)
    assert from_ox(None) is None
    with pytest.raises(ValueError):
        to_ox(URIRef("not an iri"))


def test_rows_and_rdflib_view_agree(small_store):
    """`query` rows convert terms exactly like the rdflib view of the same store."""
    with open_store(small_store, read_only=True) as store:
        rows = {tuple(r) for r in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows}
        assert rows == set(store.dataset.triples((None, None, None)))


def test_no_private_imports_of_other_packages_outside_adapters():
    """Private names of other packages are used only in graph/adapters (see its docstring)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    other = r"(?!graph\b|tests\b|\.)"  # another package's module, not one of ours
    private = re.compile(rf"^\s*(?:from\s+{other}[\w.]*\._\w+\s+import|from\s+{other}[\w.]+\s+import\s+_\w+"
                         rf"|import\s+{other}[\w.]*\._\w+)", re.MULTILINE)
    found = []
    for path in [*root.joinpath("graph").rglob("*.py"), *root.joinpath("tests").rglob("*.py"),
                 *root.joinpath("scripts").rglob("*.py")]:
        if "adapters" in path.parts or path.name == "__main__.py":
            continue
        for m in private.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(root)}: {m.group(0).strip()}")
    assert not found, found


def test_cached_values_are_rebuilt_only_when_the_content_changes():
    from graph.store import KnowledgeStore

    store = KnowledgeStore(None)
    builds = []

    def count(s):
        builds.append(len(s))
        return len(s)

    assert store.cached("size", count) == 0 and store.cached("size", count) == 0
    assert builds == [0]
    store.replace_graphs(small_graphs())
    assert store.cached("size", count) == len(store) > 0
    assert len(builds) == 2
