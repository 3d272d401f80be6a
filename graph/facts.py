"""Facts read from an article: the unit that extraction produces and the store and `cmkg facts` consume.

A fact is one relation between two linked entities, with its qualifiers and the evidence
(sentence, character offsets, rule, confidence) it was read from. The flat "facts view"
(`to_view`) is the contract of ../shared/eval/GUIDELINES.md.
"""

from dataclasses import dataclass, field
from typing import Any

from graph.relations import fact_relations, view_fields

RELATIONS = fact_relations()
"""Facts-view relation names, from the table of relations (graph/relations.json)."""

VIEW_QUALIFIERS = view_fields()
"""Facts-view relation -> the qualifiers `cmkg facts` prints, from the table of relations."""


@dataclass(frozen=True)
class Entity:
    """A linked entity: its IRI, preferred label and facts-view type (Mineral, Country, ...).

    `cls` is the most specific ontology class (local name, e.g. MineralGroup, GovernmentBody) and
    `new` says the entity is not in the reference data (the extractor minted it), so the article's
    graph must type and label it.
    """

    iri: str
    label: str
    type: str
    cls: str | None = field(default=None, compare=False)
    new: bool = field(default=False, compare=False)
    alt: tuple = field(default=(), compare=False)  # other names the article used (an acronym), for new nodes


@dataclass(frozen=True)
class Evidence:
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float = 1.0


@dataclass
class Fact:
    relation: str
    subject: Entity | None
    object: Entity
    qualifiers: dict[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None

    def to_view(self, source: str) -> dict[str, Any]:
        """The facts-view record (GUIDELINES.md): canonical labels, qualifiers, evidence text."""
        record: dict[str, Any] = {
            "source": source,
            "relation": self.relation,
            "subject": source if self.relation == "mentions" else (self.subject.label if self.subject else None),
            "object": self.object.label,
        }
        for name in VIEW_QUALIFIERS.get(self.relation, ()):
            value = self.qualifiers.get(name)
            record[name] = value.label if isinstance(value, Entity) else value
        if self.evidence is not None:
            record["evidence"] = self.evidence.sentence
            record["confidence"] = round(self.evidence.confidence, 3)
        return record
