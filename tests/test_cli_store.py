"""The store commands through the CLI: sparql (every results format), export, stats, errors."""

import csv
import io
import json

from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.cli import cli
from graph.store import open_store

QUERY = "SELECT DISTINCT ?x ?label WHERE { ?x cmkg:dependsOn+ ?m . ?x skos:prefLabel ?label } ORDER BY ?label"


def run(store, *args, input=None):
    return CliRunner().invoke(cli, ["--store", str(store), *args], input=input)


def test_sparql_table(small_store):
    result = run(small_store, "sparql", QUERY)
    assert result.exit_code == 0, result.output
    assert "wind power" in result.output and "(1 row)" in result.output


def test_sparql_results_formats(small_store):
    as_json = json.loads(run(small_store, "sparql", QUERY, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["x", "label"]
    assert as_json["results"]["bindings"][0]["label"]["value"] == "wind power"
    rows = list(csv.reader(io.StringIO(run(small_store, "sparql", QUERY, "--format", "csv").stdout)))
    assert rows[0] == ["x", "label"] and rows[1][1] == "wind power"
    tsv = run(small_store, "sparql", QUERY, "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == ["?x", "?label"] and '"wind power"@en' in tsv[1]


def test_sparql_from_file_and_ask(small_store, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?a cmkg:dependsOn ?b }")
    result = run(small_store, "sparql", "-f", str(rq))
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_malformed_sparql_says_where(small_store):
    result = run(small_store, "sparql", "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: malformed SPARQL: error at 1:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_export_to_file_round_trips(small_store, tmp_path):
    out = tmp_path / "g.ttl"
    result = run(small_store, "export", "--format", "turtle", "-o", str(out))
    assert result.exit_code == 0, result.output
    with open_store(small_store, read_only=True) as store:
        assert isomorphic(Graph().parse(out), store.union_graph())


def test_stats(small_store):
    result = run(small_store, "stats", "--format", "json")
    stats = json.loads(result.stdout)[0]
    assert stats["triples"] == 8 and stats["graphs"] == 2 and stats["edges_per_relation"]["dependsOn"] == 2


def test_empty_store_is_a_clear_error(tmp_path):
    result = run(tmp_path / "none", "stats")
    assert result.exit_code == 1 and "no cmkg store" in result.stderr
