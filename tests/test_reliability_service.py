"""Service safety and injection: `cmkg serve` is read-only by default, caps each query's run time and
listens on loopback; names typed by users reach SPARQL only as bound values, so a name such as
`} INSERT DATA { <a> <b> <c> } #` is an unknown name (with suggestions), never a write."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.test_reliability_support import (CMKG, base_env, cmkg_inproc, fresh_seeded_store, one_clean_error,
                                            snapshot)

HOSTILE = [
    '} INSERT DATA { <a> <b> <c> } #',
    'gallium" } ; INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } } #',
    "dysprosium' . } DROP ALL ; #",
    'x> } ; DELETE WHERE { ?s ?p ?o } #',
    '{{ "\\" \\u0022 ?s ?p ?o }}',
]


@pytest.fixture(scope="module")
def template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("service-template")


@pytest.fixture
def store(tmp_path, template_dir):
    return fresh_seeded_store(tmp_path / "store", template_dir)


def _commands() -> set[str]:
    from graph.cli import cli

    return set(cli.commands)


# -- names typed by users -------------------------------------------------------------------------------

NAME_COMMANDS = [
    ("depends", lambda name: ["depends", name]),
    ("path", lambda name: ["path", name, "wind power"]),
    ("path", lambda name: ["path", "dysprosium", name]),
    ("ask", lambda name: ["ask", f"which industries depend on {name}?"]),
    ("concentration", lambda name: ["concentration", name]),
    ("exposure", lambda name: ["exposure", "--issuer", name]),
    ("scenario", lambda name: ["scenario", "--restrict", f"China:{name}"]),
    ("render", lambda name: ["render", "-o", "{tmp}/g.html", "--focus", name]),
]


@pytest.mark.parametrize("command,argv", NAME_COMMANDS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(NAME_COMMANDS)])
def test_hostile_names_are_unknown_names_and_write_nothing(store, tmp_path, command, argv):
    if command not in _commands():
        pytest.fail(f"`cmkg {command}` is missing")
    before = snapshot(store)
    for name in HOSTILE:
        args = [a.replace("{tmp}", str(tmp_path)) for a in argv(name)]
        run = cmkg_inproc(*args, store=store)
        assert "Traceback" not in run.err, run.err
        if run.code == 0:  # a command may answer "nothing found" for a name it does not know
            assert "INSERT" not in run.out or name in run.out, run.out
        else:
            assert one_clean_error(run) is None, f"{args}: {run.err}"
            assert re.search(r"unknown|no node|not (a|an|found|known)|no such", run.err.lower()), run.err
    assert snapshot(store) == before


def test_near_miss_name_gets_did_you_mean(store):
    if "depends" not in _commands():
        pytest.fail("`cmkg depends` is missing")
    run = cmkg_inproc("depends", 'dysprosim"} INSERT DATA { <a> <b> <c> } #', store=store)
    assert one_clean_error(run) is None, run.err
    plain = cmkg_inproc("depends", "dysprosim", store=store)
    assert one_clean_error(plain) is None, plain.err
    assert "did you mean" in plain.err.lower() and "dysprosium" in plain.err.lower(), plain.err


def _saved_query_with_param():
    try:
        from graph import queries as saved

        return next((q for q in saved.list_queries() if q.params), None)
    except (ImportError, AttributeError):
        return None


def _params_by_kind() -> list[tuple[str, str]]:
    """(saved query, parameter) pairs, one for each kind of parameter (entity, date, iri, ...)."""
    try:
        from graph import queries as saved

        infos = saved.list_queries()
    except (ImportError, AttributeError):
        return []
    pairs, kinds = [], set()
    for info in infos:
        for spec in getattr(info, "param_specs", []):
            if spec.kind not in kinds:
                kinds.add(spec.kind)
                pairs.append((info.name, spec.name))
    return pairs


HOSTILE_VALUES = HOSTILE + ['http://a> } INSERT DATA { <urn:a> <urn:b> <urn:c> } #', "urn:x y", "2025-01-01\"^^<x> } #"]


def test_saved_query_params_are_bound_values(store):
    pairs = _params_by_kind()
    if not pairs:
        pytest.fail("no saved query with a parameter yet (graph/queries)")
    before = snapshot(store)
    for query, param in pairs:
        for value in HOSTILE_VALUES:
            run = cmkg_inproc("sparql", "--query", query, "--param", f"{param}={value}", store=store)
            assert "Traceback" not in run.err, run.err
            if run.code != 0:
                assert one_clean_error(run) is None, f"{query} --param {param}={value}: {run.err}"
    assert snapshot(store) == before


def test_unknown_saved_query_name_did_you_mean(store):
    query = _saved_query_with_param()
    if query is None:
        pytest.fail("no saved queries yet (graph/queries)")
    typo = query.name[:-1] + ("x" if not query.name.endswith("x") else "y")
    run = cmkg_inproc("sparql", "--query", typo, store=store)
    assert one_clean_error(run) is None, run.err
    assert "did you mean" in run.err.lower() and query.name in run.err, run.err


def test_store_query_bindings_are_values_not_text(store):
    """The library path: a hostile value bound to a variable matches nothing and changes nothing."""
    from rdflib import Literal

    from graph.store import open_store

    before = snapshot(store)
    with open_store(store, read_only=True) as s:
        for name in HOSTILE:
            rows = s.query("SELECT ?x ?label WHERE { ?x skos:prefLabel ?label }", {"label": Literal(name, lang="en")})
            assert rows.rows == []
    assert snapshot(store) == before


# -- cmkg serve -----------------------------------------------------------------------------------------


class Server:
    def __init__(self, store, *args):
        env = base_env(PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(CMKG + ["--store", str(store), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            match = re.search(r"(http://\S+?)(/query|/sparql)?\s*$", line.split(" at ")[-1]) if " at " in line else None
            if match:
                self.url = match.group(1).rstrip("/")
                break
        if self.url is None:
            self.stop()
            pytest.fail(f"cmkg serve did not start: {self.proc.stderr.read()}")

    def request(self, path: str, data: bytes | None = None, content_type: str | None = None, timeout=30):
        req = urllib.request.Request(self.url + path, data=data, method="POST" if data is not None else "GET")
        if content_type:
            req.add_header("Content-Type", content_type)
        req.add_header("Accept", "application/sparql-results+json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")
        except urllib.error.URLError as err:  # the server closed the connection (e.g. before a huge body)
            return None, str(err.reason)

    def query(self, text: str, timeout=30):
        return self.request("/query?" + urllib.parse.urlencode({"query": text}), timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()


def _other_address() -> str | None:
    """A non-loopback address of this machine, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


@pytest.fixture
def server(store):
    if "serve" not in _commands():
        pytest.fail("`cmkg serve` is missing")
    srv = Server(store, "--timeout", "1", "--workers", "1")
    yield srv, store
    srv.stop()


def test_serve_is_read_only_loopback_and_caps_query_time(server):
    srv, store = server
    before = snapshot(store)
    host = urllib.parse.urlsplit(srv.url).hostname
    assert host in ("127.0.0.1", "localhost", "::1"), srv.url
    other = _other_address()
    if other is not None:
        port = urllib.parse.urlsplit(srv.url).port
        with pytest.raises(OSError):
            socket.create_connection((other, port), timeout=2).close()
    # a query works
    status, body = srv.query("ASK { ?s ?p ?o }")
    assert status == 200 and "true" in body, (status, body)
    # updates are refused, however they are sent
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    attempts = [
        srv.request("/update", urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded"),
        srv.request("/update", update.encode(), "application/sparql-update"),
        srv.request("/query", update.encode(), "application/sparql-query"),
        srv.query(update),
        srv.query("DROP ALL"),
    ]
    for status, body in attempts:
        assert status in (400, 403), (status, body)
        assert "\n" not in body.strip() and "Traceback" not in body, body
    # malformed queries and oversized or odd requests get one-line 4xx answers
    for status, body in [srv.query("SELECT * WHERE { ?s ?p }"),
                         srv.request("/query", b"\xff\xfe\x00garbage", "application/sparql-query"),
                         srv.request("/nowhere"),
                         srv.request("/query", b"query=ASK{}", "text/html")]:
        assert status is not None and 400 <= status < 500, (status, body[:200])
        assert "\n" not in body.strip() and "Traceback" not in body, body[:300]
    status, body = srv.request("/query", b"x" * (5 * 1024 * 1024), "application/sparql-query")
    assert status in (413, None), (status, body[:200])  # refused, or the connection closed before the body
    assert srv.query("ASK { ?s ?p ?o }")[0] == 200
    # a runaway query is stopped at the limit, with a one-line answer, and the server keeps serving
    started = time.monotonic()
    values = " ".join(str(i) for i in range(30))
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {values} }}" for i in range(8)) + " }"
    status, body = srv.query(runaway, timeout=60)
    took = time.monotonic() - started
    assert status == 503 and "time limit" in body, (status, body[:200])
    assert took < 10, f"the time limit of 1 s took {took:.1f} s to act"
    status, body = srv.query("ASK { ?s ?p ?o }")
    assert status == 200, (status, body)
    assert snapshot(store) == before


def test_serve_on_missing_store_is_one_line(tmp_path):
    if "serve" not in _commands():
        pytest.fail("`cmkg serve` is missing")
    proc = subprocess.run(CMKG + ["--store", str(tmp_path / "none"), "serve", "--port", "0"], capture_output=True,
                          text=True, env=base_env(), timeout=60)
    from tests.test_reliability_support import Run

    run = Run(proc.returncode, proc.stdout, proc.stderr)
    assert one_clean_error(run) is None, run.err
    assert not (tmp_path / "none").exists()


def test_invalid_iri_param_is_one_line_in_a_real_process(store):
    """Library log lines (rdflib's "does not look like a valid URI") reach a real terminal, unlike pytest's."""
    from tests.test_reliability_support import cmkg

    pairs = [(q, p) for q, p in _params_by_kind()]
    if not pairs:
        pytest.fail("no saved query with a parameter yet (graph/queries)")
    query, param = pairs[0]
    before = snapshot(store)
    run = cmkg("sparql", "--query", query, "--param", f"{param}=http://a> }} INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} #",
               store=store)
    assert one_clean_error(run) is None, run.err
    assert snapshot(store) == before
