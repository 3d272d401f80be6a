"""Reading a dependency tree: the parsed sentence with the article's mentions laid over it, and the
walks every frame uses (coordination, examples, noun spans, subjects, word-order fallbacks where the
parse is known to go wrong). Word lists are data: `frames()` reads rules/frames.json.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

NEEDER_TYPES = ("Product", "Industry", "Technology", "Material")

NEEDED_TYPES = ("Mineral", "Material")

AGENT_TYPES = ("Country", "Organization")

DOMINATED_TYPES = ("Mineral", "Material", "Product", "Industry", "Technology")

NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")

OBLIQUE = ("obl", "nmod", "obl:npmod", "nmod:npmod", "obl:tmod")

GENERIC_OBJECTS = {"market", "markets", "production", "supply", "supplies", "processing", "refining", "output",
                   "trade", "industry", "sector", "mining", "share", "chain", "chains", "capacity", "reserves",
                   "exports", "manufacturing", "global", "world"}


@lru_cache(maxsize=1)
def frames() -> dict:
    data = json.loads(resources.files("graph.extract").joinpath("rules/frames.json").read_text(encoding="utf-8"))
    return {k: (set(v) if isinstance(v, list) else v) for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def anaphor_words() -> frozenset[str]:
    f = frames()
    return frozenset(f["pronouns_singular"] | f["pronouns_plural"] | f["descriptor_heads"])


class Reader:
    """One parsed sentence with the article's mentions laid over its tokens."""

    def __init__(self, ctx, parse):
        self.ctx, self.parse, self.sent = ctx, parse, parse.sentence
        self.f = frames()
        self.covering = {}
        for m in self.sent.mentions:
            for i in range(m.start, m.end):
                self.covering[i] = m

    def mention(self, tok, types):
        m = self.covering.get(self.parse.article_index(tok))
        return m if m is not None and m.entry.type in types else None

    def parse_token(self, article_index: int):
        """The parsed token covering an article token, or None outside the sentence."""
        for k, (a, b) in enumerate(zip(self.parse.starts, self.parse.ends)):
            if a <= article_index < b:
                return self.parse.doc[k]
        return None

    def case_of(self, tok) -> str | None:
        for c in tok.children:
            if c.dep_ in ("case", "mark") and c.i < tok.i:
                return c.lower_
        first = min(tok.subtree, key=lambda t: t.i)
        if first.i < tok.i and first.dep_ == "case" and first.tag_ in ("IN", "TO"):
            return first.lower_  # the preposition hung on a modifier of the noun
        return None

    def obliques(self, tok, cases):
        """Children introduced by one of `cases`; a noun the parse made an adverb ('not only in Y') or an
        object with its own preposition ('used not only in X') too."""
        return [c for c in tok.children if (c.dep_ in OBLIQUE or c.dep_ == "advmod" and c.tag_ in NOUN_TAGS
                                            or c.dep_ in ("obj", "dobj") and _has_case(c))
                and self.case_of(c) in cases]

    def negated(self, tok) -> bool:
        for c in tok.children:
            if c.dep_ in ("neg", "advmod") and c.lower_ in ("not", "never", "n't", "no"):
                nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
                if nxt is None or nxt.lower_ not in ("only", "just", "merely"):
                    return True
        return False


def _has_case(tok) -> bool:
    return any(c.dep_ == "case" and c.i < tok.i for c in tok.children)


def conjuncts(tok) -> list:
    """The token and every noun coordinated with it (conj of conj included), in text order; not an
    apposition the parse read as a list item."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ == "conj" and c.tag_ in NOUN_TAGS + ("JJ", "VBG", "CD")
                    and not apposed_conj(c))
    return sorted(out, key=lambda t: t.i)


def apposed_conj(t) -> bool:
    """'gallium arsenide, a compound semiconductor used in ...': a 'conj' after a comma with an indefinite
    article, no 'and'/'or' and no item after it describes the item before; it is no item of its own."""
    if t.dep_ != "conj" or any(c.dep_ == "cc" for c in t.children):
        return False
    if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children):
        return False
    left = min(x.i for x in t.subtree if x.dep_ != "punct" or x.head.i != t.i)
    if left == 0 or t.doc[left - 1].text not in (",", "–", "—", "-"):
        return False
    return not any(c.dep_ == "conj" and c.i > t.i for c in t.head.children)


def examples(r: Reader, tok) -> list:
    """'industries such as A and B', 'products ranging from A to B' → A, B."""
    out = []
    for c in tok.children:
        if c.dep_ in ("nmod", "obl", "appos", "acl") and (r.case_of(c) in r.f["example_cases"]
                                                         or c.lower_ == "including"):
            out.extend(conjuncts(c))
        elif c.dep_ in ("nmod", "obl") and r.case_of(c) == "from":
            beside = [g for g in tok.children if g.i > c.i]
            if tok.dep_ in OBLIQUE and tok.head.i != tok.i:
                beside += [g for g in tok.head.children if g.i > c.i]  # or hung on the verb
            ends = [g for g in list(c.children) + beside if g.dep_ in ("nmod", "obl") and r.case_of(g) == "to"
                    or g.dep_ == "advcl" and g.tag_ in NOUN_TAGS and any(  # 'to Y' on X or beside it
                        m.dep_ == "mark" and m.lower_ == "to" for m in g.children)]
            if ends:
                out.extend(conjuncts(c) + [x for g in ends for x in conjuncts(g)])
        elif c.lower_ in r.f["range_words"]:
            for g in c.children:
                if g.dep_ in ("obj", "obl", "nmod") and r.case_of(g) in ("from", "to", None):
                    out.extend(conjuncts(g))
    return out


def noun_span(r: Reader, tok) -> tuple[int, int]:
    """Article token span of a noun with its compound and adjective modifiers."""
    left = tok.i
    for c in sorted(tok.children, key=lambda c: -c.i):
        if c.i < tok.i and c.dep_ in ("compound", "amod", "flat", "nmod:npmod") and c.i == left - 1:
            left = c.i
        elif c.i < tok.i and c.text in ("-",) and c.i == left - 1:
            left = c.i
    inside = {t.i for t in tok.subtree}
    for c in tok.children:
        if c.dep_ in ("compound", "amod") and c.i < tok.i:
            left = min([left] + [t.i for t in c.subtree if t.dep_ not in ("case", "det") and t.i >= tok.i - 5])
    gaps = [k for k in range(left, tok.i) if k not in inside or tok.doc[k].dep_ in ("case", "det", "punct")
            and tok.doc[k].text != "-"]
    if gaps:
        left = max(gaps) + 1
    while left < tok.i and (tok.doc[left].text == "-" or tok.doc[left].lower_ in r.f["use_adjectives"]
                            or tok.doc[left].lower_ in r.f["evaluative_adjectives"]):
        left += 1
    start, end = r.parse.article_index(tok.doc[left]), r.parse.article_end(tok)
    m = r.covering.get(end - 1)
    if m is not None and m.end == end and m.start < start:
        start = m.start
    return start, end


def subject_of(tok):
    """The subject a predicate is said of: its own, its relative clause's head, the noun it modifies."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubj:pass", "csubj"):
            if c.tag_ in ("WDT", "WP") and tok.dep_.endswith("relcl"):
                after_comma = c.i > 0 and c.doc[c.i - 1].text == ","
                if after_comma or tok.head.tag_ not in NOUN_TAGS:
                    return relative_antecedent(c)  # ', which ...' is said of the phrase just before the comma
                return tok.head
            return c
    expl = next((c for c in tok.children if c.dep_ == "expl" and c.lower_ == "it"), None)
    if expl is not None and not any(c.dep_ in ("xcomp", "ccomp", "csubj", "advcl") for c in tok.children):
        return expl  # 'It is also critical for Y' with no clause for 'it' to announce: the pronoun
    if tok.dep_ in ("acl", "amod", "appos", "acl:relcl", "advcl:relcl", "advcl", "xcomp") and tok.head.i != tok.i:
        if tok.dep_ == "xcomp":
            obj = next((c for c in tok.head.children if c.dep_ in ("obj", "dobj") and c.i < tok.i), None)
            if obj is not None:
                return obj  # 'makes it indispensable for Y': said of the object
        if tok.dep_ in ("xcomp", "advcl", "conj"):
            return subject_of(tok.head)
        return tok.head
    if tok.dep_ == "conj":
        return subject_of(tok.head)
    return None


def relative_antecedent(pronoun, first_item: bool = True):
    """'..., tin, zinc and lead, which are ...' read by position: the word before the relative pronoun;
    with `first_item`, the list it ends, from its first item."""
    doc, k = pronoun.doc, pronoun.i - 1
    while k >= 0 and doc[k].is_punct:
        k -= 1
    if k < 0:
        return None
    t = doc[k]
    while first_item and t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return t


def objects(verb) -> list:
    return [o for o in verb.children if o.dep_ in ("obj", "dobj")]


def coordinated_verbs(doc, i: int) -> list:
    """'extract and separate': verbs joined by a conjunction, read by position (parses often attach
    the second verb elsewhere)."""
    known = frames()["make_verbs"] | set(frames()["process_verbs"])
    out = []
    while i < len(doc) and (doc[i].tag_.startswith("VB") or doc[i].lower_ in known):
        out.append(doc[i])
        if i + 2 < len(doc) and doc[i + 1].lower_ in ("and", "or", ",") and \
                (doc[i + 2].tag_.startswith("VB") or doc[i + 2].lower_ in known):
            i += 2
            continue
        break
    return out


def next_noun(doc, i: int):
    """The head noun of the phrase that starts after token i (its last noun before a non-noun)."""
    k = i + 1
    while k < len(doc) and doc[k].tag_ in ("DT", "JJ", "PRP$", "CD", "HYPH") + NOUN_TAGS:
        k += 1
    nouns = [t for t in doc[i + 1:k] if t.tag_ in NOUN_TAGS]
    return nouns[-1] if nouns else None


def apposed_token(r: Reader, tok, types):
    """The named head of 'X, a/the ...' (or 'X – the ...') read by position, when the parse misses the
    apposition."""
    doc = tok.doc
    left = tok.i
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("det", "amod", "nmod:poss", "compound", "nummod", "advmod"):
            left = min(left, min(t.i for t in c.subtree))
    if left < 2 or doc[left - 1].text not in (",", "-", "–", "—", "("):
        return None
    return doc[left - 2] if r.mention(doc[left - 2], types) is not None else None


def joined(words) -> str:
    """Words as a name, hyphens closed up ('lead - free solders' → 'lead-free solders')."""
    return " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-")


def singular_phrase(r: Reader, tok) -> str:
    """'rare earth magnets' → 'rare earth magnet', as a modifier of a technology name."""
    s, e = noun_span(r, tok)
    words = [t.lower_ if not t.text.isupper() else t.text for t in r.ctx.doc[s:e]]
    words = [w for w in words if w not in r.ctx.lex["np_drop_prefixes"] and w not in ("the", "a", "an")]
    text = joined(words)
    if text.endswith("ies"):
        return text[:-3] + "y"
    if text.endswith("s") and not text.endswith("ss"):
        return text[:-1]
    return text
