"""`cmkg push` to a real Oxigraph server: both protocols, replace-not-duplicate, auth, clean failures."""

import base64
import os
import signal
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from graph.cli import cli
from graph.namespaces import article_graph_iri
from graph.push import PushError, push, update_body
from graph.serve import wait_until_up
from graph.store import open_store

from .conftest import small_graphs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str:
    local = Path(sys.executable).with_name("oxigraph")
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    return found


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real `oxigraph serve` on a free loopback port, stopped after the test."""
    port = _free_port()
    proc = subprocess.Popen([_oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query", timeout=15)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _remote(base: str) -> dict[str, set[str]]:
    """Named graph -> its triples as N-Triples lines, read back from the server."""
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    request = urllib.request.Request(base + "/query", data=query.encode(),
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        solutions = ox.parse_query_results(response.read(), ox.QueryResultsFormat.JSON)
        out: dict[str, set[str]] = {}
        for s in solutions:
            out.setdefault(s["g"].value, set()).add(f"{s['s']} {s['p']} {s['o']} .")
    return out


def _remote_default_graph_size(base: str) -> int:
    request = urllib.request.Request(base + "/query", data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        [s] = list(ox.parse_query_results(response.read(), ox.QueryResultsFormat.JSON))
    return int(s["n"].value)


def _local(store) -> dict[str, set[str]]:
    out = {}
    for name in store.named_graphs():
        quads = store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))
        out[name] = {f"{q.subject} {q.predicate} {q.object} ." for q in quads}
    return out


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_twice_replaces_never_duplicates(small_store, oxigraph_server, protocol):
    endpoint = oxigraph_server + ("/store" if protocol == "gsp" else "/update")
    with open_store(small_store, read_only=True) as store:
        local = _local(store)
        first = push(store, endpoint, protocol=protocol)
        assert sorted(first.graphs) == sorted(local) and first.triples == 8
        push(store, endpoint, protocol=protocol)
    assert _remote(oxigraph_server) == local  # same graphs, same triples, nothing twice
    assert _remote_default_graph_size(oxigraph_server) == 0  # only named graphs were written
    # a changed graph replaces the remote one: the dropped triple disappears there too
    one = article_graph_iri("one")
    with open_store(small_store) as store:
        kept = small_graphs()[one][:2]
        store.replace_graph(one, kept + [(URIRef("urn:x:s"), RDFS.label, Literal("new"))])
    with open_store(small_store, read_only=True) as store:
        push(store, endpoint, protocol=protocol, graphs=[str(one)])
        expected = _local(store)
    assert _remote(oxigraph_server) == expected


def test_cli_push_with_graph_store_and_selected_graph(small_store, oxigraph_server):
    two = str(article_graph_iri("two"))
    result = CliRunner().invoke(cli, ["--store", str(small_store), "push", "--endpoint", oxigraph_server + "/query",
                                      "--graph-store", oxigraph_server + "/store", "--graph", two])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Pushed 1 named graph(s), 2 triples, to " + oxigraph_server + "/store (gsp)")
    assert list(_remote(oxigraph_server)) == [two]


def _store_bytes(path) -> bytes:
    with open_store(path, read_only=True) as store:
        return store.export_bytes("nquads")


def test_unreachable_endpoint_is_one_line_and_store_untouched(small_store):
    before = _store_bytes(small_store)
    url = f"http://127.0.0.1:{_free_port()}/store"
    result = CliRunner().invoke(cli, ["--store", str(small_store), "push", "--endpoint", url])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot reach {url}: Connection refused"), lines
    assert "oxigraph serve --location DIR --bind 127.0.0.1:7878" in lines[0]  # how to start one
    assert _store_bytes(small_store) == before


def test_server_error_is_one_line_and_store_untouched(small_store, oxigraph_server):
    before = _store_bytes(small_store)
    result = CliRunner().invoke(cli, ["--store", str(small_store), "push", "--protocol", "update",
                                      "--endpoint", oxigraph_server + "/query"])  # not the update endpoint
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {oxigraph_server}/query answered 415") and "<https://w3id.org/cmkg/graph/" in line
    assert _store_bytes(small_store) == before


def test_bad_options(small_store):
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(small_store), "push", "--endpoint", "ftp://example.org/x"])
    assert result.exit_code == 1 and "is not an http(s) URL" in result.output
    result = runner.invoke(cli, ["--store", str(small_store), "push", "--endpoint", "http://127.0.0.1:9/",
                                 "--graph", "urn:not:there"])
    assert result.exit_code == 1 and "no named graph <urn:not:there>" in result.output


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.command, self.path, dict(self.headers), body))
        status = 401 if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"ann:s3cret").decode() \
            else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_basic_auth_from_user_and_environment(small_store, monkeypatch):
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/data"
    try:
        monkeypatch.setenv("CMKG_PUSH_PASSWORD", "s3cret")
        result = CliRunner().invoke(cli, ["--store", str(small_store), "push", "--endpoint", url, "--user", "ann"])
        assert result.exit_code == 0, result.output
        method, path, headers, body = _Recorder.seen[0]
        assert method == "PUT" and headers["Content-Type"] == "application/n-triples"
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["graph"] == [str(article_graph_iri("one"))]
        assert len(list(ox.parse(body, ox.RdfFormat.N_TRIPLES))) == 6
        monkeypatch.setenv("CMKG_PUSH_PASSWORD", "wrong")
        result = CliRunner().invoke(cli, ["--store", str(small_store), "push", "--endpoint", url, "--user", "ann"])
        assert result.exit_code == 1 and "answered 401" in result.output and "CMKG_PUSH_PASSWORD" in result.output
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_push_error_class_and_update_text():
    assert issubclass(PushError, Exception)
    body = update_body("urn:g", b'<urn:s> <urn:p> "o" .\n').decode()
    assert body.startswith("DROP SILENT GRAPH <urn:g> ;\nINSERT DATA { GRAPH <urn:g> {")
    assert update_body("urn:g", b"") == b"DROP SILENT GRAPH <urn:g>"


def test_push_sends_the_token_to_a_writable_cmkg_endpoint(small_store, tmp_path):
    """`cmkg serve --writable --token` in one process, `cmkg push --token` from another: only the token gets in."""
    remote = tmp_path / "remote"
    with open_store(remote) as store:
        store.replace_graphs({article_graph_iri("placeholder"): []})
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "graph", "--store", str(remote), "serve", "--port", "0",
                               "--writable", "--host", "0.0.0.0", "--token", "t0ken"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = server.stdout.readline()
        assert "(writable)" in first, first + server.stderr.read()
        port = first.rsplit(":", 1)[1].split("/")[0]
        endpoint = f"http://127.0.0.1:{port}/update"
        push_cmd = [sys.executable, "-m", "graph", "--store", str(small_store), "push", "--protocol", "update",
                    "--endpoint", endpoint]
        denied = subprocess.run(push_cmd, capture_output=True, text=True, env=env, timeout=60)
        assert denied.returncode != 0
        assert denied.stderr.startswith("Error: ") and "401" in denied.stderr and "--token" in denied.stderr
        assert len(denied.stderr.strip().splitlines()) == 1
        sent = subprocess.run(push_cmd, capture_output=True, text=True, env={**env, "CMKG_TOKEN": "t0ken"},
                              timeout=60)
        assert sent.returncode == 0, sent.stderr
        assert "Pushed" in sent.stdout and "Pushing" not in sent.stderr  # no progress label off a terminal
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    with open_store(small_store, read_only=True) as local, open_store(remote, read_only=True) as there:
        mine = _local(local)
        theirs = _local(there)
    assert all(theirs.get(name) == triples for name, triples in mine.items())
