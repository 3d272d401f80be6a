"""`cmkg push`: copy the store's named graphs to any SPARQL server (Oxigraph, Fuseki, GraphDB, ...).

Two standard ways, one request per named graph, each of which *replaces* that graph on the server,
so pushing again never duplicates anything:

- `gsp` (SPARQL 1.1 Graph Store HTTP Protocol): `PUT <graph-store>?graph=<g>` with the graph as
  N-Triples. The URL is the server's graph store (Oxigraph `/store`, Fuseki `/DATASET/data`,
  GraphDB `/repositories/REPO/rdf-graphs/service`).
- `update` (SPARQL 1.1 Update): `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }` POSTed
  to the update endpoint (Oxigraph `/update`, Fuseki `/DATASET/update`, GraphDB
  `/repositories/REPO/statements`); servers run one request as one transaction.

Only named graphs are sent (cmkg keeps nothing in the default graph). The local store is opened
read-only and never changed. A server that cannot be reached or that answers with an error stops
the push with one line saying which graph failed and how many went before it.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import CmkgError, InputError

PROTOCOLS = ("gsp", "update")
DEFAULT_TIMEOUT = 60.0
USER_AGENT = "cmkg-push"


class PushError(CmkgError):
    """The SPARQL server could not be reached or refused a graph."""


@dataclass
class PushReport:
    target: str
    protocol: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0


def check_url(url: str, what: str = "--endpoint") -> str:
    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{what} {url!r} is not an http(s) URL")
    return url


def basic_auth(user: str | None, password: str | None) -> dict[str, str]:
    if not user:
        return {}
    token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def graph_ntriples(store, name: str) -> tuple[bytes, int]:
    """One named graph of `store` (a KnowledgeStore) as N-Triples bytes, with its triple count."""
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


def gsp_url(graph_store: str, graph: str) -> str:
    sep = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def update_body(graph: str, ntriples: bytes) -> bytes:
    """The SPARQL Update that replaces `graph` by these triples (N-Triples lines are valid INSERT DATA)."""
    iri = f"<{graph}>"
    head = f"DROP SILENT GRAPH {iri} ;\n".encode()
    if not ntriples.strip():
        return head.rstrip(b" ;\n")
    return head + f"INSERT DATA {{ GRAPH {iri} {{\n".encode() + ntriples + b"} }\n"


def bearer_auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _send(request: urllib.request.Request, graph: str, done: int, timeout: float) -> None:
    target = request.full_url.split("?")[0]
    before = f" ({done} graph{'s' if done != 1 else ''} pushed before it)" if done else ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = _first_line(err.read())
        hint = " (check --token / CMKG_TOKEN, or --user and CMKG_PUSH_PASSWORD)" if err.code in (401, 403) else ""
        raise PushError(f"{target} answered {err.code} {err.reason} for <{graph}>{before}{hint}"
                        + (f": {detail}" if detail else "")) from None
    except urllib.error.URLError as err:
        reason = getattr(err.reason, "strerror", None) or err.reason
        hint = ""
        if isinstance(err.reason, ConnectionRefusedError):
            hint = (" (is a SPARQL server running there? e.g. `oxigraph serve --location DIR --bind "
                    "127.0.0.1:7878` from the cmkg[server] extra)")
        raise PushError(f"cannot reach {target}: {reason}{before}{hint}") from None
    except (TimeoutError, OSError) as err:
        raise PushError(f"cannot reach {target}: {getattr(err, 'strerror', None) or err}{before}") from None


def _first_line(body: bytes, limit: int = 200) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def push(store, endpoint: str, *, protocol: str = "gsp", graph_store: str | None = None,
         graphs: Iterable[str] | None = None, user: str | None = None, password: str | None = None,
         token: str | None = None, timeout: float = DEFAULT_TIMEOUT, progress: Callable[[int], None] | None = None) -> PushReport:
    """Send the named graphs of `store` (all, or `graphs`) to a SPARQL server; each replaces its namesake."""
    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")
    target = check_url(graph_store, "--graph-store") if protocol == "gsp" and graph_store else check_url(endpoint)
    available = store.named_graphs()
    if graphs:
        wanted = list(dict.fromkeys(str(g) for g in graphs))
        missing = [g for g in wanted if g not in available]
        if missing:
            raise InputError(f"the store has no named graph <{missing[0]}>")
    else:
        wanted = available
    if not wanted:
        raise InputError("the store has no named graphs to push: run `cmkg build` or `cmkg ingest` first")
    if user and token:
        raise InputError("give either a user (basic auth) or a token (bearer), not both")
    headers = {"User-Agent": USER_AGENT, **basic_auth(user, password), **bearer_auth(token)}
    report = PushReport(target, protocol)
    started = time.perf_counter()
    for graph in wanted:
        data, count = graph_ntriples(store, graph)
        if protocol == "gsp":
            request = urllib.request.Request(gsp_url(target, graph), data=data, method="PUT",
                                             headers={**headers, "Content-Type": "application/n-triples"})
        else:
            request = urllib.request.Request(target, data=update_body(graph, data), method="POST",
                                             headers={**headers, "Content-Type": "application/sparql-update"})
        _send(request, graph, len(report.graphs), timeout)
        report.graphs.append(graph)
        report.triples += count
        if progress:
            progress(1)
    report.seconds = time.perf_counter() - started
    return report
