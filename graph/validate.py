"""SHACL validation of the graph against ontology/shapes.ttl, with reports a person can act on.

Why without inference: the shapes target classes directly and SHACL already follows the
rdfs:subClassOf triples of cmkg.ttl (which are in the validated graph), so RDFS/OWL inference would
only add minutes, not findings. Each violation names the focus node by its label, the property
path and the shape's message, e.g.

    ProductionShare "China mining share of gallium 2024: 150%": cmkg:sharePercent: a production
    share needs one share: an xsd:decimal percentage between 0 and 100 (value 150)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from graph.errors import InputError
from graph.namespaces import CMKG, ONTOLOGY_GRAPH, PREFIXES
from graph.resources import ontology_file

@dataclass(frozen=True)
class Violation:
    focus: str
    focus_label: str
    focus_type: str
    path: str
    message: str
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.focus_type} {self.focus_label!r}" if self.focus_type else repr(self.focus_label)
        text = f"{where} <{self.focus}>"
        if self.path:
            text += f": {self.path}"
        text += f": {self.message}"
        if self.value is not None:
            text += f" (value {self.value})"
        return text


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    checked_triples: int = 0

    def __bool__(self) -> bool:  # truthy when the graph conforms
        return self.conforms

    def __len__(self) -> int:
        return len(self.violations)

    def __iter__(self):
        return iter(self.violations)

    def summary(self) -> str:
        if self.conforms:
            return f"conforms ({self.checked_triples:,} triples checked)"
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.severity] = counts.get(v.severity, 0) + 1
        parts = ", ".join(f"{n} {sev.lower()}{'s' if n != 1 else ''}" for sev, n in sorted(counts.items()))
        return f"does not conform: {parts} ({self.checked_triples:,} triples checked)"

    def rows(self) -> list[dict]:
        return [asdict(v) for v in self.violations]


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(ontology_file("shapes.ttl"), format="turtle")
    return g


@lru_cache(maxsize=1)
def _ontology_graph() -> Graph:
    g = Graph()
    g.parse(ontology_file("cmkg.ttl"), format="turtle")
    return g


def _qname(term: Node | None) -> str:
    if term is None:
        return ""
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>" if isinstance(term, URIRef) else text


def _plain(term):
    """A literal typed xsd:string (as Oxigraph returns simple literals) as a plain literal.

    RDF 1.1 says they are the same term, but rdflib compares them as different, so `sh:in ("=" ...)`
    would reject every value read back from the store.
    """
    return Literal(str(term)) if isinstance(term, Literal) and term.datatype == XSD.string else term


def _triples(data):
    """Every triple of `data` (Graph, Dataset, KnowledgeStore or Turtle path) and its prefixes."""
    if hasattr(data, "oxigraph"):  # a KnowledgeStore: the union of its named graphs, read once
        from graph.adapters.oxrdflib_terms import from_ox

        return ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in data.oxigraph), PREFIXES.items()
    if isinstance(data, Dataset):
        return ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None))), data.namespaces()
    if isinstance(data, Graph):
        return iter(data), data.namespaces()
    if isinstance(data, str) or hasattr(data, "read_text"):
        g = Graph()
        try:
            g.parse(str(data))
        except Exception as err:  # rdflib raises many parser-specific types
            raise InputError(f"cannot read {data}: {' '.join(str(err).split())[:200]}") from None
        return iter(g), g.namespaces()
    raise TypeError(f"cannot validate a {type(data).__name__}")


class _PreparedQueryGraph(Graph):
    """A Graph that parses and translates each distinct SPARQL text once.

    pyshacl runs a SPARQL-based constraint once per focus node, and rdflib parses the query text
    every time; parsing is most of a validation (9 s -> 1.5 s on the seed build). Here `query`, a
    public rdflib method, is given a prepared query (`rdflib.plugins.sparql.prepareQuery`, public)
    from a cache held by this graph only: nothing process-wide is changed, so validations in other
    threads are unaffected. The prepared algebra is not modified by evaluation, so reusing it with
    other initial bindings is safe (rdflib's own `prepareQuery` is meant for exactly that).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepared: dict = {}
        self._namespaces: dict | None = None

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803 - rdflib's names
              initBindings=None, use_store_provided=True, **kwargs):
        if isinstance(query_object, str) and processor == "sparql":
            if initNs is None:  # what Graph.query would use: this graph's bindings (fixed during a validation)
                if self._namespaces is None:
                    self._namespaces = dict(self.namespaces())
                initNs = self._namespaces
            base = kwargs.get("base")
            key = (query_object, base, tuple(sorted((str(k), str(v)) for k, v in initNs.items())))
            prepared = self._prepared.get(key)
            if prepared is None:
                prepared = self._prepared[key] = prepareQuery(query_object, initNs=initNs, base=base)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def validate(data, *, with_ontology: bool = True) -> ValidationReport:
    """Validate a Graph, Dataset or KnowledgeStore against the shapes; never raises on bad data.

    `with_ontology` adds cmkg.ttl when the data lacks it, because sh:targetClass and sh:class
    follow the subclass triples (a Mineral is an Item) only if they are in the validated graph.
    """
    import pyshacl

    triples, namespaces = _triples(data)
    g = _PreparedQueryGraph()
    for prefix, ns in namespaces:
        g.bind(prefix, ns, override=False)
    for s, p, o in triples:
        g.add((s, p, _plain(o)))
    if with_ontology and (CMKG.Mineral, RDFS.subClassOf, CMKG.Item) not in g:
        for t in _ontology_graph():
            g.add(t)
    conforms, results, _ = pyshacl.validate(
        g, shacl_graph=shapes_graph(), inference="none", abort_on_first=False,
        allow_infos=True, allow_warnings=True, advanced=False,
    )
    return ValidationReport(conforms=bool(conforms), violations=_violations(results, g), checked_triples=len(g))


def validate_store(store) -> ValidationReport:
    """Validate the union of all named graphs of a graph.store.KnowledgeStore (what `cmkg build` calls)."""
    return validate(store)


def _violations(results: Graph, data: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        out.append(Violation(
            focus=str(focus),
            focus_label=_label(data, focus),
            focus_type=_type(data, focus),
            path=_qname(path) if path is not None and not _is_bnode(path) else "",
            message=str(message) if message is not None else "does not conform",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=None if value is None or value == focus else (str(value) if isinstance(value, Literal) else _qname(value)),
        ))
    out.sort(key=lambda v: (v.focus_type, v.focus_label, v.path, v.message))
    return out


def _is_bnode(term) -> bool:
    return not isinstance(term, (URIRef, Literal))


def _label(g: Graph, node) -> str:
    for prop in (SKOS.prefLabel, RDFS.label):
        value = g.value(node, prop)
        if value is not None:
            return str(value)
    text = str(node)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _type(g: Graph, node) -> str:
    types = sorted(_qname(t).split(":")[-1] for t in g.objects(node, RDF.type) if str(t).startswith(str(CMKG)))
    return types[0] if types else ""
