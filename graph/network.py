"""The networkx view of the store: typed entities as nodes, direct relations as edges with their sources.

Why a view at all: the analyst's questions (what is downstream of dysprosium, which industries does
an export control reach, what is the shortest chain from China to robotics) are graph walks that
networkx answers in milliseconds once the graph is in memory, while the same walk as a SPARQL
property path re-reads the store every time. The view is loaded with a handful of bulk SELECTs (one
per kind of statement, never one per entity) and cached per store state, so repeated questions pay
for it once.

Shape (the renderer reads the same view, so this is a contract):
- node id = entity IRI (str); attrs `label`, `type` (class local name, most specific), `iri`,
  `alt_labels` (list), `groups` (IRIs of the mineral groups it belongs to, transitively) and
  `members` (IRIs of its members, transitively; groups only).
- edge attrs: `relation` (dependsOn, memberOf, controls, tariff, produces, dominates, affiliatedWith)
  and `sources`: a list of dicts with exactly the keys of SOURCE_KEYS: `sentence`, `url`, `article`,
  `title`, `citation`, `kind` (source kind where the data marks it), `confidence` (of an article
  sentence), `date` (of the article); None where unknown. Per relation:
  dependsOn X→Y (X needs Y; `share`, `confidence` when stated; `group_level` when stated for a group as
  a whole; `strength`, `kind` (best source kind) and `n_sources` from graph.analysis.evidence), memberOf mineral→group (sources:
  the classification claims behind it), controls issuer→item (`status`, `measure`, `measure_iri`,
  `kind`, `instrument`, `target` labels and `target_iris` (empty: all destinations), `announced`,
  `effective`, `date`, `suspended`, `suspended_until`, `lifted`; dates ISO strings, as precise as
  the data), tariff issuer→target (`rate`, `item` labels, `item_iris`, `date`, `status`),
  produces country→mineral (`stage`, `share`, `qualifier`, `year`, `preferred`/`stale` (bool, None when
  unmarked), `coverage_note`), dominates agent→item,
  affiliatedWith person→organization (`role`).
  Graph attrs: `newest_source` (ISO date of the newest article, or of the reference data's statuses),
  `state`, `triples`, `load_seconds`.
  Edge keys: the relation name for dependsOn/memberOf/dominates/affiliatedWith (one edge per pair,
  sources merged), the statement IRI for controls/tariff/produces (one edge per measure or share).
"""

from __future__ import annotations

import gc
import re
import time
from collections import OrderedDict, defaultdict

import networkx as nx
import pyoxigraph as ox

from rdflib.namespace import DCTERMS, PROV, RDFS, SDO, SKOS

from graph.errors import InputError
from graph.namespaces import CMKG, ID
from graph.relations import policy_relations, relations
from graph.vocabulary import entity_types, subclasses

# Entity classes from the ontology's subclass hierarchy, most specific first: an entity typed with
# several gets the first that applies.
ENTITY_TYPES = entity_types()
ITEM_TYPES = subclasses("Item")
POLITY_TYPES = subclasses("Polity")

_DCT = str(DCTERMS)
_PROV = str(PROV)
_SKOS = str(SKOS)
_RDFS = str(RDFS)
_SCHEMA = str(SDO)
C = str(CMKG)
_ENTITY_PREFIX = str(ID)

SOURCE_KEYS = ("sentence", "url", "article", "title", "citation", "kind", "confidence", "date")

_CACHE: OrderedDict[str, nx.MultiDiGraph] = OrderedDict()
_CACHE_SIZE = 4

# -- the bulk queries ------------------------------------------------------------------------------

_Q_TYPES = """
SELECT ?s ?t WHERE {
  VALUES ?t { %s }
  ?s a ?t .
}""" % " ".join(f"cmkg:{t}" for t in ENTITY_TYPES)

_Q_LABELS = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { skos:prefLabel rdfs:label skos:altLabel cmkg:demonym cmkg:metonym }
  ?s ?p ?o .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/cmkg/id/"))
}"""

# Relations written as direct edges (X cmkg:dependsOn Y), from the relation table; `mentions` is not a view edge.
DIRECT_RELATIONS = tuple(r.view for r in relations() if r.edge and r.view)
POLICY_RELATIONS = policy_relations()
_Q_EDGES = "SELECT ?s ?o WHERE { ?s cmkg:%s ?o }"

# Every property of every reified statement, one query per kind: the view is assembled in Python.
_Q_STATEMENTS = """
SELECT ?x ?p ?o WHERE {
  ?x a %s .
  ?x ?p ?o .
}"""

_Q_EVIDENCE = """
SELECT ?ev ?sentence ?article ?url ?title ?publisher ?date ?confidence ?kind WHERE {
  ?ev a cmkg:Evidence .
  OPTIONAL { ?ev cmkg:sentence ?sentence }
  OPTIONAL { ?ev cmkg:confidence ?confidence }
  OPTIONAL { ?ev dcterms:isPartOf ?article .
             OPTIONAL { ?article schema:url ?url }
             OPTIONAL { ?article dcterms:title ?title }
             OPTIONAL { ?article dcterms:publisher ?publisher }
             OPTIONAL { ?article dcterms:date ?date }
             OPTIONAL { ?article cmkg:sourceKind/skos:notation ?kind } }
}"""

# The kind of each source IRI (and statement) the data marks: official, industry, trade_press, news, other.
_Q_SOURCE_KINDS = """
SELECT ?x ?kind WHERE { ?x cmkg:sourceKind/skos:notation ?kind }"""

# The date of the newest source in the store: the newest article, or the date the reference data's statuses hold on.
_Q_NEWEST = """
SELECT (MAX(STR(?d)) AS ?newest) WHERE {
  { ?a a cmkg:Article ; dcterms:date ?d } UNION { ?x cmkg:statusAsOf ?d }
}"""

_Q_ANNOUNCEMENTS = """
SELECT ?a ?p ?o WHERE {
  ?a a cmkg:PolicyAnnouncement .
  VALUES ?p { dcterms:source prov:wasDerivedFrom cmkg:instrument cmkg:announcedOn cmkg:effectiveOn cmkg:date
              cmkg:suspendedOn cmkg:suspendedUntil cmkg:liftedOn cmkg:status cmkg:issuedBy }
  ?a ?p ?o .
}"""

_Q_NOTATIONS = """
SELECT ?x ?n WHERE { ?x skos:notation ?n . FILTER(STRSTARTS(STR(?x), STR(cmkg:))) }"""


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def source_record(sentence=None, url=None, article=None, title=None, citation=None, kind=None, confidence=None,
                  date=None) -> dict:
    """One entry of an edge's `sources`, always with the keys of SOURCE_KEYS.

    `kind` is the source kind (official, industry, trade_press, news, other) where the data marks it,
    `confidence` the extraction confidence of an article sentence, `date` the article's date.
    """
    return {"sentence": sentence, "url": url, "article": article, "title": title, "citation": citation,
            "kind": kind, "confidence": confidence, "date": date}


def _value(term):
    """Plain Python value of a pyoxigraph term: str for IRIs and most literals, float for numbers."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#decimal", "#double", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if dt.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        return term.value
    return term.value


def _select(store, sparql: str):
    """Rows of plain values from one SELECT, straight from Oxigraph (no rdflib terms: speed)."""
    result = store.raw_query(sparql)
    width = len(result.variables)
    for solution in result:
        yield tuple(_value(solution[i]) for i in range(width))


# -- loading ---------------------------------------------------------------------------------------

def load_view(store, *, cache: bool = True) -> nx.MultiDiGraph:
    """The networkx view of `store` (a graph.store.KnowledgeStore), cached per store state.

    The store keeps the view until its content changes (`KnowledgeStore.cached`); for stores on disk
    this module also keeps the last few views by store state, so reopening the same folder reuses the
    view. The returned graph is shared between callers: treat it as read-only.
    Raises InputError when the store holds no entities (nothing was built yet).
    """
    if not cache:
        return _load(store)
    return store.cached("network_view", _shared_view)


def _shared_view(store) -> nx.MultiDiGraph:
    """The view from this module's cache of on-disk stores (by state token), else built."""
    token = store.state_token()
    shared = getattr(store, "path", None) is not None
    if shared and token in _CACHE:
        _CACHE.move_to_end(token)
        return _CACHE[token]
    view = _load(store)
    if shared:
        _CACHE[token] = view
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return view


def clear_cache() -> None:
    _CACHE.clear()


def _load(store) -> nx.MultiDiGraph:
    # Hundreds of thousands of small dicts: the cyclic GC would rescan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(store)
    finally:
        if enabled:
            gc.enable()


def _build(store) -> nx.MultiDiGraph:
    started = time.perf_counter()
    if store.is_empty():
        raise InputError("the store is empty: run `cmkg build` (or `cmkg ingest`) first")
    builder = _ViewBuilder(store)
    builder.nodes()
    builder.direct_edges()
    builder.statements()
    builder.measures()
    builder.shares()
    g = builder.g
    _apply_membership(g)
    from graph.analysis.evidence import annotate

    annotate(g)
    newest = next(iter(_select(store, _Q_NEWEST)), (None,))[0]
    g.graph.update(state=store.state_token(), triples=len(store), newest_source=newest and str(newest)[:10],
                   load_seconds=time.perf_counter() - started)
    return g


class _ViewBuilder:
    """Fills one view from one store, a few bulk SELECTs per step (nodes, direct edges, statements, measures, shares)."""

    def __init__(self, store):
        self.store = store
        self.g = nx.MultiDiGraph()
        self.notations = {iri: str(n) for iri, n in _select(store, _Q_NOTATIONS)}
        self.types: dict[str, str] = {}
        self.pref: dict[str, str] = {}
        self.rdfs_label: dict[str, str] = {}
        self.alts: dict[str, list] = defaultdict(list)
        self.evidence: dict[str, dict] | None = None  # read on first use
        self.kinds: dict[str, str] = {}

    # -- nodes ---------------------------------------------------------------------------------------

    def nodes(self) -> None:
        """Every typed entity, with its most specific type and its labels."""
        rank = {C + t: i for i, t in enumerate(ENTITY_TYPES)}
        best: dict[str, str] = {}
        for sol in self.store.raw_query(_Q_TYPES):
            s, t = sol[0].value, sol[1].value
            have = best.get(s)
            if have is None or rank[t] < rank[have]:
                best[s] = t
        self.types = {s: t[len(C):] for s, t in best.items()}
        if not self.types:
            raise InputError("the store holds no entities: run `cmkg build` (or `cmkg ingest`) first")
        pref_p, rdfs_p = _SKOS + "prefLabel", _RDFS + "label"
        for sol in self.store.raw_query(_Q_LABELS):
            s, p, o = sol[0].value, sol[1].value, sol[2]
            lang = o.language
            if lang and not lang.lower().startswith("en"):
                continue
            if p == pref_p:
                if lang or s not in self.pref:
                    self.pref[s] = o.value
            elif p == rdfs_p:
                self.rdfs_label.setdefault(s, o.value)
            else:
                self.alts[s].append(o.value)
        self.g.add_nodes_from((iri, self.node_attrs(iri, t)) for iri, t in self.types.items()
                              if iri.startswith(_ENTITY_PREFIX))

    def node_attrs(self, iri: str, type_name: str | None = None) -> dict:
        label = self.pref.get(iri) or self.rdfs_label.get(iri) or local_name(iri).replace("-", " ")
        alt = self.alts.get(iri)
        alt = [a for a in dict.fromkeys(alt) if a != label] if alt else []
        other = self.rdfs_label.get(iri)
        if other is not None and other != label and other not in alt:
            alt.append(other)
        return {"iri": iri, "label": label, "type": type_name or self.types.get(iri, "Thing"), "alt_labels": alt,
                "groups": [], "members": []}

    def add_node(self, iri: str) -> None:
        if iri not in self.g:
            self.g.add_node(iri, **self.node_attrs(iri))

    # -- edges ---------------------------------------------------------------------------------------

    def direct_edges(self) -> None:
        """The direct edges (dependsOn, memberOf, ...), one query per relation; sources come with the statements."""
        for relation in DIRECT_RELATIONS:
            found = []
            for sol in self.store.raw_query(_Q_EDGES % relation):
                o = sol[1]
                if isinstance(o, ox.NamedNode) and o.value.startswith(_ENTITY_PREFIX):
                    found.append((sol[0].value, o.value))
            for iri in {x for pair in found for x in pair if x not in self.g}:
                self.add_node(iri)
            _add_keyed_edges(self.g, relation, found)

    def edge(self, s: str, o: str, relation: str, **attrs) -> dict:
        """The data of the (s, o, relation) edge, created if missing, with the attributes that are not None."""
        self.add_node(s)
        self.add_node(o)
        if not self.g.has_edge(s, o, key=relation):
            self.g.add_edge(s, o, key=relation, relation=relation, sources=[])
        data = self.g.edges[s, o, relation]
        for k, v in attrs.items():
            if v is not None:
                data[k] = v
        return data

    def sources_of(self, props: dict, statement: str | None = None) -> list[dict]:
        """The source records of a statement: its cited URLs (with their kinds) and its evidence."""
        if self.evidence is None:
            self.evidence = _evidence(self.store)
            self.kinds = dict(_select(self.store, _Q_SOURCE_KINDS))
        out = []
        for url in props.get(_DCT + "source", ()):
            out.append(source_record(url=url, citation=url, kind=self.kinds.get(url) or self.kinds.get(statement),
                                     confidence=_first(props, C + "confidence")))
        for ev in props.get(_PROV + "wasDerivedFrom", ()):
            out.append(self.evidence.get(ev) or source_record(article=ev, citation=ev))
        return out

    def statements(self) -> None:
        """The statements behind the direct edges, one loop per row of the relation table (graph/relations.json):
        the subject and object properties of the statement node, its qualifiers, and its sources."""
        for rel in _direct_relations():
            for x, props in _statements(self.store, f"cmkg:{rel.rdf_class}").items():
                for subject in props.get(C + rel.subject, ()):
                    for obj in props.get(C + rel.object, ()):
                        if rel.view == "memberOf":
                            # classification claims only add sources to a consensus memberOf edge, never an edge
                            if not self.g.has_edge(subject, obj, "memberOf"):
                                continue
                            data = self.g.edges[subject, obj, "memberOf"]
                        else:
                            data = self.edge(subject, obj, rel.view, **{q.name: _first(props, C + q.property)
                                                                        for q in rel.qualifiers})
                        if rel.view == "dependsOn":
                            _dependency_attrs(data, props)
                        _merge_sources(data, self.sources_of(props, x))

    def measures(self) -> None:
        """Export controls and tariffs, one edge per measure, dates and status from the measure or its announcement."""
        announcements = _statements_from(self.store, _Q_ANNOUNCEMENTS)
        for rel in relations():
            if rel.view in POLICY_RELATIONS:
                for m, props in _statements(self.store, f"cmkg:{rel.rdf_class}").items():
                    self.add_measure(m, props, announcements, rel.view)

    def add_measure(self, m: str, props: dict, announcements: dict, relation: str) -> None:
        """One edge per measure: issuer → item (controls) or issuer → target (tariff), with dates and status."""
        g, add_node, notations, sources_of = self.g, self.add_node, self.notations, self.sources_of
        parent = {}
        for a in props.get(C + "partOf", ()):
            parent = announcements.get(a, {})
            break

        def get(name):
            value = _first(props, C + name)
            return value if value is not None else _first(parent, C + name)

        sources = sources_of(props, m) or sources_of(parent, _first(props, C + "partOf"))
        status = _notation(get("status"), notations)
        attrs = {
            "relation": relation,
            "measure_iri": m,
            "kind": "ExportControl" if relation == "controls" else "Tariff",
            "status": status,
            "measure": _notation(_first(props, C + "measureType"), notations),
            "instrument": get("instrument"),
            "announced": get("announcedOn"),
            "effective": get("effectiveOn"),
            "date": get("date"),
            "suspended": get("suspendedOn"),
            "suspended_until": get("suspendedUntil"),
            "lifted": get("liftedOn"),
            "sources": sources,
        }
        targets = sorted(props.get(C + "targets", ()))
        issuers = props.get(C + "issuedBy", ()) or parent.get(C + "issuedBy", ())
        items = sorted(props.get(C + "covers", ()))
        for t in targets:
            add_node(t)
        if relation == "controls":
            attrs["target"] = [g.nodes[t]["label"] for t in targets]
            attrs["target_iris"] = targets
            for issuer in issuers:
                for item in items:
                    add_node(issuer)
                    add_node(item)
                    g.add_edge(issuer, item, key=m, **attrs)
        else:
            attrs["rate"] = _first(props, C + "ratePercent")
            for issuer in issuers:
                for target in targets or [None]:
                    if target is None:
                        continue
                    add_node(issuer)
                    add_node(target)
                    for item in items:
                        add_node(item)
                    g.add_edge(issuer, target, key=m, item=[g.nodes[i]["label"] for i in items], item_iris=items, **attrs)

    def shares(self) -> None:
        """Production shares, one produces edge per share statement."""
        for x, props in _statements(self.store, "cmkg:ProductionShare").items():
            year = _first(props, C + "year")
            attrs = {
                "relation": "produces",
                "stage": _notation(_first(props, C + "stage"), self.notations),
                "share": _first(props, C + "sharePercent"),
                "qualifier": _first(props, C + "shareQualifier"),
                "year": int(str(year)[:4]) if year is not None and str(year)[:4].isdigit() else year,
                "preferred": _flag(_first(props, C + "preferred")),
                "stale": _flag(_first(props, C + "stale")),
                "coverage_note": _first(props, C + "coverageNote"),
                "statement": x,
                "sources": self.sources_of(props, x),
            }
            for country in props.get(C + "country", ()):
                for mineral in props.get(C + "mineral", ()):
                    self.add_node(country)
                    self.add_node(mineral)
                    self.g.add_edge(country, mineral, key=x, **attrs)


def _direct_relations():
    """Rows of the relation table whose statements stand behind a direct edge of the view."""
    return [r for r in relations() if r.view in DIRECT_RELATIONS and r.rdf_class]


def _dependency_attrs(data: dict, props: dict) -> None:
    """What a Dependency statement adds to its dependsOn edge: stated share, confidence, group level."""
    share = _first(props, C + "sharePercent")
    conf = _first(props, C + "confidence")
    if share is not None:
        data["share"] = max(share, data.get("share", 0))
    if conf is not None:
        data["confidence"] = max(conf, data.get("confidence", 0))
    # a use stated for a group as a whole: every statement behind the edge must say so
    data["group_level"] = _flag(_first(props, C + "groupLevel")) is True and data.get("group_level", True)


def _add_keyed_edges(g: nx.MultiDiGraph, relation: str, pairs: list[tuple[str, str]]) -> None:
    """Add one (u, v) edge keyed by `relation` per distinct pair (both ends already nodes)."""
    g.add_edges_from((u, v, relation, {"relation": relation, "sources": []})
                     for u, v in dict.fromkeys(pairs) if not g.has_edge(u, v, relation))


def relation_view(g: nx.MultiDiGraph, relation: str) -> nx.MultiDiGraph:
    """A read-only view of `g` with only the edges of one relation (keyed by it: dependsOn, memberOf, ...)."""
    return nx.subgraph_view(g, filter_edge=lambda u, v, k: k == relation)


def _apply_membership(g: nx.MultiDiGraph) -> None:
    """Record, on every node, the groups it belongs to and (for groups) its members, transitively."""
    members = relation_view(g, "memberOf")
    down = defaultdict(set)
    for node in [n for n in members if members.out_degree(n)]:
        groups = nx.descendants(members, node) - {node}
        g.nodes[node]["groups"] = sorted(groups)
        for grp in groups:
            down[grp].add(node)
    for grp, found in down.items():
        g.nodes[grp]["members"] = sorted(found)


def _merge_sources(data: dict, sources: list[dict]) -> None:
    have = {tuple(s[k] for k in SOURCE_KEYS) for s in data["sources"]}
    for s in sources:
        key = tuple(s[k] for k in SOURCE_KEYS)
        if key not in have:
            have.add(key)
            data["sources"].append(s)


def _flag(value) -> bool | None:
    """An xsd:boolean value as True/False, None when absent."""
    return None if value is None else str(value).lower() in ("true", "1")


def _first(props: dict, prop: str):
    values = props.get(prop)
    return values[0] if values else None


def _notation(iri, notations: dict):
    """The notation word of a status, measure type or stage individual (InForce → in_force)."""
    if iri is None:
        return None
    if iri in notations:
        return notations[iri]
    name = local_name(str(iri))
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _statements(store, kind: str) -> dict[str, dict[str, list]]:
    return _statements_from(store, _Q_STATEMENTS % kind)


def _statements_from(store, sparql: str) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for x, p, o in _select(store, sparql):
        values = out[x][p]
        if o not in values:
            values.append(o)
    for props in out.values():
        for values in props.values():
            if len(values) > 1:
                values.sort(key=str)
    return out


def _evidence(store) -> dict[str, dict]:
    out = {}
    for ev, sentence, article, url, title, publisher, date, confidence, kind in _select(store, _Q_EVIDENCE):
        if ev in out:
            continue
        cite = ", ".join(str(x) for x in (title, publisher, date) if x) or url or article
        out[ev] = source_record(sentence=sentence, url=url, article=article, title=title, citation=cite, kind=kind,
                                confidence=confidence, date=str(date)[:10] if date else None)
    return out


# -- helpers the analyses share ---------------------------------------------------------------------

def label(view: nx.MultiDiGraph, node: str) -> str:
    return view.nodes[node]["label"] if node in view else local_name(node)


def edges_of(view: nx.MultiDiGraph, relation: str):
    """(u, v, data) of every edge with that relation."""
    for u, v, data in view.edges(data=True):
        if data.get("relation") == relation:
            yield u, v, data
