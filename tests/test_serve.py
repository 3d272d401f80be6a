"""`cmkg serve`: SPARQL 1.1 Protocol over the store — formats, clients, read-only, limits, lifecycle."""

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from graph.cli import cli
from graph.namespaces import ID, article_graph_iri
from graph.serve import (ServeConfig, ServeError, SparqlServer, choose_format, is_loopback, parse_accept, serve,
                         serialize_boolean, serialize_solutions)
from graph.store import open_store

from .conftest import small_graphs

TIMEOUT = 1.5
MAX_RESULTS = 1000
BULK = 1500
ALT_LABEL = 'NdFeB "neo" magnets — 磁铁\nline two'
# joins a triple of article graph "one" with a triple of graph "two": only the union default graph answers
CROSS_GRAPH = "SELECT ?a ?alt WHERE { ?a cmkg:dependsOn ?b . ?b skos:altLabel ?alt }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FORMATS = {"json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
           "csv": ("text/csv", ox.QueryResultsFormat.CSV),
           "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
           "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML)}


def _make_store(path):
    graphs = small_graphs()
    graphs[article_graph_iri("bulk")] = [(URIRef(f"{ID}product/p{i}"), RDFS.label, Literal(f"product {i}"))
                                         for i in range(BULK)]
    with open_store(path) as store:
        store.replace_graphs(graphs)
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return _make_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def server(store_path):
    srv = serve(store_path, port=0, timeout=TIMEOUT, max_results=MAX_RESULTS, workers=2)
    yield srv
    srv.stop()


def _get(srv, query, accept=None, **params):
    url = srv.query_url + "?" + urllib.parse.urlencode({"query": query, **params})
    return urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept} if accept else {}),
                                  timeout=10)


def _post(url, body: bytes, content_type: str, accept=None):
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=10)


def _error(call) -> tuple[int, str]:
    with pytest.raises(urllib.error.HTTPError) as info:
        call()
    return info.value.code, info.value.read().decode()


def _cross_graph_rows(data: bytes, fmt) -> set:
    if fmt == ox.QueryResultsFormat.CSV:  # lossy by design, so pyoxigraph does not parse it
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows[0] == ["a", "alt"]
        return {tuple(r) for r in rows[1:]}
    return {(s["a"].value, s["alt"].value) for s in ox.parse_query_results(data, fmt)}


def test_loopback_by_default(server):
    assert ServeConfig("x").host == "127.0.0.1"
    assert server.address[0] == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_get_json_sees_the_union_of_named_graphs(server):
    with _get(server, CROSS_GRAPH, "application/sparql-results+json") as response:
        assert response.headers["Content-Type"] == "application/sparql-results+json"
        data = json.loads(response.read())
    assert data["head"]["vars"] == ["a", "alt"]
    [row] = data["results"]["bindings"]
    assert row["a"] == {"type": "uri", "value": f"{ID}industry/wind-power"}
    assert row["alt"] == {"type": "literal", "value": ALT_LABEL, "xml:lang": "en"}


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_by_every_method_parses_back(server, name, method):
    accept, fmt = FORMATS[name]
    if method == "GET":
        response = _get(server, CROSS_GRAPH, accept)
    elif method == "POST-form":
        response = _post(server.query_url, urllib.parse.urlencode({"query": CROSS_GRAPH}).encode(),
                         "application/x-www-form-urlencoded", accept)
    else:
        response = _post(server.query_url, CROSS_GRAPH.encode(), "application/sparql-query", accept)
    with response:
        assert response.headers["Content-Type"].startswith(accept)
        body = response.read()
    assert _cross_graph_rows(body, fmt) == {(f"{ID}industry/wind-power", ALT_LABEL)}


def test_typed_literals_and_ask_and_construct(server):
    q = "SELECT ?n WHERE { ?m cmkg:atomicNumber ?n }"
    with _get(server, q, "application/sparql-results+xml") as r:
        [solution] = list(ox.parse_query_results(r.read(), ox.QueryResultsFormat.XML))
    assert solution["n"] == ox.Literal("66", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    with _get(server, "ASK { ?s cmkg:dependsOn ?o }", "application/sparql-results+json") as r:
        assert json.loads(r.read())["boolean"] is True
    with _get(server, "CONSTRUCT { ?s cmkg:dependsOn ?o } WHERE { ?s cmkg:dependsOn ?o }", "application/n-triples") as r:
        assert r.headers["Content-Type"] == "application/n-triples"
        assert len(list(ox.parse(r.read(), ox.RdfFormat.N_TRIPLES))) == 2


def test_result_limit_cuts_and_says_so(server):
    with _get(server, "SELECT ?s WHERE { ?s rdfs:label ?l }", "text/csv") as r:
        assert r.headers["X-Cmkg-Truncated"] == "true"
        assert r.headers["X-Cmkg-Result-Limit"] == str(MAX_RESULTS)
        assert len(r.read().decode().strip().splitlines()) == MAX_RESULTS + 1  # header + rows
    with _get(server, "CONSTRUCT WHERE { ?s rdfs:label ?l }", "application/n-triples") as r:
        assert r.headers["X-Cmkg-Truncated"] == "true"
        assert len(list(ox.parse(r.read(), ox.RdfFormat.N_TRIPLES))) == MAX_RESULTS
    with _get(server, CROSS_GRAPH, "text/csv") as r:
        assert r.headers["X-Cmkg-Truncated"] is None


def test_dataset_from_the_request(server):
    two = str(article_graph_iri("two"))
    with _get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json",
              **{"default-graph-uri": two}) as r:
        assert json.loads(r.read())["results"]["bindings"][0]["n"]["value"] == "2"


def test_updates_are_refused_when_read_only(server, store_path):
    insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
    code, text = _error(lambda: _post(server.update_url, insert.encode(), "application/sparql-update"))
    assert code == 403 and "read-only" in text
    code, _ = _error(lambda: _post(server.query_url, urllib.parse.urlencode({"update": insert}).encode(),
                                   "application/x-www-form-urlencoded"))
    assert code == 403
    code, text = _error(lambda: _get(server, insert))  # an update smuggled in as a query is not a query
    assert code == 400 and "malformed SPARQL" in text
    with open_store(store_path, read_only=True) as store:
        assert "urn:x:g" not in store.named_graphs()
        assert len(store) == BULK + 8


def test_query_over_the_time_limit_gets_a_clean_error_and_the_server_recovers(server):
    started = time.monotonic()
    code, text = _error(lambda: _get(server, SLOW))
    assert code == 503
    assert text.strip() == f"the query exceeded the time limit of {TIMEOUT:g} s and was stopped"
    assert time.monotonic() - started < TIMEOUT + 2
    for _ in range(3):  # both workers answer again (the stuck one was replaced)
        with _get(server, CROSS_GRAPH, "text/csv") as r:
            assert r.status == 200


def test_bad_requests(server):
    code, text = _error(lambda: _get(server, "SELECT WHERE {"))
    assert code == 400 and text.startswith("malformed SPARQL")
    code, _ = _error(lambda: urllib.request.urlopen(server.url + "/nowhere", timeout=5))
    assert code == 404
    code, _ = _error(lambda: _post(server.query_url, b"x", "text/plain"))
    assert code == 415
    code, _ = _error(lambda: urllib.request.urlopen(server.query_url + "?format=json", timeout=5))
    assert code == 400
    code, text = _error(lambda: _get(server, "ASK {}", **{"default-graph-uri": "not an iri"}))
    assert code == 400 and text.startswith("bad request")


def test_sparqlwrapper_get_and_post_json_and_csv(server):
    from SPARQLWrapper import CSV, GET, JSON, POST, SPARQLWrapper

    for method in (GET, POST):
        client = SPARQLWrapper(server.query_url)
        client.setMethod(method)
        client.setQuery("PREFIX cmkg: <https://w3id.org/cmkg/ontology#>\n" + CROSS_GRAPH)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert [r["alt"]["value"] for r in rows] == [ALT_LABEL]
        client.setReturnFormat(CSV)
        assert _cross_graph_rows(client.query().convert(), ox.QueryResultsFormat.CSV) == {
            (f"{ID}industry/wind-power", ALT_LABEL)}


def test_sparqlwrapper_update_is_refused(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server.query_url, updateEndpoint=server.update_url)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_curl_get_and_post(server, accept):
    fmt = ox.QueryResultsFormat.JSON if "json" in accept else ox.QueryResultsFormat.CSV
    for extra in (["-G"], []):  # -G: GET with the query in the URL; otherwise a form POST
        out = subprocess.run(["curl", "-sS", "--fail", *extra, "-H", f"Accept: {accept}", "--data-urlencode",
                              f"query={CROSS_GRAPH}", server.query_url], capture_output=True, timeout=10)
        assert out.returncode == 0, out.stderr
        assert _cross_graph_rows(out.stdout, fmt) == {(f"{ID}industry/wind-power", ALT_LABEL)}
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                          "Content-Type: application/sparql-update", "--data", "CLEAR ALL", server.update_url],
                         capture_output=True, text=True, timeout=10)
    assert out.stdout == "403"


def test_writable_server_accepts_updates(tmp_path):
    path = _make_store(tmp_path / "store")
    with serve(path, port=0, writable=True, timeout=5) as srv:
        insert = f"INSERT DATA {{ GRAPH <{article_graph_iri('new')}> {{ <urn:x:s> <urn:x:p> 'added' }} }}"
        with _post(srv.update_url, insert.encode(), "application/sparql-update") as r:
            assert r.status == 204
        with _get(srv, "SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o }", "application/sparql-results+json") as r:
            assert json.loads(r.read())["results"]["bindings"][0]["o"]["value"] == "added"
        code, _ = _error(lambda: _get(srv, insert))  # still never through the query operation
        assert code == 400
    with open_store(path, read_only=True) as store:
        assert str(article_graph_iri("new")) in store.named_graphs()


def test_read_only_server_sees_a_later_ingest(tmp_path):
    path = _make_store(tmp_path / "store")
    with serve(path, port=0, workers=1, timeout=5) as srv:
        ask = "ASK { GRAPH ?g { <urn:x:late> ?p ?o } }"
        with _get(srv, ask, "application/sparql-results+json") as r:
            assert json.loads(r.read())["boolean"] is False
        with open_store(path) as store:
            store.replace_graph(article_graph_iri("late"), [(URIRef("urn:x:late"), RDFS.label, Literal("late"))])
        with _get(srv, ask, "application/sparql-results+json") as r:
            assert json.loads(r.read())["boolean"] is True


def test_port_in_use_and_missing_store(server, tmp_path):
    host, port = server.address
    with pytest.raises(ServeError, match="cannot listen"):
        SparqlServer(ServeConfig(server.config.store_path, host, port)).start()
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "serve", "--port", "0"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: no cmkg store at")


def test_cli_serve_answers_and_stops_on_sigterm(store_path):
    proc = subprocess.Popen([sys.executable, "-m", "graph", "--store", str(store_path), "serve", "--port", "0",
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = proc.stdout.readline()
        assert first.startswith(f"Serving {store_path} (read-only) at http://127.0.0.1:"), first
        url = first.rsplit(" at ", 1)[1].strip()
        with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": CROSS_GRAPH}), timeout=10) as r:
            assert r.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert "Traceback" not in proc.stderr.read()


def test_content_negotiation_helpers():
    assert parse_accept("text/csv;q=0.5, application/sparql-results+xml") == ["application/sparql-results+xml",
                                                                              "text/csv"]
    assert parse_accept("text/csv", "json") == ["application/sparql-results+json"]
    assert choose_format(["text/turtle", "text/csv"], "results") == "csv"
    assert choose_format(["text/csv"], "graph") == "turtle"
    assert choose_format([], "results") == "json"
    tsv = serialize_solutions(["x"], [(ox.Literal("a\tb"),), (None,)], "tsv").decode()
    assert tsv == '?x\n"a\\tb"\n\n'


def test_result_writers_match_pyoxigraph_byte_for_byte():
    """The endpoint's writers (needed to cut answers at --max-results) are pinned to pyoxigraph's serializers."""
    store = ox.Store()
    store.update('INSERT DATA { <http://a/x> <http://a/p> 3, -4, 1.50, 2.0e3, true, "x\\ty\\nz \\"q\\", <b>&amp;", '
                 '"chat"@fr, "+7"^^<http://www.w3.org/2001/XMLSchema#integer>, "abc"^^<http://a/dt> . '
                 '_:b <http://a/p> "磁铁" }')
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY STR(?o)"
    for name, (_, fmt) in FORMATS.items():
        expected = store.query(query).serialize(format=fmt)
        result = store.query(query)
        variables = [v.value for v in result.variables]
        rows = [tuple(s[i] for i in range(len(variables))) for s in result]
        assert serialize_solutions(variables, rows, name) == expected, name
        for ask in ("ASK { ?s ?p 3 }", "ASK { ?s ?p 99 }"):
            assert serialize_boolean(bool(store.query(ask)), name) == store.query(ask).serialize(format=fmt), name


def _serve_process(store_path, *args, env=None):
    return subprocess.Popen([sys.executable, "-m", "graph", "--store", str(store_path), "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def test_writable_endpoint_on_the_network_needs_a_token_and_checks_it(tmp_path):
    path = _make_store(tmp_path / "store")
    refused = _serve_process(path, "--writable", "--host", "0.0.0.0")
    out, err = refused.communicate(timeout=30)
    assert refused.returncode == 1 and out == ""
    assert err.strip().startswith("Error: a writable endpoint on 0.0.0.0") and "token" in err
    assert len(err.strip().splitlines()) == 1
    with open_store(path, read_only=True) as store:
        assert str(article_graph_iri("new")) not in store.named_graphs()

    proc = _serve_process(path, "--writable", "--host", "0.0.0.0", env={"CMKG_TOKEN": "s3cret-token"})
    try:
        first = proc.stdout.readline()
        assert "(writable)" in first, first + proc.stderr.read()
        port = first.rsplit(":", 1)[1].split("/")[0]
        update_url = f"http://127.0.0.1:{port}/update"
        insert = f"INSERT DATA {{ GRAPH <{article_graph_iri('new')}> {{ <urn:x:s> <urn:x:p> 'added' }} }}".encode()
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0LXRva2Vu"}):
            request = urllib.request.Request(update_url, data=insert,
                                             headers={"Content-Type": "application/sparql-update", **headers})
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(request, timeout=10)
            assert info.value.code == 401
            assert info.value.headers["WWW-Authenticate"].startswith("Bearer")
        request = urllib.request.Request(update_url, data=insert, headers={
            "Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token"})
        with urllib.request.urlopen(request, timeout=10) as r:
            assert r.status == 204
        # queries stay open to anyone who can reach the endpoint
        url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": "ASK { <urn:x:s> ?p ?o }"})
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                    timeout=10) as r:
            assert json.loads(r.read())["boolean"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    assert "Traceback" not in proc.stderr.read()
