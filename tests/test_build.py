"""`cmkg build` end to end, as a user runs it, and what ships in the wheel."""

import subprocess
import sys
import zipfile

from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from graph.cli import cli
from graph.namespaces import CMKG, ID
from graph.store import open_store
from graph.validate import validate
from tests.conftest import ROOT, SEEDS


def test_build_writes_outputs_and_answers_dysprosium(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    result = CliRunner().invoke(cli, ["--store", str(store), "build", str(SEEDS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.trig", "graph.html"):
        assert (out / name).stat().st_size > 1000, name
    text = result.output
    assert "SHACL validation: conforms" in text
    answer = text.split("Which industries depend on dysprosium?")[1]
    for industry in ("automotive", "wind power", "electronics", "defense", "robotics"):
        assert industry in answer, industry
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {"https://w3id.org/cmkg/graph/ontology", "https://w3id.org/cmkg/graph/reference"} <= names
    assert any("/graph/article/" in n for n in names)
    union = Graph().parse(out / "graph.ttl", format="turtle")
    assert (URIRef(ID + "mineral/dysprosium"), CMKG.memberOf, URIRef(ID + "mineral/heavy-rare-earth-elements")) in union

    with open_store(store, read_only=True) as s:
        before = s.export_bytes("nquads")
    again = CliRunner().invoke(cli, ["--store", str(store), "build", str(SEEDS), "-o", str(out)])
    assert again.exit_code == 0, again.output
    with open_store(store, read_only=True) as s:
        assert sorted(s.export_bytes("nquads").splitlines()) == sorted(before.splitlines())


def test_sparql_constraints_are_checked_per_focus_node():
    g = Graph()
    dy = URIRef(ID + "mineral/dysprosium")
    for i in range(3):
        node, product = URIRef(f"{ID}fact/d{i}"), URIRef(f"{ID}product/p{i}")
        g.add((node, RDF.type, CMKG.Dependency))
        g.add((node, CMKG.dependent, product))
        g.add((node, CMKG.requires, dy))
        g.add((node, DCTERMS.source, URIRef("https://example.org/source")))
    g.add((URIRef(f"{ID}product/p0"), CMKG.dependsOn, dy))
    flagged = {v.focus for v in validate(g).violations if "direct edge" in v.message}
    assert flagged == {f"{ID}fact/d1", f"{ID}fact/d2"}


def test_wheel_ships_the_data_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("cmkg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("graph/ontology/cmkg.ttl", "graph/ontology/shapes.ttl", "graph/ontology/reference.ttl",
                     "graph/ontology/countries.ttl", "graph/queries/industries-for-mineral.rq",
                     "graph/extract/rules/lexicon.json", "graph/analysis/questions.json"):
        assert required in names, required
    assert any(n.startswith("graph/templates/") for n in names)
