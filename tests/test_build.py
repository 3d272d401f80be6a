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
    for industry in ("automotive", "wind power", "electronics", "defense"):
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
                     "graph/extract/rules/lexicon.json", "graph/analysis/questions.json", "graph/serve/http.py",
                     "graph/templates/render.js"):
        assert required in names, required
    assert any(n.startswith("graph/templates/") for n in names)


ARTICLE = """title: A test note on nickel
date: 2025-03-01
---
Indonesia banned exports of nickel ore. Nickel is used in stainless steel and in lithium-ion batteries.
"""


def test_the_daily_loop_ingest_refreshes_what_build_wrote(tmp_path, monkeypatch):
    """build → ingest a new article → out/graph.ttl, graph.trig and graph.html show it; render writes there too."""
    store, out = tmp_path / "store", tmp_path / "out"
    runner = CliRunner()
    built = runner.invoke(cli, ["--store", str(store), "build", str(SEEDS), "-o", str(out),
                                "--question", "how concentrated is gallium refining?"])
    assert built.exit_code == 0, built.output
    assert "how concentrated is gallium refining?" in built.output and "Which industries" not in built.output
    assert "(1 article)" in built.output and "1 articles" not in built.output
    before = {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "graph.html")}
    new = tmp_path / "new" / "nickel.txt"
    new.parent.mkdir()
    new.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the refresh follows the store, not the working folder
    result = runner.invoke(cli, ["--store", str(store), "ingest", str(new)])
    assert result.exit_code == 0, result.output
    assert "Refreshed out/graph.ttl, out/graph.trig, out/graph.html." in result.output  # as typed, from here
    for name, old in before.items():
        assert (out / name).read_bytes() != old, f"{name} was not refreshed"
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert trig.count("/graph/article/") > before["graph.trig"].decode().count("/graph/article/")
    assert "A test note on nickel" in (out / "graph.html").read_text(encoding="utf-8")
    # render without -o writes where build writes
    rendered = runner.invoke(cli, ["--store", str(store), "render", "--focus", "nickel"])
    assert rendered.exit_code == 0, rendered.output
    assert "Wrote out/graph.html:" in rendered.output
    assert not (tmp_path / "graph.html").exists()


def test_ingest_into_a_store_that_build_never_wrote_says_which_command_writes_the_outputs(tmp_path):
    new = tmp_path / "nickel.txt"
    new.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "ingest", str(new)])
    assert result.exit_code == 0, result.output
    assert "cmkg build" in result.stderr and "not refreshed" in result.stderr
    out = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "ingest", str(new), "--out",
                                   str(tmp_path / "o")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "o" / "graph.html").exists() and (tmp_path / "o" / "graph.ttl").exists()


def test_no_progress_label_when_output_is_not_a_terminal(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(8):
        (folder / f"a{i}.txt").write_text(ARTICLE.replace("test note", f"test note {i}"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "ingest", str(folder),
                                                      "--no-outputs"])
    assert result.exit_code == 0, result.output
    assert "Ingesting" not in result.stderr and "Ingesting" not in result.output
    assert "Ingested 8 article" in result.output


def test_an_unreadable_summary_question_stops_the_build_before_the_store_is_touched(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "build", str(SEEDS), "-o",
                                      str(tmp_path / "out"), "--question", "what is the meaning of life?"])
    assert result.exit_code != 0
    assert "understand" in str(result.exception) or "understand" in result.output
    assert not (tmp_path / "store").exists()


def test_a_copied_store_does_not_refresh_the_original_outputs(tmp_path):
    import shutil

    store, out = tmp_path / "store", tmp_path / "out"
    assert CliRunner().invoke(cli, ["--store", str(store), "build", str(SEEDS), "-o", str(out), "--question", "",
                                    "--no-validate"]).exit_code == 0
    before = (out / "graph.html").read_bytes()
    shutil.copytree(store, tmp_path / "copy")
    new = tmp_path / "nickel.txt"
    new.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "copy"), "ingest", str(new)])
    assert result.exit_code == 0, result.output
    assert "not refreshed" in result.stderr
    assert (out / "graph.html").read_bytes() == before
