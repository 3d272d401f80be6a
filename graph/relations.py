"""The table of relations (`graph/relations.json`): one row per relation, read by every layer.

Each relation has three names, written down here once: the facts-view name the extractor and
`cmkg facts` use (`production_share`), the networkx view's edge relation (`produces`) and the RDF
class of its statement nodes (`cmkg:ProductionShare`). A row also says how a fact becomes triples
(`graph.article_rdf`), what the facts view shows, the default confidence of its rules, which way
supply flows along its edges, and whether its subject is an agent acting on the object.

Fields of a row (see `Relation` and `Qualifier`):

- `name`: facts-view name, or None for a relation only the view has (`memberOf`, from reference data).
- `view`: the view's edge relation, or None (`mentions` is not an edge of the view).
- `class`: local name of the statement node's class in cmkg.ttl, or None (`mentions` is a direct edge).
- `node`: "measure" or "fact": the kind segment of the statement IRI (`id/measure/...`, `id/fact/...`).
- `subject`, `object`: the cmkg properties from the statement node to the fact's subject and object
  (`subject` is "article" for `mentions`, whose subject is the article itself).
- `edge`: the direct cmkg property written next to the statement (subject -> object), or None.
- `qualifiers`: qualifier name -> property, with the value kind: `entity` (an entity IRI), `decimal`,
  `literal` (optionally limited to `values`), `gYear`, `date` (xsd:date, gYearMonth or gYear by
  precision; `role_property` picks another property by the `role` qualifier, e.g. effectiveOn),
  `notation:<Class>` (the individual of that class whose skos:notation is the value).
  `identity: true` marks the qualifier that is part of the statement's identity (its IRI).
- `view_fields`: the qualifiers (in order) that the facts view prints for the relation.
- `label`: rdfs:label of the statement node, a format of `{subject}` and `{object}` labels, or None.
- `confidence`: default confidence of the relation's extraction rules.
- `flow`: "forward" when supply flows along the view edge (subject -> object), "backward" when against
  it (X dependsOn Y: supply flows Y -> X), None when the relation is not a supply flow.
- `agent`: the subject is an agent (country, company) acting on the object (render, paths).

A new relation is then: its terms in cmkg.ttl (and shapes.ttl), a row here, its rules and tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

VALUE_KINDS = ("entity", "decimal", "literal", "gYear", "date")
FLOWS = ("forward", "backward")


@dataclass(frozen=True)
class Qualifier:
    name: str
    property: str
    value: str
    values: tuple[str, ...] | None = None
    identity: bool = False
    role: str | None = None
    role_property: dict | None = None

    @property
    def notation_class(self) -> str | None:
        """For a `notation:<Class>` value, the class whose individuals carry the notations."""
        return self.value.split(":", 1)[1] if self.value.startswith("notation:") else None


@dataclass(frozen=True)
class Relation:
    name: str | None
    view: str | None
    rdf_class: str | None
    node: str | None
    subject: str
    object: str
    edge: str | None
    qualifiers: tuple[Qualifier, ...]
    view_fields: tuple[str, ...]
    label: str | None
    confidence: float | None
    flow: str | None
    agent: bool

    @property
    def is_policy(self) -> bool:
        """A policy measure (export control, tariff): status and dates decide whether it is in force."""
        return self.node == "measure"

    def qualifier(self, name: str) -> Qualifier | None:
        return next((q for q in self.qualifiers if q.name == name), None)


def _source() -> str:
    try:
        return resources.files("graph").joinpath("relations.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - an uninstalled checkout
        return (Path(__file__).with_name("relations.json")).read_text(encoding="utf-8")


def parse_row(raw: dict) -> Relation:
    quals = tuple(Qualifier(name=q["name"], property=q["property"], value=q["value"],
                            values=tuple(q["values"]) if q.get("values") else None,
                            identity=bool(q.get("identity")), role=q.get("role"),
                            role_property=dict(q["role_property"]) if q.get("role_property") else None)
                  for q in raw.get("qualifiers", ()))
    rel = Relation(name=raw.get("name"), view=raw.get("view"), rdf_class=raw.get("class"), node=raw.get("node"),
                   subject=raw["subject"], object=raw["object"], edge=raw.get("edge"), qualifiers=quals,
                   view_fields=tuple(raw.get("view_fields", ())), label=raw.get("label"),
                   confidence=raw.get("confidence"), flow=raw.get("flow"), agent=bool(raw.get("agent")))
    where = f"graph/relations.json, relation {rel.name or rel.view!r}"
    for q in quals:
        if q.value not in VALUE_KINDS and not q.notation_class:
            raise ValueError(f"{where}: qualifier {q.name!r} has an unknown value kind {q.value!r}")
    if sum(q.identity for q in quals) > 1:
        raise ValueError(f"{where}: at most one qualifier may be part of the statement's identity")
    if rel.flow not in (None, *FLOWS):
        raise ValueError(f"{where}: flow must be one of {FLOWS} or null")
    if rel.rdf_class is not None and rel.node not in ("measure", "fact"):
        raise ValueError(f"{where}: a relation with a class needs node 'measure' or 'fact'")
    return rel


@lru_cache(maxsize=1)
def relations() -> tuple[Relation, ...]:
    """Every row of the table, in its order (the facts view's order of relations)."""
    return tuple(parse_row(r) for r in json.loads(_source())["relations"])


def relation(name: str) -> Relation:
    """The row of the facts-view relation `name` (KeyError for an unknown one)."""
    for rel in relations():
        if rel.name == name:
            return rel
    raise KeyError(f"unknown relation {name!r}")


def view_relation(view: str) -> Relation:
    """The row whose view edge relation is `view` (e.g. "produces"); KeyError for an unknown one."""
    for rel in relations():
        if rel.view == view:
            return rel
    raise KeyError(f"unknown view relation {view!r}")


def fact_relations() -> tuple[str, ...]:
    """Facts-view relation names, in the table's order (graph.facts.RELATIONS)."""
    return tuple(r.name for r in relations() if r.name)


def view_fields() -> dict[str, tuple[str, ...]]:
    """Facts-view relation -> the qualifier fields `cmkg facts` prints (graph.facts.VIEW_QUALIFIERS)."""
    return {r.name: r.view_fields for r in relations() if r.name}


def rule_confidence() -> dict[str, float]:
    """Facts-view relation -> default confidence of its extraction rules."""
    return {r.name: r.confidence for r in relations() if r.name and r.confidence is not None}


def view_names() -> dict[str, str]:
    """Facts-view relation -> view edge relation (`production_share` -> `produces`)."""
    return {r.name: r.view for r in relations() if r.name and r.view}


def flow() -> dict[str, bool]:
    """View relation -> True when supply flows along its edges, False when against (graph.analysis.paths.FLOW)."""
    return {r.view: r.flow == "forward" for r in relations() if r.view and r.flow}


def agent_relations() -> frozenset[str]:
    """View relations whose subject is an agent acting on the object (controls, tariff, produces, dominates)."""
    return frozenset(r.view for r in relations() if r.view and r.agent)


def policy_relations() -> frozenset[str]:
    """View relations that are policy measures, filtered by their dates and status (controls, tariff)."""
    return frozenset(r.view for r in relations() if r.view and r.is_policy)


def direct_edges() -> tuple[str, ...]:
    """cmkg properties written as direct edges next to the statements (dependsOn, dominates, ...)."""
    return tuple(r.edge for r in relations() if r.edge)


def statement_classes(*, extracted_only: bool = False) -> tuple[str, ...]:
    """Local names of the statement classes; `extracted_only` leaves out those only reference data has."""
    return tuple(r.rdf_class for r in relations() if r.rdf_class and (r.name or not extracted_only))


def terms() -> set[str]:
    """Every cmkg local name the table uses (classes, properties, notation classes), for the ontology test."""
    out: set[str] = set()
    for r in relations():
        out.update(x for x in (r.rdf_class, r.edge, r.object) if x)
        if r.subject != "article":
            out.add(r.subject)
        for q in r.qualifiers:
            out.add(q.property)
            out.update((q.role_property or {}).values())
            if q.notation_class:
                out.add(q.notation_class)
    return out
