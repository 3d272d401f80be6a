"""The HTTP side of the endpoint: SPARQL 1.1 Protocol requests, the server's lifecycle, and who may write."""

from __future__ import annotations

import hmac
import ipaddress
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

from graph.errors import CmkgError, StoreError, one_line
from graph.serve.results import parse_accept
from graph.serve.workers import ServeError, Worker

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RESULTS = 10_000
MAX_BODY = 4 * 1024 * 1024
QUERY_PATHS = ("/", "/query", "/sparql")
UPDATE_PATHS = ("/update",)


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
    token: str | None = None  # when set, every update must carry `Authorization: Bearer TOKEN`


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
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


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
        if cfg.token is not None and not cfg.token.strip():
            raise ServeError("the token is empty: give --token (or CMKG_TOKEN) a secret value")
        if cfg.writable and not cfg.token and not is_loopback(cfg.host):
            raise ServeError(f"a writable endpoint on {cfg.host} would let anyone who can reach it change the store: "
                             "give a token (--token or CMKG_TOKEN); clients then send `Authorization: Bearer TOKEN`")
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
            self._send_error(err.status, err.message, **err.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as err:  # noqa: BLE001 - the client gets one line, never a traceback
            self.app.stats["errors"] += 1
            self._send_error(500, f"internal error: {type(err).__name__}: {one_line(err, 300)}")

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
            self._check_token()
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

    def _check_token(self) -> None:
        """Updates need `Authorization: Bearer TOKEN` when the server has a token (compared in constant time)."""
        token = self.app.config.token
        if not token:
            return
        scheme, _, given = (self.headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise HttpError(401, "this update needs `Authorization: Bearer TOKEN` with the server's token",
                            {"WWW-Authenticate": 'Bearer realm="cmkg"'})

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
        extra = {k if "-" in k else k.capitalize(): v for k, v in headers.items()}
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
