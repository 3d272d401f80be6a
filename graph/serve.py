"""`cmkg serve`: a SPARQL 1.1 Protocol endpoint over a cmkg store, read-only and on loopback by default.

Why it is written in Python over pyoxigraph rather than by starting `oxigraph serve-read-only`:
the Oxigraph server has a query timeout, but it reports a timeout as the tail of a `200 OK` body
that has already started streaming, and it has no limit on the size of a result. cmkg needs a clean
error for a query that runs too long and a bounded answer, so:

- Queries run in a small pool of **worker processes**, each holding the store open *read-only*
  (`pyoxigraph.Store.read_only`). The HTTP threads only parse requests and wait. A query that
  exceeds the time limit gets a `503` with a one-line message, and its worker process is killed
  and replaced, so a runaway query never keeps burning a core after its answer was given up.
- A worker serializes at most `max_results` rows (or triples) itself (JSON, XML, CSV, TSV for
  SELECT/ASK; Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE) and the response says
  so in `X-Cmkg-Truncated: true` when it cut the answer.
- The default graph is the **union of all named graphs**, as everywhere in cmkg (ontology/MODEL.md),
  unless the request names its dataset with `default-graph-uri` / `named-graph-uri`.
- Writes are refused (`403`) unless the server was started writable; even then a write has to
  come as a SPARQL Update, never through the query operation. Read-only workers could not write
  even if asked: the store is opened read-only. A writable server runs one worker that holds the
  store's writer lock, so queries and updates are served one at a time.
- Workers notice a newer store revision (written by `cmkg ingest`/`build`) and reopen the store,
  so a long-running endpoint serves what the store holds now.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import multiprocessing
import os
import queue
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from graph.errors import CmkgError, StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULTS = 10_000
MAX_BODY = 4 * 1024 * 1024
QUERY_PATHS = ("/", "/query", "/sparql")
UPDATE_PATHS = ("/update",)
REVISION_FILE = "cmkg-revision"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# media type -> result format name, for SELECT/ASK and for CONSTRUCT/DESCRIBE
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json", "text/javascript": "json",
    "application/javascript": "json", "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/xml": "xml", "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
    "application/ld+json": "jsonld", "application/json": "jsonld",
}
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}
GRAPH_MEDIA = {"turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
               "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json"}
# the `format=` / `output=` request parameter (SPARQLWrapper and browsers use it)
FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
                "ttl": "text/turtle", "ntriples": "application/n-triples", "nt": "application/n-triples",
                "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "jsonld": "application/ld+json",
                "json-ld": "application/ld+json"}


class ServeError(CmkgError):
    """The endpoint cannot start (store missing or busy, address in use, bad option)."""


# -- results serialization (runs in the worker processes) -------------------------------------------


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction.value if hasattr(direction, "value") else direction).lower()
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _xml_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_value(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv_value(term) -> str:
    # N-Triples form is the TSV form; tabs inside literals must be escaped too.
    return "" if term is None else str(term).replace("\t", "\\t")


def serialize_solutions(variables: list[str], rows: list, fmt: str) -> bytes:
    """SELECT results (rows of pyoxigraph terms or None) in a SPARQL 1.1 results format."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_csv_value(t) for t in row])
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def serialize_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return (b"true" if value else b"false") + (b"\r\n" if fmt == "csv" else b"\n")


def serialize_triples(triples: list, fmt: str, prefixes: dict | None = None) -> bytes:
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
    out = io.BytesIO()
    ox.serialize(triples, out, formats[fmt], prefixes=prefixes if fmt == "turtle" else None)
    return out.getvalue()


def choose_format(accept: list[str], kind: str) -> str:
    """The first acceptable format for a result of `kind` ('results' or 'graph'), else the default."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    for media in accept:
        if media in table:
            return table[media]
    return "turtle" if kind == "graph" else "json"


def parse_accept(header: str | None, format_param: str | None = None) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, order kept among equals)."""
    if format_param:
        name = format_param.strip().lower()
        return [FORMAT_NAMES.get(name, name.split(";")[0].strip())]
    ranked = []
    for i, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    return [media for _, _, media in sorted(ranked)]


# -- worker processes ----------------------------------------------------------------------------


def _revision(path: str) -> int:
    try:
        return os.stat(os.path.join(path, REVISION_FILE)).st_mtime_ns
    except OSError:
        return 0


def _open_worker_store(path: str, writable: bool):
    import pyoxigraph as ox

    if writable:
        from graph.store import open_store

        return open_store(path)  # a KnowledgeStore: waits for the writer lock, keeps the revision file
    return ox.Store.read_only(path)


def _execute(store, request: dict, prefixes: dict) -> tuple:
    import pyoxigraph as ox

    ox_store = store if isinstance(store, ox.Store) else store.oxigraph
    if request["op"] == "update":
        store.update(request["text"], prefixes=prefixes)  # a writable KnowledgeStore
        return ("ok", "text/plain; charset=utf-8", b"", False)
    options: dict = {"prefixes": prefixes}
    if request.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    result = ox_store.query(request["text"], **options)
    limit = request["limit"]
    if isinstance(result, ox.QueryBoolean):
        fmt = choose_format(request["accept"], "results")
        return ("ok", RESULT_MEDIA[fmt], serialize_boolean(bool(result), fmt), False)
    if isinstance(result, ox.QuerySolutions):
        fmt = choose_format(request["accept"], "results")
        variables = [v.value for v in result.variables]
        rows, truncated = [], False
        for solution in result:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append(tuple(solution[i] for i in range(len(variables))))
        return ("ok", RESULT_MEDIA[fmt], serialize_solutions(variables, rows, fmt), truncated)
    fmt = choose_format(request["accept"], "graph")
    triples, truncated = [], False
    for triple in result:
        if len(triples) >= limit:
            truncated = True
            break
        triples.append(triple)
    return ("ok", GRAPH_MEDIA[fmt], serialize_triples(triples, fmt, prefixes), truncated)


def _one_line(err: BaseException, limit: int = 300) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def worker_main(conn, path: str, writable: bool, prefixes: dict) -> None:
    """Loop of one worker process: open the store, then answer requests until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group; the server stops its workers
    try:
        store = _open_worker_store(path, writable)
    except (OSError, CmkgError) as err:
        conn.send(("failed", _one_line(err)))
        return
    conn.send(("ready",))
    seen = _revision(path)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        if request is None:
            break
        if not writable:
            now = _revision(path)
            if now != seen:
                try:
                    store = _open_worker_store(path, writable)
                    seen = now
                except OSError:
                    pass  # keep serving the previous snapshot
        try:
            reply = _execute(store, request, prefixes)
        except SyntaxError as err:
            reply = ("error", 400, f"malformed SPARQL: {_one_line(err)}")
        except ValueError as err:  # e.g. a default-graph-uri that is not an IRI
            reply = ("error", 400, f"bad request: {_one_line(err)}")
        except (OSError, RuntimeError, TypeError) as err:
            reply = ("error", 500, f"query failed: {_one_line(err)}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            break
    if not writable:
        return
    try:
        store.close()
    except Exception:  # noqa: BLE001 - exiting anyway
        pass


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context, path: str, writable: bool, prefixes: dict, start_timeout: float):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(child, path, writable, prefixes),
                                       name="cmkg-serve-worker", daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(start_timeout):
            self.kill()
            raise ServeError(f"a query worker did not start within {start_timeout:g} s")
        try:
            message = self.conn.recv()
        except EOFError:
            self.kill()
            raise ServeError("a query worker exited while opening the store") from None
        if message[0] != "ready":
            self.kill()
            raise ServeError(message[1])

    def ask(self, request: dict, timeout: float):
        """The worker's reply, or None when it did not answer within `timeout` seconds."""
        self.conn.send(request)
        if not self.conn.poll(timeout):
            return None
        return self.conn.recv()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


# -- the HTTP endpoint ----------------------------------------------------------------------------


@dataclass
class ServeConfig:
    store_path: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    writable: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_results: int = DEFAULT_MAX_RESULTS
    workers: int = 0  # 0: min(4, CPUs); a writable server always runs one
    prefixes: dict = field(default_factory=dict)


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


class HttpError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class SparqlServer:
    """The endpoint: `start()` binds and serves in a background thread; `serve_forever()` blocks."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._workers: set[Worker] = set()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.stats = {"queries": 0, "updates": 0, "errors": 0, "timeouts": 0}

    # lifecycle
    def start(self) -> SparqlServer:
        if self._httpd is not None:
            return self  # already serving
        cfg = self.config
        if cfg.timeout <= 0:
            raise ServeError("the time limit must be a positive number of seconds")
        if cfg.max_results < 1:
            raise ServeError("the result limit must be at least 1")
        path = Path(cfg.store_path)
        if not cfg.writable and not (path / "CURRENT").exists():
            raise StoreError(f"no cmkg store at {path}: run `cmkg build` or `cmkg ingest` first")
        if not cfg.prefixes:
            from graph.namespaces import PREFIXES

            cfg.prefixes = dict(PREFIXES)
        n = 1 if cfg.writable else (cfg.workers or min(4, os.cpu_count() or 1))
        try:
            self._httpd = _Httpd((cfg.host, cfg.port), _Handler, self)
        except OSError as err:
            raise ServeError(f"cannot listen on {cfg.host}:{cfg.port}: {err.strerror or err}") from None
        try:
            for _ in range(n):
                self._add_worker()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="cmkg-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        if self._thread is None:
            self.start()
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        self._stopped = True
        if self._httpd is not None:
            if self._thread is not None and self._thread.is_alive():
                self._httpd.shutdown()  # returns once serve_forever has stopped
            self._httpd.server_close()
            self._httpd = None
        with self._lock:
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self._httpd.server_address[:2]

    @property
    def url(self) -> str:
        host, port = self.address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    # workers
    def _add_worker(self) -> None:
        cfg = self.config
        start_timeout = 60.0 if cfg.writable else 30.0
        worker = Worker(self._context, str(cfg.store_path), cfg.writable, cfg.prefixes, start_timeout)
        with self._lock:
            stopped = self._stopped
            if not stopped:
                self._workers.add(worker)
        if stopped:  # the server stopped while this worker was starting
            worker.stop()
            return
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        try:
            self._add_worker()
        except CmkgError:
            pass  # the next request waits for a worker and reports the server as busy

    def run(self, request: dict) -> tuple[str, bytes, bool]:
        """Run one query or update in a worker; returns (content type, body, truncated) or raises HttpError."""
        timeout = self.config.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise HttpError(503, f"the endpoint is busy: no query worker free within {timeout:g} s") from None
        try:
            reply = worker.ask(request, timeout)
        except (OSError, EOFError):
            reply = ("lost",)
        if reply is None or reply[0] == "lost":
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            if reply is None:
                self.stats["timeouts"] += 1
                raise HttpError(503, f"the query exceeded the time limit of {timeout:g} s and was stopped")
            raise HttpError(500, "the query worker died; the query was not answered")
        self._idle.put(worker)
        if reply[0] == "error":
            raise HttpError(reply[1], reply[2])
        return reply[1], reply[2], reply[3]


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, handler, app: SparqlServer):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.app = app
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cmkg-sparql"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stall

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if os.environ.get("CMKG_SERVE_LOG"):
            super().log_message(format, *args)

    @property
    def app(self) -> SparqlServer:
        return self.server.app

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._send_error(405, "use GET or POST (SPARQL 1.1 Protocol)", allow="GET, POST")

    do_DELETE = do_PATCH = do_PUT

    def _handle(self, method: str) -> None:
        try:
            self._dispatch(method)
        except HttpError as err:
            self.app.stats["errors"] += 1
            self._send_error(err.status, err.message)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as err:  # noqa: BLE001 - the client gets one line, never a traceback
            self.app.stats["errors"] += 1
            self._send_error(500, f"internal error: {type(err).__name__}: {_one_line(err)}")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/") or "/"
        if path not in QUERY_PATHS and path not in UPDATE_PATHS:
            raise HttpError(404, f"no such resource {url.path}; the endpoint is /query (updates: /update)")
        body = self._read_body() if method == "POST" else b""
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        query = update = None
        if method == "POST":
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif content_type == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            elif content_type == "application/sparql-update":
                update = body.decode("utf-8", "replace")
            else:
                raise HttpError(415, "POST needs Content-Type application/x-www-form-urlencoded, "
                                     "application/sparql-query or application/sparql-update")
        if query is None and params.get("query"):
            query = _single(params, "query")
        if update is None and params.get("update"):
            if method == "GET":
                raise HttpError(400, "an update must be sent with POST")
            update = _single(params, "update")
        if query is not None and update is not None:
            raise HttpError(400, "a request carries either a query or an update, not both")
        if update is not None:
            if not self.app.config.writable:
                raise HttpError(403, "this endpoint is read-only (start `cmkg serve --writable` to allow updates)")
            self._run({"op": "update", "text": update})
            self.app.stats["updates"] += 1
            return
        if path in UPDATE_PATHS:
            raise HttpError(400, "missing `update` parameter")
        if query is None:
            if method == "GET" and not params:
                return self._send(200, "text/plain; charset=utf-8", self._about().encode())
            raise HttpError(400, "missing `query` parameter")
        accept = parse_accept(self.headers.get("Accept"),
                              (params.get("format") or params.get("output") or [None])[0])
        self._run({"op": "query", "text": query, "accept": accept, "limit": self.app.config.max_results,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])})
        self.app.stats["queries"] += 1

    def _run(self, request: dict) -> None:
        content_type, body, truncated = self.app.run(request)
        if request["op"] == "update":
            return self._send(204, None, b"")
        headers = {"X-Cmkg-Result-Limit": str(self.app.config.max_results)}
        if truncated:
            headers["X-Cmkg-Truncated"] = "true"
        self._send(200, content_type, body, headers)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise HttpError(411, "send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if length > MAX_BODY:
            raise HttpError(413, f"request body over {MAX_BODY // (1024 * 1024)} MB")
        return self.rfile.read(length) if length else b""

    def _about(self) -> str:
        cfg = self.app.config
        mode = "writable" if cfg.writable else "read-only"
        return (f"cmkg SPARQL 1.1 endpoint ({mode}). Queries: GET or POST {self.app.query_url}"
                f"{'; updates: POST ' + self.app.update_url if cfg.writable else ''}. Default graph = union of "
                f"all named graphs. Time limit {cfg.timeout:g} s, at most {cfg.max_results} results.\n")

    def _send(self, status: int, content_type: str | None, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(self, status: int, message: str, **headers) -> None:
        extra = {k.capitalize(): v for k, v in headers.items()}
        try:
            self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), extra)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _single(params: dict, key: str) -> str:
    values = params[key]
    if len(values) != 1:
        raise HttpError(400, f"exactly one `{key}` parameter is allowed")
    return values[0]


def serve(store_path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, **options) -> SparqlServer:
    """Start an endpoint in the background (for notebooks and tests); call `.stop()` when done."""
    return SparqlServer(ServeConfig(Path(store_path), host, port, **options)).start()


def wait_until_up(url: str, timeout: float = 10.0) -> None:
    """Block until something answers HTTP at `url` (tests, scripts)."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
