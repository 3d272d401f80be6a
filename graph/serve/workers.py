"""Worker processes of the endpoint: each holds the store open and answers one request at a time.

Read-only workers open the store with `pyoxigraph.Store.read_only` and reopen it when the store's
revision file changes (a later `cmkg ingest`); a writable server runs one worker holding the
store's writer lock. A worker that exceeds the time limit is killed and replaced by the server.
"""

from __future__ import annotations

from graph.errors import CmkgError, one_line
from graph.revision import revision_stamp
from graph.serve.results import GRAPH_MEDIA, RESULT_MEDIA, choose_format, serialize_boolean, serialize_solutions, \
    serialize_triples

class ServeError(CmkgError):
    """The endpoint cannot start (store missing or busy, address in use, bad option)."""


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


def worker_main(conn, path: str, writable: bool, prefixes: dict) -> None:
    """Loop of one worker process: open the store, then answer requests until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group; the server stops its workers
    try:
        store = _open_worker_store(path, writable)
    except (OSError, CmkgError) as err:
        conn.send(("failed", one_line(err, 300)))
        return
    conn.send(("ready",))
    seen = revision_stamp(path)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            break
        if request is None:
            break
        if not writable:
            now = revision_stamp(path)
            if now != seen:
                try:
                    store = _open_worker_store(path, writable)
                    seen = now
                except OSError:
                    pass  # keep serving the previous snapshot
        try:
            reply = _execute(store, request, prefixes)
        except SyntaxError as err:
            reply = ("error", 400, f"malformed SPARQL: {one_line(err, 300)}")
        except ValueError as err:  # e.g. a default-graph-uri that is not an IRI
            reply = ("error", 400, f"bad request: {one_line(err, 300)}")
        except (OSError, RuntimeError, TypeError) as err:
            reply = ("error", 500, f"query failed: {one_line(err, 300)}")
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
