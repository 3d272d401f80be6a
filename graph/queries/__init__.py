"""Saved SPARQL queries (the competency questions): list them, load them, run them by name.

Each `graph/queries/NAME.rq` starts with comment lines:

    # title: Which industries depend on MINERAL?
    # description: free text (continued on following `#   ` lines)
    # param: mineral (entity: Mineral) what it is
    # param: asOf (date) what it is
    # param: stage (string, default any) what it is

Parameters are never pasted into the query text: they are bound as SPARQL variables (Oxigraph
`substitutions`), so a name typed by a user cannot change the query. Oxigraph binds only variables
of the outer SELECT (not inside sub-SELECTs), so every parameter must appear in the projection. Entity parameters accept a
label ("dysprosium", "U.S.", "heavy rare earths"), a cmkg IRI, or `kind/slug` ("mineral/dysprosium");
labels resolve through skos:prefLabel, rdfs:label, skos:altLabel and its sub-properties, in that
order of preference. Parameter types: entity[: Class], date, string, integer, decimal, iri.
Without a declared type, parameters named like an entity (mineral, country, issuer, ...) are
entities and all others plain strings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from graph.dates import parse_day
from graph.errors import InputError
from graph.namespaces import CMKG, ID, PREFIXES
from graph.resources import queries_dir

ENTITY_NAMES = {"mineral", "country", "industry", "issuer", "target", "item", "group", "product", "component",
                "material", "technology", "entity", "organization", "person", "a", "b", "source", "polity"}
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<spec>[^)]*)\))?\s*(?P<doc>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str = "string"            # entity, date, string, integer, decimal, iri
    cls: str | None = None          # for entities: the cmkg class the name must resolve to
    default: str | None = None
    doc: str = ""


@dataclass(frozen=True)
class QueryInfo:
    name: str
    title: str
    description: str
    params: tuple[str, ...]
    text: str
    param_specs: tuple[Param, ...] = field(default=(), repr=False)

    def spec(self, name: str) -> Param:
        for p in self.param_specs:
            if p.name == name:
                return p
        raise KeyError(name)


def _parse_param(line: str) -> Param:
    m = _PARAM.match(line.strip())
    if not m:
        raise InputError(f"malformed '# param:' line: {line!r}")
    name, spec, doc = m.group("name"), (m.group("spec") or "").strip(), m.group("doc").strip()
    kind, cls, default = None, None, None
    for part in filter(None, (p.strip() for p in spec.split(","))):
        if part.startswith("default"):
            default = part.split(" ", 1)[1].strip() if " " in part else part.split("=", 1)[-1].strip()
        elif ":" in part:
            kind, cls = (x.strip() for x in part.split(":", 1))
        else:
            kind = part
    if kind is None:
        kind = "entity" if name in ENTITY_NAMES else "string"
    if kind not in ("entity", "date", "string", "integer", "decimal", "iri"):
        raise InputError(f"unknown parameter type {kind!r} for {name}")
    return Param(name, kind, cls, default, doc)


def _parse(name: str, text: str) -> QueryInfo:
    title, description, params = name, [], []
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:].strip()
        key, _, value = body.partition(":")
        if key in ("title", "description", "param") and _:
            current = key
            if key == "title":
                title = value.strip()
            elif key == "description":
                description.append(value.strip())
            else:
                params.append(_parse_param(value))
        elif current == "description" or (current is not None and body):
            description.append(body)
    return QueryInfo(name, title, " ".join(d for d in description if d), tuple(p.name for p in params), text,
                     tuple(params))


def list_queries() -> list[QueryInfo]:
    """Every saved query, sorted by name."""
    return [load_query(p.stem) for p in sorted(queries_dir().glob("*.rq"))]


def load_query(name: str) -> QueryInfo:
    name = name[:-3] if name.endswith(".rq") else name
    if not _NAME.match(name):
        raise InputError(f"no saved query named {name!r}; see `cmkg sparql --list`")
    path = queries_dir() / f"{name}.rq"
    if not path.is_file():
        names = [p.stem for p in sorted(queries_dir().glob("*.rq"))]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(f"no saved query named {name!r}; {hint}known: {', '.join(names)}")
    return _parse(name, path.read_text(encoding="utf-8"))


# -- binding parameters -------------------------------------------------------------------------

_LABEL_PROPS = [  # (property, rank): lower rank wins when a name matches several entities
    ("skos:prefLabel", 0), ("rdfs:label", 1), ("skos:altLabel", 2), ("cmkg:demonym", 3), ("cmkg:metonym", 3),
    ("cmkg:looseLabel", 4), ("skos:hiddenLabel", 5),
]
_RESOLVE = """
SELECT DISTINCT ?name ?e ?p WHERE {
  VALUES ?p { %s }
  ?e ?p ?l .
  FILTER(isIRI(?e) && LCASE(STR(?l)) = ?name)
  %s
}""" % (" ".join(p for p, _ in _LABEL_PROPS), "%s")


def _query(store, sparql: str, bindings: dict[str, Identifier]):
    """(vars, rows of rdflib terms) from a KnowledgeStore or a raw pyoxigraph Store."""
    if hasattr(store, "query") and hasattr(store, "raw_query"):
        result = store.query(sparql, bindings)
        return list(result.vars), [tuple(r) for r in result.rows]
    import pyoxigraph as ox
    from graph.adapters.oxrdflib_terms import from_ox, to_ox

    substitutions = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
    try:
        solutions = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES,
                                substitutions=substitutions)
    except SyntaxError as err:
        raise InputError(f"malformed SPARQL: {err}") from None
    names = [v.value for v in solutions.variables]
    rows = [tuple(from_ox(s[i]) if s[i] is not None else None for i in range(len(names))) for s in solutions]
    return names, rows


def resolve_entity(store, value: str, cls: str | None = None) -> URIRef:
    """The IRI an entity parameter names: a label first, then an IRI or `kind/slug`."""
    text = value.strip()
    if not text:
        raise InputError("empty entity name")
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    class_filter = ""
    if cls:
        class_filter = f"?e a/rdfs:subClassOf* cmkg:{cls} ."
    _, rows = _query(store, _RESOLVE % class_filter, {"name": Literal(text.lower())})
    if rows:
        rank = {f"{PREFIXES[p.split(':')[0]]}{p.split(':')[1]}": r for p, r in _LABEL_PROPS}
        best = min(rank[str(p)] for _, _, p in rows)
        found = sorted({str(e) for _, e, p in rows if rank[str(p)] == best})
        if len(found) == 1:
            return URIRef(found[0])
        raise InputError(f"{value!r} names {len(found)} entities ({', '.join(found[:5])}); give the IRI instead")
    if re.match(r"^[a-z]+/[a-z0-9-]+$", text):
        return URIRef(f"{ID}{text}")
    what = (cls or "entity").lower()
    raise InputError(f"no {what} named {value!r} in the graph (run `cmkg build` first, or check the spelling)")


def bind_params(store, info: QueryInfo, values: dict[str, str]) -> dict[str, Identifier]:
    """rdflib terms for every parameter of `info`, resolved against `store`; unknown names are errors."""
    unknown = set(values) - set(info.params)
    if unknown:
        raise InputError(f"query {info.name!r} has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {', '.join(info.params) or '(none)'}")
    bound: dict[str, Identifier] = {}
    for spec in info.param_specs:
        raw = values.get(spec.name, spec.default)
        if raw is None:
            raise InputError(f"query {info.name!r} needs --param {spec.name}=... ({spec.doc or spec.kind})")
        bound[spec.name] = _term(store, spec, str(raw))
    return bound


def _term(store, spec: Param, raw: str) -> Identifier:
    if spec.kind == "entity":
        return resolve_entity(store, raw, spec.cls)
    if spec.kind == "iri":
        return URIRef(raw)
    if spec.kind == "date":
        day = dt.date.today() if raw == "today" else parse_day(raw, spec.name)
        return Literal(day.isoformat(), datatype=XSD.date)
    if spec.kind == "integer":
        try:
            return Literal(int(raw))
        except ValueError:
            raise InputError(f"{spec.name} must be an integer, not {raw!r}") from None
    if spec.kind == "decimal":
        try:
            return Literal(Decimal(raw), datatype=XSD.decimal)
        except InvalidOperation:
            raise InputError(f"{spec.name} must be a number, not {raw!r}") from None
    return Literal(raw)


def run_named(store, name: str, params: dict[str, str] | None = None) -> tuple[list[str], list[tuple]]:
    """Run a saved query with parameters bound as values: (variable names, rows of rdflib terms).

    `store` is a graph.store.KnowledgeStore or a raw pyoxigraph Store (queried with the default
    graph as the union of all named graphs).
    """
    info = load_query(name)
    bindings = bind_params(store, info, dict(params or {}))
    return _query(store, info.text, bindings)


__all__ = ["QueryInfo", "Param", "list_queries", "load_query", "bind_params", "resolve_entity", "run_named", "CMKG"]
