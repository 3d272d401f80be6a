"""The knowledge store: an rdflib Dataset on an embedded Oxigraph store, one named graph per article.

Why this shape:
- Writes go to pyoxigraph directly, one SPARQL UPDATE per change (`DROP SILENT GRAPH g; INSERT DATA
  {GRAPH g {...}}`), which Oxigraph applies in a single transaction. rdflib's own update path through
  oxrdflib adds triple by triple with no transaction, so a failure half-way would leave half an article.
- Queries run in Oxigraph with the **default graph = union of all named graphs**: cmkg stores nothing
  in the real default graph, and a query without GRAPH clauses sees ontology, reference and articles
  together. The rdflib view (`dataset`) is opened with `default_union=True` so both APIs agree.
- A writer holds Oxigraph's lock on the directory; other writers wait up to `lock_timeout` seconds and
  then fail with StoreBusyError. Readers open the directory read-only and never block a writer.
"""

from __future__ import annotations

import io
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Identifier

from graph.adapters.oxrdflib_terms import from_ox, to_ox
from graph.errors import InputError, StoreBusyError, StoreError, one_line
from graph import relations
from graph.namespaces import ARTICLE_GRAPH_PREFIX, PREFIXES
from graph.revision import REVISION_FILE

T = TypeVar("T")

DEFAULT_STORE = Path(".cmkg") / "store"

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False, "ttl"),
    "trig": (ox.RdfFormat.TRIG, True, "trig"),
    "nt": (ox.RdfFormat.N_TRIPLES, False, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, True, "nq"),
    "jsonld": (ox.RdfFormat.JSON_LD, True, "jsonld"),
}


def default_store_path() -> Path:
    return Path(os.environ.get("CMKG_STORE") or DEFAULT_STORE)


@dataclass
class QueryResult:
    """A SELECT (vars + rows of rdflib terms), ASK (boolean) or CONSTRUCT/DESCRIBE (graph) answer."""

    kind: str
    vars: list[str]
    rows: list[tuple]
    boolean: bool | None = None
    graph: Graph | None = None


def query_result(result) -> QueryResult:
    """A pyoxigraph query answer (solutions, boolean or triples) as a QueryResult of rdflib terms."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", [], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(from_ox(s[i]) if s[i] is not None else None for i in range(len(names))) for s in result]
        return QueryResult("SELECT", names, rows)
    g = Graph()
    for t in result:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return QueryResult("CONSTRUCT", [], [], graph=g)


# Comments, BASE and PREFIX declarations before the first keyword of a query or update.
_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def _lock_timeout_from_env() -> float:
    value = os.environ.get("CMKG_LOCK_TIMEOUT") or "10"
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise InputError(f"CMKG_LOCK_TIMEOUT={value!r} is not a number of seconds (>= 0)")
    return seconds


def _busy(err: OSError) -> bool:
    text = str(err)
    return "lock" in text.lower() and ("LOCK" in text or "temporarily unavailable" in text)


def _nt(term) -> str:
    """N-Triples form of an rdflib or pyoxigraph term, for INSERT DATA."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return str(term)
    return str(to_ox(term))


def _nt_triple(t) -> str:
    """One `s p o` line; accepts rdflib triples and pyoxigraph Triples or Quads (the graph name is ignored)."""
    if isinstance(t, (ox.Quad, ox.Triple)):
        return f"{t.subject} {t.predicate} {t.object}"
    s, p, o = t
    return f"{_nt(s)} {_nt(p)} {_nt(o)}"


class KnowledgeStore:
    """A cmkg store on disk (or in memory when `path` is None)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float | None = None):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._memory_revision = 0
        if self.path is None:
            self._ox = ox.Store()
        elif read_only:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"no cmkg store at {self.path}: run `cmkg build` or `cmkg ingest` first")
            self._ox = self._open_read_only()
        else:
            self._ox = self._open_writable(_lock_timeout_from_env() if lock_timeout is None else lock_timeout)
        self._dataset: Dataset | None = None
        self._derived: dict[str, tuple[str, object]] = {}

    def _open_read_only(self) -> ox.Store:
        # A store that a writer is creating right now has CURRENT but not yet all its column families:
        # RocksDB says "Column family not found" (a RuntimeError). It is complete a moment later.
        for attempt in range(20):
            try:
                return ox.Store.read_only(str(self.path))
            except RuntimeError as err:
                if "column family not found" not in str(err).lower() or attempt == 19:
                    raise StoreError(f"cannot open the store at {self.path}: {one_line(err)}") from None
                time.sleep(0.05)
            except OSError as err:
                raise StoreError(f"cannot open the store at {self.path}: {one_line(err)}") from None

    def _open_writable(self, lock_timeout: float) -> ox.Store:
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is a file, not a store folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the store folder {self.path}: {err.strerror or err}") from None
        deadline = time.monotonic() + lock_timeout
        while True:
            try:
                return ox.Store(str(self.path))
            except RuntimeError as err:
                raise StoreError(f"cannot open the store at {self.path}: {one_line(err)}") from None
            except OSError as err:
                if not _busy(err):
                    raise StoreError(f"cannot open the store at {self.path}: {err}") from None
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"store is busy: another cmkg process is writing to {self.path} (waited {lock_timeout:g} s)"
                    ) from None
                time.sleep(0.2)

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._ox is not None and not self.read_only:
            try:
                self._ox.flush()
            except OSError:
                pass
        self._dataset = None
        self._ox = None

    @property
    def oxigraph(self) -> ox.Store:
        return self._ox

    @property
    def dataset(self) -> Dataset:
        """The rdflib view of the same store (default graph = union of named graphs)."""
        if self._dataset is None:
            self._dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=True)
            for prefix, ns in PREFIXES.items():
                self._dataset.bind(prefix, ns)
        return self._dataset

    def union_graph(self) -> Graph:
        """All triples of all named graphs as one in-memory rdflib Graph (for validation, small stores)."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for quad in self._ox:
            g.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return g

    # -- writing -------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def replace_graphs(self, graphs: dict[URIRef, Iterable[tuple]]) -> None:
        """Replace each named graph with the given triples, all in one transaction."""
        self._require_writable()
        parts = []
        try:
            for name, triples in graphs.items():
                g = _nt(URIRef(name))
                body = " .\n".join(_nt_triple(t) for t in triples)
                parts.append(f"DROP SILENT GRAPH {g}")
                if body:
                    parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}")
        except ValueError as err:  # an invalid IRI or literal: nothing has been written yet
            raise StoreError(f"could not write to the store: {one_line(err)}") from None
        if not parts:
            return
        try:
            self._ox.update(" ;\n".join(parts))
        except (OSError, SyntaxError, RuntimeError) as err:
            raise StoreError(f"could not write to the store: {err}") from None
        self._bump_revision()

    def replace_graph(self, name: URIRef, triples: Iterable[tuple]) -> None:
        self.replace_graphs({name: triples})

    def remove_graphs(self, names: Iterable[URIRef]) -> None:
        self._require_writable()
        ops = [f"DROP SILENT GRAPH {_nt(URIRef(n))}" for n in names]
        if ops:
            self._ox.update(" ;\n".join(ops))
            self._bump_revision()

    def update(self, sparql: str, prefixes: dict | None = None) -> None:
        """Run a SPARQL UPDATE in one transaction (the writable endpoint); caches see the new revision."""
        self._require_writable()
        self._ox.update(sparql, prefixes=PREFIXES if prefixes is None else prefixes)
        self._bump_revision()

    def bulk_load(self, path: str | Path, fmt: ox.RdfFormat, graph: URIRef) -> None:
        """Fast, non-transactional load of a large file into one named graph (benchmarks, bulk imports)."""
        self._require_writable()
        self._ox.bulk_load(path=str(path), format=fmt, to_graph=ox.NamedNode(str(graph)))
        self._bump_revision()

    def _bump_revision(self) -> None:
        self._memory_revision += 1
        if self.path is not None:
            tmp = self.path / (REVISION_FILE + ".tmp")
            tmp.write_text(uuid.uuid4().hex)
            os.replace(tmp, self.path / REVISION_FILE)

    def flush(self) -> None:
        """Write buffered changes to disk (each transaction is already durable in the log)."""
        if self.path is not None and not self.read_only:
            self._ox.flush()

    def state_token(self) -> str:
        """Changes whenever the content changes: a cache key for views built from the store."""
        if self.path is None:
            return f"memory:{id(self._ox)}:{self._memory_revision}"
        try:
            return f"{self.path.resolve()}:{(self.path / REVISION_FILE).read_text()}"
        except OSError:
            return f"{self.path.resolve()}:empty"

    def cached(self, name: str, build: Callable[[KnowledgeStore], T]) -> T:
        """A value derived from the store's content (the networkx view, say), built once per store state.

        `build(store)` runs again only after the content changed (`state_token`), so callers never see
        a stale value and never need to keep private attributes on the store.
        """
        token = self.state_token()
        hit = self._derived.get(name)
        if hit is not None and hit[0] == token:
            return hit[1]  # type: ignore[return-value]
        value = build(self)
        self._derived[name] = (token, value)
        return value

    # -- reading -------------------------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._ox.named_graphs())

    def article_graphs(self) -> list[str]:
        return [g for g in self.named_graphs() if g.startswith(ARTICLE_GRAPH_PREFIX)]

    def graph_triples(self, name: URIRef) -> Graph:
        g = Graph()
        for quad in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return g

    def __len__(self) -> int:
        return len(self._ox)

    def is_empty(self) -> bool:
        return next(iter(self._ox), None) is None

    def raw_query(self, sparql: str, bindings: dict[str, Identifier] | None = None):
        """Run a query in Oxigraph; names typed by users arrive only as bound values (`bindings`).

        Oxigraph applies bindings as initial values of variables that the query projects (SELECT).
        """
        try:
            substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        except ValueError as err:  # e.g. an "IRI" typed by a user with spaces, quotes or braces in it
            raise InputError(f"not a valid value for the query: {one_line(err)}") from None
        try:
            return self._ox.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES,
                                  substitutions=substitutions)
        except SyntaxError as err:
            if _UPDATE.match(_PROLOGUE.sub("", sparql)):
                raise InputError("SPARQL Update (INSERT, DELETE, DROP, LOAD, ...) is refused: queries cannot change "
                                 "the store; use `cmkg ingest` to add articles") from None
            raise InputError(f"malformed SPARQL: {one_line(err)}") from None
        except OSError as err:
            raise StoreError(f"query failed: {one_line(err)}") from None
        except RuntimeError as err:
            raise InputError(f"query failed: {one_line(err)}") from None

    def query(self, sparql: str, bindings: dict[str, Identifier] | None = None) -> QueryResult:
        return query_result(self.raw_query(sparql, bindings))

    def export(self, output, fmt: str = "turtle") -> None:
        """Write the store to a path or binary stream. Triple formats get the union of all graphs."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        ox_format, quads, _ = EXPORT_FORMATS[fmt]
        if quads:
            self._ox.dump(output, ox_format, prefixes=PREFIXES if fmt != "nquads" else None)
            return
        if isinstance(output, (str, Path)):
            with open(output, "wb") as fh:
                self._dump_union(fh, ox_format)
        else:
            self._dump_union(output, ox_format)

    def _dump_union(self, out, ox_format) -> None:
        """Each named graph dumped in turn: the result parses as the union (RDF graphs are sets)."""
        graphs = list(self._ox.named_graphs())
        if not graphs:
            ox.serialize([], out, ox_format, prefixes=PREFIXES if ox_format == ox.RdfFormat.TURTLE else None)
        for i, name in enumerate(graphs):
            prefixes = PREFIXES if (i == 0 and ox_format == ox.RdfFormat.TURTLE) else None
            self._ox.dump(out, ox_format, from_graph=name, prefixes=prefixes)

    def export_bytes(self, fmt: str = "turtle") -> bytes:
        buf = io.BytesIO()
        self.export(buf, fmt)
        return buf.getvalue()

    def stats(self) -> dict:
        """Triples, graphs, entities per class and statements per relation, for `cmkg stats` and `build`."""
        graphs = self.named_graphs()
        classes = self.query(
            "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c . FILTER(STRSTARTS(STR(?c), STR(cmkg:))) "
            "FILTER(STRSTARTS(STR(?x), 'https://w3id.org/cmkg/id/')) } GROUP BY ?c ORDER BY DESC(?n)"
        )
        # Which properties and statement classes to count comes from the table of relations.
        edges = [*relations.direct_edges()]
        for rel in relations.relations():
            if rel.is_policy:
                edges += [rel.subject, rel.object, *(q.property for q in rel.qualifiers if q.value == "entity")]
        edge_terms = ", ".join(f"cmkg:{p}" for p in dict.fromkeys(edges))
        kind_terms = " ".join(f"cmkg:{c}" for c in (*relations.statement_classes(extracted_only=True),
                                                     "Evidence", "Article"))
        relation_rows = self.query(
            f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . FILTER(?p IN ({edge_terms})) }} "
            "GROUP BY ?p ORDER BY DESC(?n)"
        )
        kinds = self.query(
            f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?c . VALUES ?c {{ {kind_terms} }} }} GROUP BY ?c"
        )
        return {
            "triples": len(self._ox),
            "graphs": len(graphs),
            "articles": sum(1 for g in graphs if g.startswith(ARTICLE_GRAPH_PREFIX)),
            "entities_per_class": Counter({str(c).split("#")[-1]: int(n) for c, n in classes.rows}),
            "edges_per_relation": Counter({str(p).split("#")[-1]: int(n) for p, n in relation_rows.rows}),
            "statements_per_kind": Counter({str(c).split("#")[-1]: int(n) for c, n in kinds.rows}),
        }


def open_store(path: str | Path | None = None, *, read_only: bool = False, lock_timeout: float | None = None) -> KnowledgeStore:
    """Open the store at `path` (default: $CMKG_STORE or ./.cmkg/store)."""
    return KnowledgeStore(path if path is not None else default_store_path(), read_only=read_only,
                          lock_timeout=lock_timeout)
