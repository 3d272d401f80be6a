"""The dependency parse of the sentences that can hold a fact.

The tagger and parser were trained on UD English EWT (`scripts/train_parser.py`) and ship inside the
package (`graph/models/en_ewt_parser`, with the treebank's attribution and license beside it); nothing
is downloaded. Parsing is the slow step, so only sentences that can hold a fact are parsed: a mineral
or material mention plus a frame trigger or a second typed mention. A sentence longer than
`MAX_TOKENS` is not parsed at all (the token-window rules still read it), so a 1 MB line costs linear
time. Each parsed sentence is a small Doc of the parser's own vocabulary; `Parse.token(i)` maps a
token index of the article's Doc to the parsed token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.tokens import Doc

from graph.errors import CmkgError

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "en_ewt_parser"
MAX_TOKENS = 120
ITEM_TYPES = ("Mineral", "Material")
NEEDER_TYPES = ("Product", "Technology", "Industry")


@dataclass
class Parse:
    """One parsed sentence: `doc` is the parser's Doc, `offset` the sentence's first token in the article."""

    sentence: object
    doc: Doc
    offset: int

    def token(self, article_index: int):
        k = article_index - self.offset
        return self.doc[k] if 0 <= k < len(self.doc) else None

    def article_index(self, token) -> int:
        return token.i + self.offset


@lru_cache(maxsize=1)
def get_parser():
    """The shipped tagger + parser (no tokenizer use: sentences arrive as tokens)."""
    if not (MODEL_DIR / "config.cfg").is_file():
        raise CmkgError(f"the parser model is missing from {MODEL_DIR}; reinstall cmkg "
                        f"or rebuild it with scripts/train_parser.py")
    return spacy.load(MODEL_DIR)


def worth_parsing(sentence, triggers: frozenset[str], anaphors: frozenset[str], words: list[str]) -> bool:
    """A mineral or material mention (or a word that may stand for one) plus a frame trigger word or a
    mention of something that can need it (a product, technology or industry)."""
    if sentence.end - sentence.start > MAX_TOKENS:
        return False
    has_trigger = bool(triggers.intersection(words))
    if not any(m.entry.type in ITEM_TYPES for m in sentence.mentions):
        return has_trigger and bool(anaphors.intersection(words))
    return has_trigger or any(m.entry.type in NEEDER_TYPES for m in sentence.mentions)


def parse_sentences(doc, sentences, triggers: frozenset[str], anaphors: frozenset[str]) -> dict[int, Parse]:
    """Parses of the sentences worth parsing, by sentence index."""
    chosen = []
    for s in sentences:
        words = [t.lower_ for t in doc[s.start:s.end]]
        if worth_parsing(s, triggers, anaphors, words):
            chosen.append(s)
    if not chosen:
        return {}
    nlp = get_parser()
    docs = []
    for s in chosen:
        tokens = doc[s.start:s.end]
        words = [t.text if not t.is_space else "_" for t in tokens]
        spaces = [bool(t.whitespace_) for t in tokens]
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
    parsed = nlp.pipe(docs, batch_size=64)
    return {s.index: Parse(s, d, s.start) for s, d in zip(chosen, parsed)}
