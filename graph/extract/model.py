"""The mention model every extraction module shares: mentions, sentences, the analysed article, drafts.

Plain dataclasses with no import of another extraction module (types named in annotations only), so
the mention layer (`mentions.py`), the organisation and people finders and every rule module can import
them without a cycle.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: importing them here would bring back the cycle
    from graph.extract.dates import Anchor
    from graph.extract.gazetteer import Entry, Gazetteer


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    entry: Entry
    how: str  # label | alt | demonym | metonym | hidden | rule | coref | derived | publisher
    confidence: float
    start_char: int = 0
    end_char: int = 0
    text: str = ""


@dataclass
class Sentence:
    index: int
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    mentions: list[Mention] = field(default_factory=list)
    whole: Sentence | None = None  # for a clause of a sentence (policy.clauses): the sentence it is part of


@dataclass
class Analysis:
    """One article read by the mention layer: tokens, sentences, entity mentions, date anchor."""

    article: object
    doc: object
    sentences: list[Sentence]
    mentions: list[Mention]
    anchor: Anchor | None
    gaz: Gazetteer
    main_country: Entry | None = None
    affiliations: list = field(default_factory=list)
    sentence_starts: list[int] | None = field(default=None, repr=False)  # cache of sentence_of

    def sentence_of(self, token_index: int) -> Sentence:
        if self.sentence_starts is None or len(self.sentence_starts) != len(self.sentences):
            self.sentence_starts = [s.start for s in self.sentences]
        k = max(0, bisect.bisect_right(self.sentence_starts, token_index) - 1)
        return self.sentences[k]


@dataclass
class Draft:
    """A fact as a rule reads it, before drafts of the same fact are merged (relations.merge)."""

    relation: str
    subject: Entry | None
    object: Entry
    qualifiers: dict
    sentence: object
    rule: str
    confidence: float
    date_rank: int = -1  # 3 effective here, 2 effective nearby, 1 stated here, 0 carried from before
    order: int = 0
