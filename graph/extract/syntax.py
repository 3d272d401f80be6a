"""The dependency parse of the sentences that can hold a fact.

The tagger and parser were trained on UD English EWT (`scripts/train_parser.py`) and ship inside the
package (`graph/models/en_ewt_parser`, with the treebank's attribution and license beside it); nothing
is downloaded. Parsing is the slow step, so only sentences that can hold a fact are parsed (the frames
module says which: `frames.worth_parsing`). A sentence longer than
`MAX_TOKENS` is not parsed at all (the token-window rules still read it), so a 1 MB line costs linear
time. Each parsed sentence is a small Doc of the parser's own vocabulary; `Parse.token(i)` maps a
token index of the article's Doc to the parsed token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import DEP, HEAD, TAG
from spacy.tokens import Doc

from graph.errors import CmkgError
from graph.extract.treekit import frames

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "en_ewt_parser"
MAX_TOKENS = 120


@dataclass
class Parse:
    """One parsed sentence. A name the gazetteer knows ("rare earth magnets") is parsed as one token,
    so the parser sees a noun where it would otherwise guess at three words; `starts`/`ends` map each
    parsed token back to its span of article tokens."""

    sentence: object
    doc: Doc
    starts: list[int]
    ends: list[int]

    def article_index(self, token) -> int:
        return self.starts[token.i]

    def article_end(self, token) -> int:
        return self.ends[token.i]

    def article_span(self, token) -> range:
        return range(self.starts[token.i], self.ends[token.i])


def matmul_ops(ops):
    """thinc's CPU ops (`ops`, the model's own) with matrix products done by numpy (OpenBLAS) instead of
    blis; any other backend (a GPU's) is returned as it is.

    Most of the parse time is the tok2vec and parser layers' matrix products; on the machines we
    measured, blis (thinc's default) runs them at about a third of OpenBLAS's speed on one core. Same
    weights, same layers: only the order of the float32 sums differs (as it already does between blis
    kernels of different CPUs); tags and arcs are the same on the dev articles, the docs and the test
    cases. The class is made from the model's ops (thinc and numpy come with spaCy, not imported here)."""
    if ops.name != "numpy":
        return ops
    matmul = ops.xp.matmul

    class MatmulOps(type(ops)):
        name = "numpy_matmul"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return matmul(a, b)
            matmul(a, b, out=out)
            return out

    return MatmulOps()


@lru_cache(maxsize=1)
def get_parser():
    """The shipped tagger + parser (no tokenizer use: sentences arrive as tokens), its layers on matmul_ops."""
    if not (MODEL_DIR / "config.cfg").is_file():
        raise CmkgError(f"the parser model is missing from {MODEL_DIR}; reinstall cmkg "
                        f"or rebuild it with scripts/train_parser.py")
    nlp = spacy.load(MODEL_DIR)
    ops = matmul_ops(nlp.pipeline[0][1].model.ops)
    for _, component in nlp.pipeline:
        for layer in component.model.walk():
            layer.ops = ops
    return nlp


STATS = {"sentences": 0, "parsed": 0}
"""Running counts of sentences seen and parsed in this process (scripts/bench_extract.py reports them)."""


def parse_sentences(doc, sentences, worth_parsing) -> dict[int, Parse]:
    """Parses of the sentences `worth_parsing(sentence, words)` accepts (words: its lower-case tokens),
    by sentence index; a sentence longer than MAX_TOKENS is never parsed."""
    chosen = []
    for s in sentences:
        STATS["sentences"] += 1
        if s.end - s.start > MAX_TOKENS:
            continue
        if worth_parsing(s, {t.lower_ for t in doc[s.start:s.end]}):
            chosen.append(s)
    STATS["parsed"] += len(chosen)
    if not chosen:
        return {}
    nlp = get_parser()
    docs, spans = [], []
    for s in chosen:
        words, spaces, starts, ends = sentence_words(doc, s)
        stand_ins = stand_in_words(doc, s, words, starts, ends)
        docs.append(Doc(nlp.vocab, words=stand_ins, spaces=spaces))
        spans.append((words, spaces, starts, ends))
    out = {}
    for s, d, (words, spaces, starts, ends) in zip(chosen, nlp.pipe(docs, batch_size=64), spans):
        out[s.index] = Parse(s, _with_real_words(nlp, d, words, spaces), starts, ends)
    return out


def _with_real_words(nlp, parsed: Doc, words, spaces) -> Doc:
    """The parse of the stand-in words carried over to the real words: tags, heads and labels copied as
    one array (the same annotation the Doc constructor's tags=/heads=/deps= gives, without a Token
    object and three string look-ups per word)."""
    real = Doc(nlp.vocab, words=words, spaces=spaces)
    real.from_array([TAG, HEAD, DEP], parsed.to_array([TAG, HEAD, DEP]))
    return real


def stand_in_words(doc, sentence, words, starts, ends) -> list[str]:
    """The words the parser reads: each name the gazetteer knows replaced by a common word of its class
    and number (rules/frames.json `parse_stand_ins`), and each trigger word the treebank barely has by a
    frequent verb of the same form (`parse_word_stand_ins`; a noun-or-verb word right after 'that'/'which'
    by a verb, `parse_verb_stand_ins_after_relative`), capitalised as the original was."""
    table, verbs = frames()["parse_stand_ins"], frames()["parse_word_stand_ins"]
    relative = frames()["parse_verb_stand_ins_after_relative"]
    by_start = {m.start: m for m in sentence.mentions}
    out = []
    for k, (w, a, b) in enumerate(zip(words, starts, ends)):
        m = by_start.get(a)
        pair = table.get(m.entry.type) if m is not None and m.end == b else None
        if pair is None or not w[:1].isalpha():
            verb = verbs.get(w.lower()) if m is None else None
            if verb is None and m is None and k > 0 and words[k - 1].lower() in ("that", "which"):
                verb = relative.get(w.lower())  # 'chips that power radar': a verb after a relative pronoun
            out.append(w if verb is None else verb.capitalize() if w[:1].isupper() else verb)
            continue
        last = doc[b - 1].lower_
        plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
        word = pair[1] if plural else pair[0]
        out.append(word.capitalize() if w[:1].isupper() else word)
    return out


def sentence_words(doc, sentence):
    """The sentence's words with each multi-word mention joined into one hyphenated word."""
    merged = {m.start: m.end for m in sentence.mentions if m.end - m.start > 1}
    words, spaces, starts, ends = [], [], [], []
    i = sentence.start
    while i < sentence.end:
        j = merged.get(i, i + 1)
        if j > sentence.end:
            j = i + 1
        tokens = doc[i:j]
        text = "-".join(t.text for t in tokens if t.text != "-") if j - i > 1 else tokens[0].text
        words.append(text if not tokens[0].is_space else "_")
        spaces.append(bool(tokens[-1].whitespace_))
        starts.append(i)
        ends.append(j)
        i = j
    return words, spaces, starts, ends
