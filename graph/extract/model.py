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


class Drafts(list):
    """The article's drafts, in the order rules wrote them, also indexed by sentence. Rules ask for the
    drafts of the sentence they are reading; scanning the whole list for each sentence made an article's
    extraction time grow with the square of its length."""

    def __init__(self, items=()):
        super().__init__()
        self._by_sentence: dict[int, list] = {}
        self._written: dict[int, int] = {}  # id of a draft -> when it was written
        self._count = 0
        for d in items:
            self.append(d)

    def append(self, d) -> None:
        super().append(d)
        self._index(d)

    def _index(self, d) -> None:
        self._by_sentence.setdefault(d.sentence.index, []).append(d)
        self._written[id(d)] = self._count
        self._count += 1

    def __setitem__(self, key, value) -> None:
        if not isinstance(key, slice):
            raise TypeError("drafts are replaced by slice ('drafts[:] = kept')")
        old, value = super().__getitem__(key), list(value)
        super().__setitem__(key, value)
        kept = {id(d) for d in value}
        dropped = {id(d) for d in old if id(d) not in kept}
        for index in {d.sentence.index for d in old}:
            self._by_sentence[index] = [d for d in self._by_sentence[index] if id(d) not in dropped]
        for i in dropped:
            del self._written[i]
        for d in value:
            if id(d) not in self._written:
                self._index(d)

    def of(self, sentence, relation: str | None = None) -> list:
        """The drafts read from this sentence (or clause), optionally of one relation."""
        return [d for d in self._by_sentence.get(sentence.index, ())
                if d.sentence is sentence and (relation is None or d.relation == relation)]

    def near(self, index: int, back: int, relation: str | None = None) -> list:
        """The drafts of the sentences `back` before sentence `index` up to it, in the order written."""
        found = [d for k in range(max(0, index - back), index + 1) for d in self._by_sentence.get(k, ())
                 if relation is None or d.relation == relation]
        return sorted(found, key=lambda d: self._written[id(d)])

