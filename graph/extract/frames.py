"""Relations read from the dependency tree: USE frames (depends_on) and DOMINATE frames (dominates).

A frame is a trigger word (listed in rules/frames.json) and the roles its tree neighbours play:
"M is used in Y" (Y from the trigger's oblique argument, M from its passive subject), "M, a key
component in Y", "Y relies on M", "Y needs M", "the use of M in Y", "M goes into Y", "Y made from
M", "C dominates X", "C's near monopoly on X", "C is the largest producer of X". Coordination
(`conj`), apposition, relative clauses ("M, which is used in Y"), participles ("M, used in Y") and
passives are handled by the tree walk, not by phrasings. Chains: "M for magnets in EV motors" also
gives EV motors → magnets and EV motors → M. Pronouns and descriptors in an argument ("it", "these
metals", "the two chipmaking metals") stand for the minerals named just before
(`resolve_descriptor`). Every fact still goes through the rule toolkit's drafts and merge.
"""

from __future__ import annotations

import json
from functools import lru_cache

from graph.extract.rulekit import PRODUCT_TYPES, RULE_CONFIDENCE, add_draft
from graph.extract.linking import new_entry
from graph.extract.phrases import np_list_entities, phrase_entity
from graph.extract.syntax import parse_sentences
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


TRIGGER_KEYS = {
    "use": ("use_passive_verbs", "use_adjectives", "role_nouns", "application_nouns", "depend_verbs",
            "depend_adjectives", "need_verbs", "go_into_verbs", "made_with_verbs", "demand_nouns", "supply_verbs",
            "addition_verbs"),
    "dominate": ("dominate_verbs", "dominate_nouns", "dominate_producer_nouns", "origin_verbs"),
    "control": ("technology_nouns", "trade_nouns"),
    "share": ("percent_words",),
}


@lru_cache(maxsize=1)
def trigger_words() -> dict[str, frozenset[str]]:
    """Words that can open a frame, by frame family. Generic nouns that open a frame only with a trigger
    adjective ('key material') are left out: the adjective is the trigger."""
    f = frames()
    return {family: frozenset(w for k in keys for w in f[k]) for family, keys in TRIGGER_KEYS.items()}


def worth_parsing(ctx, sentence, words: set) -> bool:
    """Whether a sentence can hold a frame: a use trigger with a mineral (or a word standing for one), a
    dominance trigger with a state or company, a technology or trade noun where a control was read, or
    a mineral 'for' a product."""
    triggers, kinds = trigger_words(), {m.entry.type for m in sentence.mentions}
    item = bool(kinds & {"Mineral", "Material"}) or bool(words & anaphor_words())
    if item and words & triggers["use"]:
        return True
    if kinds & {"Country", "Organization"} and words & triggers["dominate"]:
        return True
    if words & triggers["control"] and any(d.relation == "export_control" and 0 <= sentence.index - d.sentence.index <= 2
                                           for d in ctx.drafts):
        return True
    if words & triggers["share"] and sum(1 for w in words if w in triggers["share"]) >= 1 and any(
            d.relation == "production_share" and d.sentence is sentence for d in ctx.drafts):
        return True
    return item and "for" in words and bool(kinds & {"Product", "Industry", "Technology"})


def parse_article(ctx) -> dict:
    """The parses of the article's sentences that can hold a frame."""
    analysis = ctx.analysis
    return parse_sentences(analysis.doc, analysis.sentences, lambda s, words: worth_parsing(ctx, s, words))


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

    def case_of(self, tok) -> str | None:
        for c in tok.children:
            if c.dep_ in ("case", "mark") and c.i < tok.i:
                return c.lower_
        first = min(tok.subtree, key=lambda t: t.i)
        if first.i < tok.i and first.dep_ == "case" and first.tag_ in ("IN", "TO"):
            return first.lower_  # the preposition hung on a modifier of the noun
        return None

    def obliques(self, tok, cases):
        return [c for c in tok.children if c.dep_ in OBLIQUE and self.case_of(c) in cases]

    def negated(self, tok) -> bool:
        for c in tok.children:
            if c.dep_ in ("neg", "advmod") and c.lower_ in ("not", "never", "n't", "no"):
                nxt = c.doc[c.i + 1] if c.i + 1 < len(c.doc) else None
                if nxt is None or nxt.lower_ not in ("only", "just", "merely"):
                    return True
        return False


def conjuncts(tok) -> list:
    """The token and every noun coordinated with it (conj of conj included), in text order."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ == "conj" and c.tag_ in NOUN_TAGS + ("JJ", "VBG", "CD"))
    return sorted(out, key=lambda t: t.i)


def examples(r: Reader, tok) -> list:
    """'industries such as A and B', 'products ranging from A to B' → A, B."""
    out = []
    for c in tok.children:
        if c.dep_ in ("nmod", "obl", "appos", "acl") and (r.case_of(c) in r.f["example_cases"]
                                                         or c.lower_ == "including"):
            out.extend(conjuncts(c))
        elif c.dep_ in ("nmod", "obl") and r.case_of(c) == "from":
            ends = [g for g in c.children if g.dep_ in ("nmod", "obl") and r.case_of(g) == "to"]
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


def needer_entities(r: Reader, tok, depth: int = 0) -> list[tuple[object, object]]:
    """(entity, token) for each item a noun phrase lists as needing something; a general noun stays
    beside its examples unless it is a generic head ('industries such as ...')."""
    out = []
    if depth > 3:
        return out
    for t in conjuncts(tok):
        if t.lower_ in r.f["make_verbs"] and t.tag_ == "VBG":
            for o in (c for c in t.children if c.dep_ in ("obj", "dobj")):
                out.extend(needer_entities(r, o))
            continue
        if t.lower_ in r.f["quantity_nouns"]:
            inner = [c for c in t.children if (c.dep_ == "nmod" and r.case_of(c) == "of")]
            inner += [o for c in t.children if c.dep_ == "acl" for o in c.children if o.dep_ in ("obj", "dobj")]
            for c in inner:
                out.extend(needer_entities(r, c))
            if inner:
                continue
        if t.lower_ in r.f["process_nouns"]:
            inner = [c for c in t.children if c.dep_ == "nmod" and r.case_of(c) == "of"]
            inner += [c for c in t.children if c.dep_ == "compound" and r.mention(c, PRODUCT_TYPES)]
            if inner:
                out.extend(needer_entities(r, inner[0]))
                continue
        ex = examples(r, t)
        bare = not any(c.dep_ in ("amod", "compound") and c.lower_ not in r.f["evaluative_adjectives"]
                       for c in t.children)
        found = [] if ex and t.lower_ in r.ctx.lex["generic_heads"] and bare else [(needer_entity(r, t), t)]
        for item in ex:
            found.extend(needer_entities(r, item, depth + 1) if item.lower_ in r.f["process_nouns"] or
                         item.lower_ in r.f["quantity_nouns"] else [(needer_entity(r, item), item)])
        for ent, item in found:
            if ent is not None and all(ent.iri != e.iri for e, _ in out):
                out.append((ent, item))
    if depth == 0 and out:
        for ent in list_tail(r, conjuncts(tok)[-1]):
            if all(ent.iri != e.iri for e, _ in out):
                out.append((ent, tok))
    return out


def list_tail(r: Reader, last) -> list:
    """Items of a list the parse cut short ('in ammunition, infrared missiles and nuclear weapons' with
    the last two hung elsewhere), read by word order after the last item the tree gave; only names the
    gazetteer knows or that end in an item noun."""
    doc, end = r.ctx.doc, r.parse.article_end(last)
    if end >= r.sent.end or doc[end].lower_ not in (",", "and", "or"):
        return []
    found = np_list_entities(r.ctx, end + 1 if doc[end].lower_ != "," or doc[end + 1].lower_ not in ("and", "or")
                             else end + 2, r.sent.end, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=True)
    heads = r.ctx.lex["item_heads"]
    return [e for e in found if e.type in NEEDER_TYPES and (not e.new or e.label.split()[-1].lower() in heads)]


def needer_entity(r: Reader, tok):
    if tok.tag_ not in NOUN_TAGS and tok.tag_ not in ("VBG", "JJ"):
        return None
    m = r.mention(tok, PRODUCT_TYPES)
    if m is not None:
        s, e = noun_span(r, tok)
        if s < m.start and m.end == e:
            ent = phrase_entity(r.ctx, s, e, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=True)
            if ent is not None and ent.type in NEEDER_TYPES:
                return ent
        return m.entry if m.entry.type in NEEDER_TYPES else None
    if r.mention(tok, AGENT_TYPES + ("Person",)) is not None or tok.lower_ in r.f["not_needers"]:
        return None
    if tok.lower_ in r.f["maker_nouns"]:
        made = [r.mention(c, NEEDER_TYPES) for c in tok.subtree if c.i < tok.i]
        made = [m.entry for m in made if m is not None and m.entry.type in ("Product", "Industry", "Technology")]
        return made[-1] if made else None  # "solar panel makers" need what solar panels need
    s, e = noun_span(r, tok)
    ent = phrase_entity(r.ctx, s, e, allow_new=tok.tag_ in ("NNS", "NN"), types=PRODUCT_TYPES, keep_modifiers=True)
    if ent is None and tok.lower_ in r.f["classed_product_heads"] and e - s >= 2:
        ent = classed_product(r, s, e)
    return ent if ent is not None and ent.type in NEEDER_TYPES else None


def classed_product(r: Reader, s: int, e: int):
    """'high-tech products', 'consumer goods': a general head made specific by its modifier."""
    words = [t.lower_ for t in r.ctx.doc[s:e]]
    drop = set(r.ctx.lex["np_drop_prefixes"])
    while words and words[0] in drop:
        words = words[1:]
    label = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    if len(label.split()) < 2 or not all(w.replace("-", "").isalpha() for w in label.split()):
        return None
    hits = r.ctx.gaz.lookup(label, PRODUCT_TYPES)
    return hits[0] if len(hits) == 1 else new_entry("product", label, "Product", "Product")


def needed_entities(r: Reader, tok) -> list:
    """Minerals (or materials) an argument names: the mention itself, its conjuncts, or what a
    pronoun or descriptor stands for."""
    out = []
    for t in conjuncts(tok):
        m = r.mention(t, NEEDED_TYPES)
        if m is not None:
            out.append(m.entry)
            continue
        inner = [c for c in t.children if c.dep_ in ("compound", "appos", "flat") and r.mention(c, ("Mineral",))]
        if inner and t.lower_ in r.f["descriptor_heads"]:
            out.extend(r.mention(c, ("Mineral",)).entry for c in inner)
            continue
        found = resolve_descriptor(r, t) or climb_to_mineral(r, t)
        out.extend(found)
    seen, uniq = set(), []
    for e in out:
        if e.iri not in seen:
            seen.add(e.iri)
            uniq.append(e)
    return uniq


def climb_to_mineral(r: Reader, tok, steps: int = 3) -> list:
    """'rare earths, a group of 17 metals used in Y': a descriptor noun in apposition to (or predicated
    of) a mineral stands for it."""
    t = tok
    for _ in range(steps):
        if t.lower_ not in r.f["descriptor_heads"] and t.lower_ not in r.f["group_nouns"]:
            return []
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subj is not None:
            m = r.mention(subj, NEEDED_TYPES)
            return [m.entry] if m is not None else []
        apposed = apposed_mineral(r, t)
        if apposed:
            return apposed
        if t.dep_ in ("appos", "parataxis", "nmod", "conj") and t.head is not t:
            m = r.mention(t.head, NEEDED_TYPES)
            if m is not None:
                return [m.entry]
            t = t.head
            continue
        return []
    return []


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


def apposed_mineral(r: Reader, tok) -> list:
    """'M, a vital mineral in Y' read by position when the parse misses the apposition."""
    t = apposed_token(r, tok, NEEDED_TYPES)
    return [r.mention(t, NEEDED_TYPES).entry] if t is not None else []


def copula_subject(r: Reader, tok) -> list:
    """'Tin and silver are key metals for Y' read by position: the minerals listed right before the
    copula of a descriptor noun, when the parse misses the subject."""
    if tok.lower_ not in r.f["descriptor_heads"]:
        return []
    doc = tok.doc
    k = min([tok.i] + [t.i for c in tok.children if c.i < tok.i and c.dep_ in ("det", "amod", "compound")
                       for t in c.subtree]) - 1
    if k < 1 or doc[k].lower_ not in r.f["copulas"]:
        return []
    found, k = [], k - 1
    while k >= 0:
        m = r.mention(doc[k], ("Mineral",))
        if m is not None:
            found.append(m.entry)
        elif doc[k].lower_ not in (",", "and", "or", "both"):
            break
        k -= 1
    return list(reversed(found))


def resolve_descriptor(r: Reader, tok) -> list:
    """'it', 'they', 'these metals', 'the two chipmaking metals' → the minerals named just before."""
    f, low = r.f, tok.lower_
    plural = low in f["pronouns_plural"] or (low in f["descriptor_heads"] and low.endswith("s"))
    if low in f["pronouns_singular"] or low in f["pronouns_plural"]:
        if tok.tag_ not in ("PRP", "DT", "PRP$"):
            return []
    elif low in f["descriptor_heads"]:
        dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
        if not dets or dets[0] not in f["descriptor_determiners"]:
            return []
    else:
        return []
    count = next((f["number_words"][c.lower_] for c in tok.children if c.lower_ in f["number_words"]), None)
    return antecedents(r, tok, plural, count)


def antecedents(r: Reader, tok, plural: bool, count: int | None, categories: bool = True) -> list:
    return mineral_antecedents(r.ctx, r.sent, r.parse.article_index(tok), plural, count, categories)


def mineral_antecedents(ctx, sent, before: int, plural: bool, count: int | None, categories: bool = True) -> list:
    """The minerals named last before token `before`, in this sentence or the two before it; a named
    class ('critical minerals') only where no mineral of its own is named there. A singular
    descriptor ('the red metal') further away stands for the mineral the article names most."""
    sentences = ctx.analysis.sentences
    for k in range(sent.index, max(-1, sent.index - 3), -1):
        named = [m for m in sentences[k].mentions if m.entry.type == "Mineral" and m.end <= before]
        mins = [m for m in named if m.entry.iri not in ctx.gaz.categories] or (named if categories else [])
        if not mins:
            continue
        if not plural:
            return [mins[-1].entry]
        distinct = list({m.entry.iri: m.entry for m in mins}.values())
        if count is not None:
            return distinct[-count:] if len(distinct) >= count else []
        return distinct
    if plural:
        return []
    earlier = [m.entry for m in ctx.analysis.mentions if m.entry.type == "Mineral" and m.end <= before
               and m.entry.iri not in ctx.gaz.categories]
    if not earlier:
        return []
    counts = {}
    for e in earlier:
        counts[e.iri] = counts.get(e.iri, 0) + 1
    top = max(counts.values())
    leaders = [e for e in {e.iri: e for e in earlier}.values() if counts[e.iri] == top]
    return leaders if len(leaders) == 1 else []


def emit_use(r: Reader, needers, needed, rule: str, conf_scale=1.0):
    conf = RULE_CONFIDENCE["depends_on"] * conf_scale
    for ent, tok in needers:
        for m in needed:
            add_draft(r.ctx, "depends_on", ent, m, {}, r.sent, rule, conf)
        for z, _ in chain_targets(r, tok):
            if ent.type in ("Product", "Material", "Technology") and z.iri != ent.iri:
                add_draft(r.ctx, "depends_on", z, ent, {}, r.sent, rule + "_chain", conf * 0.9)
                for m in needed:
                    add_draft(r.ctx, "depends_on", z, m, {}, r.sent, rule + "_chain", conf * 0.9)


def chain_targets(r: Reader, tok):
    """'magnets for EV motors', 'batteries used in phones': what the needed item goes into."""
    out = []
    for c in tok.children:
        if c.dep_ in ("nmod", "obl") and r.case_of(c) in ("for", "in", "inside", "within"):
            out.extend(needer_entities(r, c))
        elif c.dep_ == "acl" and c.lower_ in r.f["use_passive_verbs"]:
            for o in r.obliques(c, r.f["use_target_cases"]):
                out.extend(needer_entities(r, o))
        elif c.dep_.endswith("relcl") and c.lower_ in r.f["supply_verbs"]:
            for o in objects(c):
                out.extend(needer_entities(r, o))
        elif c.dep_.endswith("relcl"):
            for u in c.subtree:
                if u.lower_ in r.f["application_nouns"] and r.case_of(u) == "for":
                    for o in r.obliques(u, ("in", "across")):
                        out.extend(needer_entities(r, o))
    return out


def subject_of(tok):
    """The subject a predicate is said of: its own, its relative clause's head, the noun it modifies."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubj:pass", "csubj"):
            if c.tag_ in ("WDT", "WP") and tok.dep_.endswith("relcl"):
                return tok.head if tok.head.tag_ in NOUN_TAGS else relative_antecedent(c)
            return c
    if tok.dep_ in ("acl", "amod", "appos", "acl:relcl", "advcl:relcl", "advcl", "xcomp") and tok.head is not tok:
        if tok.dep_ in ("xcomp", "advcl", "conj"):
            return subject_of(tok.head)
        return tok.head
    if tok.dep_ == "conj":
        return subject_of(tok.head)
    return None


def relative_antecedent(pronoun):
    """'..., lithium, manganese and cobalt, which are ...' read by position: the list before the
    relative pronoun, from its first item."""
    doc, k = pronoun.doc, pronoun.i - 1
    while k >= 0 and doc[k].is_punct:
        k -= 1
    if k < 0:
        return None
    t = doc[k]
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    return t


def use_targets(r: Reader, tok) -> list:
    """Y of 'used in Y', 'used to make Y', 'used for making Y', 'used as a catalyst in Y'."""
    out = list(r.obliques(tok, r.f["use_target_cases"]))
    for c in r.obliques(tok, ("from",)):
        ends = [g for g in list(c.children) + list(tok.children) if g.dep_ in OBLIQUE and r.case_of(g) == "to"]
        if ends:
            out += [c] + ends
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp", "acl") and c.lower_ in r.f["make_verbs"]:
            out.extend(o for o in c.children if o.dep_ in ("obj", "dobj"))
        elif c.dep_ in OBLIQUE and r.case_of(c) == "as":
            out.extend(r.obliques(c, ("in", "for")))
    return out


def read_use(r: Reader):
    f = r.f
    for tok in r.parse.doc:
        low = tok.lower_
        if r.negated(tok):
            continue
        if low in f["use_passive_verbs"] and tok.tag_ in ("VBN", "VBD", "JJ"):
            passive_use(r, tok)
        elif low in f["use_adjectives"] and tok.tag_.startswith("JJ") or \
                low in f["use_nouns"] and tok.tag_ in NOUN_TAGS:
            role_use(r, tok)
        elif low in f["depend_verbs"] or low in f["depend_adjectives"]:
            depend_use(r, tok)
        elif (low in f["application_nouns"] or low.split("-")[-1] in f["application_nouns"]) and tok.tag_ in NOUN_TAGS:
            application_use(r, tok)
        elif low in f["need_verbs"] and tok.tag_ in ("VB", "VBZ", "VBP", "VBD", "VBG") and tok.dep_ != "aux":
            need_use(r, tok)
        elif low in f["go_into_verbs"]:
            targets = r.obliques(tok, f["go_into_cases"])
            subj = subject_of(tok)
            if targets and subj is not None:
                emit_use(r, [n for t in targets for n in needer_entities(r, t)], needed_entities(r, subj), "use_go_into")
        if low in f["made_with_verbs"] and tok.tag_ == "VBN":
            made_with(r, tok)
        if low in f["addition_verbs"] and tok.tag_ in ("VBN", "VBD"):
            subj = subject_of(tok)
            targets = r.obliques(tok, f["addition_cases"]) + use_targets(r, tok)
            if subj is not None and targets:
                emit_use(r, [n for t in targets for n in needer_entities(r, t)], needed_entities(r, subj), "use_addition")
    mineral_for(r)
    for tok in r.parse.doc:
        if tok.lower_ in r.f["demand_nouns"] and tok.tag_ in NOUN_TAGS:
            demand_use(r, tok)
        elif tok.lower_ in r.f["supply_verbs"] and tok.tag_.startswith("VB") and tok.tag_ != "VBN":
            subj, objs = subject_of(tok), objects(tok)
            if subj is not None and objs:
                emit_use(r, [n for o in objs for n in needer_entities(r, o)], needed_entities(r, subj), "use_supply")


def passive_use(r: Reader, tok):
    subj = subject_of(tok)
    if subj is None:
        return
    needed = needed_entities(r, subj)
    if not needed:
        return
    targets = use_targets(r, tok)
    needers = [n for t in targets for n in needer_entities(r, t)]
    for t in targets:
        if t.dep_ in ("obj", "dobj") and t.head.lower_ in r.f["make_verbs"]:
            later = [o for o in r.obliques(t.head, ("for", "in")) if o.i > t.i]
            made = needer_entities(r, t)
            goals = [n for o in later for n in needer_entities(r, o)]
            for ent, _ in made:
                emit_use(r, [g for g in goals if g[0].iri != ent.iri], [ent], "use_passive_chain", 0.9)
            emit_use(r, goals, needed_entities(r, subj), "use_passive_chain", 0.9)
    if tok.lower_ in r.f["presence_verbs"]:
        needers = [(e, t) for e, t in needers if not e.new or t.lower_ in r.ctx.lex["item_heads"]]
    emit_use(r, needers, needed, "use_passive")
    purposes = purpose_targets(r, tok)
    for ent, _ in needers:
        if ent.type in ("Product", "Material", "Technology"):
            emit_use(r, [p for p in purposes if p[0].iri != ent.iri], [ent], "use_passive_chain", 0.9)
            emit_use(r, purposes, needed, "use_passive_chain", 0.9)


def purpose_targets(r: Reader, tok) -> list:
    """'... for use in Z' anywhere under the trigger: where the made thing goes."""
    out = []
    for u in tok.subtree:
        if u.lower_ in r.f["application_nouns"] and r.case_of(u) == "for":
            for o in r.obliques(u, ("in", "across")):
                out.extend(needer_entities(r, o))
            for o in (c for c in u.head.children if c.i > u.i and c.dep_ in ("obj", "obl", "conj")):
                if r.case_of(o) in (None, "in") and o.tag_ in NOUN_TAGS and o not in out:
                    out.extend(needer_entities(r, o))
    return list({e.iri: (e, t) for e, t in out}.values())


def role_use(r: Reader, tok):
    """'M is essential to Y', 'M, a key component in Y', 'key minerals for Y such as M'."""
    f = r.f
    noun = tok if tok.tag_ in NOUN_TAGS else None
    if noun is not None and tok.lower_ not in f["role_nouns"]:
        if not any(c.dep_ == "amod" and c.lower_ in f["use_adjectives"] for c in tok.children):
            return
    cases = f["use_noun_cases"] if noun is not None else f["use_adjective_cases"]
    targets = r.obliques(tok, cases)
    head = tok
    if tok.dep_ == "amod" and tok.head.tag_ in NOUN_TAGS:
        head = tok.head
        targets += r.obliques(head, f["use_noun_cases"])
        if not targets and head.dep_ == "conj":
            targets += [o for o in r.obliques(head.head, cases) if o.i > tok.i]  # hung on the list's first item
    if not targets:
        return
    own = r.mention(head, NEEDED_TYPES)
    needed = [own.entry] if own is not None else []
    if own is not None and head.dep_ == "conj" and tok.dep_ == "amod":
        needed = needed_entities(r, head.head) + needed  # 'rare earths and strategic minerals essential for Y'
    if not needed:
        subj = subject_of(head)
        needed = needed_entities(r, subj) if subj is not None and subj is not head else []
    if not needed:
        needed = apposed_mineral(r, head) or copula_subject(r, head)
    if not needed and head.lower_ in f["descriptor_heads"] and head.tag_ in ("NNS", "NNPS"):
        needed = antecedents(r, head, True, None)  # 'control over resources critical to Y
    needers = [n for t in targets for n in needer_entities(r, t)]
    emit_use(r, needers, needed, "use_role", 0.95)


def depend_use(r: Reader, tok):
    """'Y relies on M', 'Y is dependent on M', 'Y's reliance on M', 'industries dependent on M'."""
    targets = r.obliques(tok, r.f["depend_cases"])
    if not targets:
        return
    needed = [e for t in targets for e in needed_entities(r, t)]
    if not needed:
        return
    if tok.tag_ in NOUN_TAGS:
        holders = [c for c in tok.children if c.dep_ in ("nmod:poss", "compound")
                   or (c.dep_ == "nmod" and r.case_of(c) == "of")]
    else:
        subj = subject_of(tok)
        holders = [subj] if subj is not None else []
    needers = [n for h in holders for n in needer_entities(r, h)]
    emit_use(r, needers, needed, "use_depend")
    emit_use(r, [n for t in purposes(r, tok, targets) for n in needer_entities(r, t)], needed, "use_depend_for", 0.9)


def purposes(r: Reader, tok, args) -> list:
    """'for Y' on the verb, or hung by the parse on the last of its listed arguments."""
    return r.obliques(tok, ("for",)) or [c for o in args for t in conjuncts(o) for c in t.children
                                         if c.dep_ == "nmod" and r.case_of(c) == "for"]


def need_use(r: Reader, tok):
    """'Y needs/requires/uses/contains M' (active voice; 'automakers need M' reads as the industry)."""
    objs = [c for c in tok.children if c.dep_ in ("obj", "dobj")]
    objs = [tok.head if o.tag_ in ("WDT", "WP") and tok.dep_.endswith("relcl") else o for o in objs]
    subj = subject_of(tok) if tok.tag_ != "VBG" or tok.dep_ != "acl" else tok.head
    if not objs or subj is None:
        return
    needed = [e for o in objs for e in needed_entities(r, o)]
    if not needed:
        return
    needers = needer_entities(r, subj)
    for_items = [n for t in purposes(r, tok, objs) for n in needer_entities(r, t)]
    emit_use(r, needers, needed, "use_need", 0.9)
    emit_use(r, for_items, needed, "use_need_for", 0.9)


def application_use(r: Reader, tok):
    """'the use of M in Y', 'M's applications in Y', 'M has applications in Y'."""
    targets = r.obliques(tok, ("in", "for", "across") + tuple(r.f["example_cases"]))
    owners = [c for c in tok.children if c.dep_ == "nmod:poss" or (c.dep_ == "nmod" and r.case_of(c) in ("of", "for"))]
    if tok.dep_ == "nsubj" and tok.head.lower_ in r.f["include_verbs"]:
        targets = [c for c in tok.head.children if c.dep_ in ("obj", "dobj")]
        owners = [c for c in owners if r.case_of(c) in ("of", "for") or c.dep_ == "nmod:poss"]
    else:
        owners = [c for c in owners if r.case_of(c) != "for"]
    if not targets:
        return
    if not owners and tok.dep_ in ("obj", "dobj") and tok.head.lower_ in ("has", "have", "had", "find", "finds"):
        subj = subject_of(tok.head)
        owners = [subj] if subj is not None else []
    needed = [e for o in owners for e in needed_entities(r, o)]
    if needed:
        emit_use(r, [n for t in targets for n in needer_entities(r, t)], needed, "use_application")


def demand_use(r: Reader, tok):
    """'demand for M from Y', 'M demand from Y', 'demand rising from Y' (M named just before)."""
    sources = r.obliques(tok, r.f["demand_source_cases"])
    for c in tok.children:
        if (c.dep_ == "acl" or c.dep_.endswith("relcl")) and c.tag_.startswith("VB"):
            sources += r.obliques(c, r.f["demand_source_cases"])
    fors = r.obliques(tok, ("for",))
    sources += [c for f in fors for t in conjuncts(f) for c in t.children
                if c.dep_ == "nmod" and r.case_of(c) in r.f["demand_source_cases"] and c not in sources]
    if tok.dep_ in ("nsubj", "nsubj:pass"):
        for o in r.obliques(tok.head, r.f["growth_cases"]):
            if o.lower_ in r.f["growth_nouns"]:
                sources += [c for c in o.children if c.dep_ == "nmod" and r.case_of(c) == "of"]
    if not sources:
        return
    heads = {s.head for s in sources}
    sources += [o for h in heads for o in h.children if o.dep_ in OBLIQUE and o not in sources
                and any(x.dep_ in ("cc", "fixed") and x.lower_ in ("as", "and") for x in o.children)]
    needed = [e for c in fors for e in needed_entities(r, c)]
    needed += [m.entry for c in tok.children if c.dep_ in ("compound", "amod")
               for m in [r.mention(c, NEEDED_TYPES)] if m is not None]
    if not needed and not any(m.entry.type in NEEDED_TYPES for m in r.sent.mentions):
        needed = antecedents(r, tok, True, None)
    needers = [(e, t) for s in sources for e, t in needer_entities(r, s) if e.type in ("Industry", "Product", "Technology")]
    emit_use(r, needers, needed, "use_demand", 0.9)


def made_with(r: Reader, tok):
    """'magnets made from M', 'Y is produced with M'."""
    sources = r.obliques(tok, r.f["made_with_cases"])
    needed = [e for s in sources for e in needed_entities(r, s)]
    if not needed:
        return
    subj = subject_of(tok)
    if subj is not None:
        emit_use(r, needer_entities(r, subj), needed, "use_made_with")


def mineral_for(r: Reader):
    """'dysprosium for magnets in EV motors': a mineral with a purpose phrase naming a known product."""
    for tok in r.parse.doc:
        m = r.mention(tok, ("Mineral",))
        if m is None or r.parse.article_end(tok) != m.end:
            continue
        for c in tok.children:
            if c.dep_ == "nmod" and r.case_of(c) == "for":
                needers = [(e, t) for e, t in needer_entities(r, c) if not e.new]
                emit_use(r, needers, [m.entry], "use_mineral_for", 0.85)


def descriptor_use(ctx, sent):
    """'the battery metal lithium', 'chipmaking materials gallium and germanium', 'the two chipmaking
    metals': a descriptor whose modifier names a product or industry stands for the minerals it
    describes, named right after it or just before."""
    f, doc = frames(), ctx.doc
    items = [m for m in sent.mentions if m.entry.type == "Mineral"]
    for d in range(sent.start + 1, sent.end):
        if doc[d].lower_ not in f["descriptor_heads"]:
            continue
        users = [u for u in ctx.ending_at(d, NEEDER_TYPES) if u.entry.type in ("Product", "Industry", "Technology")]
        if not users:
            continue
        first = next((m for m in items if m.start == d + 1), None)
        if first is not None:
            described = [first] + [o for o in items if o.start > first.start and all(
                doc[k].lower_ in (",", "and", "or") or any(x.start <= k < x.end for x in items)
                for k in range(first.end, o.start))]
            described = [m.entry for m in described]
        else:
            head_words = [doc[k].lower_ for k in range(max(sent.start, users[0].start - 2), users[0].start)]
            if not set(head_words) & f["descriptor_determiners"] | set(f["number_words"]):
                continue
            count = next((f["number_words"][w] for w in head_words if w in f["number_words"]), None)
            described = mineral_antecedents(ctx, sent, users[0].start, doc[d].lower_.endswith("s"), count)
        for o in described:
            add_draft(ctx, "depends_on", users[0].entry, o, {}, sent, "use_descriptor", RULE_CONFIDENCE["depends_on"])


def agents_of(r: Reader, tok) -> list:
    """States or companies a noun names: itself, or the demonyms and names modifying 'companies'."""
    out = []
    for t in conjuncts(tok):
        m = r.mention(t, AGENT_TYPES)
        if m is not None and m.how not in ("demonym_weak",) or m is not None and t.dep_ == "amod":
            out.append(m.entry)
            continue
        for c in t.children:
            if c.dep_ in ("amod", "compound", "nmod:poss") or c.dep_ == "conj" and c.i < t.i:
                for cc in conjuncts(c):
                    mm = r.mention(cc, AGENT_TYPES)
                    if mm is not None:
                        out.append(mm.entry)
        if t.lower_ in r.f["pronouns_singular"] | {"country"}:
            fb = r.ctx.analysis.main_country
            if fb is not None:
                out.append(fb)
    return list({e.iri: e for e in out}.values())


def dominated_entities(r: Reader, tok) -> list:
    """What a dominance phrase is about, through 'the supply of', 'most of', 'the market for'."""
    out = []
    for t in conjuncts(tok):
        named = [r.mention(c, ("Mineral", "Material")) for c in t.children if c.dep_ in ("compound", "amod")]
        if t.lower_ in GENERIC_OBJECTS and any(named):
            out.extend(m.entry for m in named if m is not None)
            continue
        if t.lower_ in GENERIC_OBJECTS or t.lower_ in r.f["dominate_most_words"] or t.lower_ in r.f["quantity_nouns"] \
                or t.lower_ in r.f["quantifiers"]:
            inner = [c for c in t.children if c.dep_ == "nmod" and r.case_of(c) in ("of", "for", "in")]
            for c in inner:
                out.extend(dominated_entities(r, c))
            if inner:
                continue
        m = r.mention(t, DOMINATED_TYPES)
        if m is not None:
            out.append(m.entry)
            continue
        found = resolve_descriptor(r, t)
        if not found and t.lower_ in r.f["descriptor_heads"]:
            found = antecedents(r, t, t.lower_.endswith("s"), None, categories=True)
        out.extend(found)
    return list({e.iri: e for e in out}.values())


def holder_of(r: Reader, tok):
    """Who a predicate noun is said of: 'C, the top producer', 'C is the top producer',
    'C holds its position as the top producer', 'C has a near monopoly'."""
    t = tok
    for _ in range(3):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subj is not None:
            return subj
        if t.dep_ == "appos" or (t.dep_ in ("obl", "nmod", "obj", "dobj", "xcomp", "conj") and t.head is not t):
            if t.dep_ == "appos":
                return t.head
            t = t.head
            continue
        return None
    return None


def read_dominance(r: Reader):
    f = r.f
    for tok in r.parse.doc:
        low = tok.lower_
        if r.negated(tok):
            continue
        if low in f["dominate_producer_nouns"] and tok.tag_ in NOUN_TAGS:
            mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "nmod:poss", "compound", "advmod", "nummod")}
            if {c.lower_ for c in tok.children} & r.f["past_markers"] or \
                    any(c.lower_ in r.f["past_markers"] for c in tok.head.children):
                continue
            span = [t.lower_ for c in tok.children if c.i < tok.i for t in c.subtree]
            if set(span) & r.f["dominate_excluded_modifiers"]:
                continue
            if not mods & f["dominate_producer_adjectives"] or mods & f["dominate_excluded_modifiers"] \
                    or tok.head.lower_ in f["dominate_excluded_modifiers"]:
                continue
            objs = [c for c in tok.children if c.dep_ == "nmod" and r.case_of(c) in ("of", "for", "in")]
            objs += [c for c in tok.children if c.dep_ == "compound" and r.mention(c, DOMINATED_TYPES)]
            holder = holder_of(r, tok)
            if holder is None or not agents_of(r, holder):
                holder = apposed_token(r, tok, AGENT_TYPES) or holder
            things = [e for o in objs for e in dominated_entities(r, o)]
            if not objs:
                things = list({m.entry.iri: m.entry for m in r.sent.mentions if m.entry.type == "Mineral"}.values())
                things = things if len(things) == 1 else []
            emit_dominance(r, agents_of(r, holder) if holder is not None else [], things, "dominates_producer")
        elif low in f["dominate_nouns"] and tok.tag_ in NOUN_TAGS:
            holders = [c for c in tok.children if c.dep_ in ("nmod:poss", "amod", "compound")
                       and r.mention(c, AGENT_TYPES)]
            if not holders and tok.dep_ in ("obj", "dobj"):
                holders = [c for c in tok.head.children if c.dep_ == "nsubj"]
            objs = [c for c in tok.children if c.dep_ == "nmod" and r.case_of(c) in ("on", "over", "of", "in")]
            if not objs and tok.dep_ in ("obj", "dobj"):
                objs = r.obliques(tok.head, ("on", "over", "in"))
            things = [e for o in objs for e in dominated_entities(r, o)]
            emit_dominance(r, [a for h in holders for a in agents_of(r, h)], things, "dominates_noun")
        elif low in f["dominate_verbs"] and tok.tag_.startswith("VB"):
            dominate_verb(r, tok)
        elif low in f["origin_verbs"] and tok.tag_.startswith("VB"):
            origin_dominance(r, tok)


def origin_dominance(r: Reader, tok):
    """'Most of the world's M comes from C': the source of most of a mineral dominates it."""
    subj = subject_of(tok)
    if subj is None or subj.lower_ not in r.f["dominate_most_words"]:
        return
    things = dominated_entities(r, subj)
    sources = r.obliques(tok, ("from",)) or [c for c in tok.head.children if c.dep_ in OBLIQUE
                                             and r.case_of(c) == "from"]
    emit_dominance(r, [a for c in sources for a in agents_of(r, c)], things, "dominates_origin")


def dominate_verb(r: Reader, tok):
    objs = [c for c in tok.children if c.dep_ in ("obj", "dobj")]
    if tok.lower_ in r.f["dominate_verbs_need_most"] and not any(
            o.lower_ in r.f["dominate_most_words"] or any(c.lower_ in r.f["dominate_most_words"] for c in o.children)
            for o in objs):
        return
    if tok.tag_ == "VBN" and any(c.dep_ == "nsubj:pass" for c in tok.children) or tok.dep_ == "acl":
        agents = [c for c in tok.children if c.dep_ in ("obl", "obl:agent") and r.case_of(c) == "by"]
        subj = subject_of(tok)
        things = dominated_entities(r, subj) if subj is not None else []
    else:
        subj = subject_of(tok)
        agents = [subj] if subj is not None else []
        things = [e for o in objs for e in dominated_entities(r, o)]
    emit_dominance(r, [a for g in agents for a in agents_of(r, g)], things, "dominates_verb")


def emit_dominance(r: Reader, agents, things, rule):
    for a in agents:
        for t in things:
            if t.type != "Country":
                add_draft(r.ctx, "dominates", a, t, {}, r.sent, rule, RULE_CONFIDENCE["dominates"])


def singular_phrase(r: Reader, tok) -> str:
    """'rare earth magnets' → 'rare earth magnet', as a modifier of a technology name."""
    s, e = noun_span(r, tok)
    words = [t.lower_ if not t.text.isupper() else t.text for t in r.ctx.doc[s:e]]
    words = [w for w in words if w not in r.ctx.lex["np_drop_prefixes"] and w not in ("the", "a", "an")]
    text = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    if text.endswith("ies"):
        return text[:-3] + "y"
    if text.endswith("s") and not text.endswith("ss"):
        return text[:-1]
    return text


def technology_labels(r: Reader, tok) -> list[tuple[str, set]]:
    """Names of the technologies a 'technology' noun lists, with the tokens they were read from:
    'technology to make X and Y' → X technology, Y technology; 'technology to extract and separate
    X' → X extraction technology, X separation technology; 'production technology for X' → X
    production technology."""
    f = r.f
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    targets = [c for c in tok.children if c.dep_ == "nmod" and r.case_of(c) == "for"]
    if mods and targets:
        head = " ".join(c.lower_ for c in sorted(mods, key=lambda c: c.i))
        return [(f"{singular_phrase(r, t)} {head} technology", {x.i for x in t.subtree})
                for x in targets for t in conjuncts(x)]
    if any(c.lower_ in f["technology_process_nouns"] for c in mods):
        label = singular_phrase(r, tok)
        left = min(x.i for c in mods for x in c.subtree)
        return [(label, set(range(left, tok.i + 1)))] if len(label.split()) >= 3 else []
    doc = tok.doc
    k = tok.i + 1
    while k < len(doc) and doc[k].lower_ in f["technology_links"]:
        k += 1
    if k == tok.i + 1:
        return []
    verbs = coordinated_verbs(doc, k)
    if not verbs or verbs[0].lower_ not in f["make_verbs"] | set(f["process_verbs"]):
        return []
    out = []
    for k, v in enumerate(verbs):
        objs = next((objects(w) for w in verbs[k:] if objects(w)), [])
        if not objs:
            after = next_noun(doc, verbs[-1].i)
            objs = [after] if after is not None else []
        noun = f["process_verbs"].get(v.lower_)
        for o in objs:
            for t in conjuncts(o):
                named = technology_object(r, t)
                if named:
                    label = f"{named} {noun} technology" if noun else f"{named} technology"
                    out.append((label, {x.i for x in t.subtree}))
    return list({label: (label, used) for label, used in out}.values())


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


def technology_object(r: Reader, tok) -> str | None:
    """What a technology works on, as a modifier: a named thing, or the mineral a descriptor stands for."""
    m = r.mention(tok, ("Mineral",))
    if m is not None and m.entry.iri in r.ctx.gaz.categories:
        found = antecedents(r, tok, True, None, categories=False)
        if len(found) == 1:
            return found[0].label.replace(" elements", "").lower()
        return None
    if m is not None:
        return m.entry.label.replace(" elements", "").lower()
    if tok.tag_ not in NOUN_TAGS or tok.lower_ in r.f["not_needers"]:
        return None
    return singular_phrase(r, tok)


def technology_items(r: Reader):
    """Controls on technology: the item is the named technology, not the minerals inside its name."""
    controls = [d for d in r.ctx.drafts if d.relation == "export_control" and d.sentence is r.sent]
    near = controls or [d for d in r.ctx.drafts if d.relation == "export_control"
                        and 0 < r.sent.index - d.sentence.index <= 2]
    if not near:
        return
    inside: set[int] = set()
    for tok in r.parse.doc:
        if tok.lower_ not in r.f["technology_nouns"]:
            continue
        labels = technology_labels(r, tok)
        if not labels:
            continue
        base = near[-1]
        for label, used in labels:
            inside.update(k for i in used for k in r.parse.article_span(r.parse.doc[i]))
            entry = new_entry("technology", label, "Technology", "Technology")
            add_draft(r.ctx, "export_control", base.subject, entry, dict(base.qualifiers), r.sent,
                      "export_control_technology", base.confidence * 0.9, base.date_rank)
    if inside:
        keep_outside = {m.entry.iri for m in r.sent.mentions if not any(i in inside for i in range(m.start, m.end))}
        r.ctx.drafts[:] = [d for d in r.ctx.drafts if not (
            d.relation == "export_control" and d.sentence is r.sent and d.rule != "export_control_technology"
            and d.object.iri not in keep_outside)]


def control_items(r: Reader):
    """Items of a control that the gazetteer does not name: 'a freeze on exports of all raw minerals
    and lithium concentrate' also controls the class 'raw minerals'. Only where a control rule already
    read this sentence: its issuer and qualifiers carry over."""
    controls = [d for d in r.ctx.drafts if d.relation == "export_control" and d.sentence is r.sent]
    if not controls:
        return
    base = controls[0]
    for tok in r.parse.doc:
        if tok.lower_ not in r.f["trade_nouns"] or tok.tag_ not in NOUN_TAGS:
            continue
        for c in tok.children:
            if c.dep_ != "nmod" or r.case_of(c) not in ("of", "on"):
                continue
            for item in conjuncts(c):
                named = r.mention(item, ("Mineral", "Material", "Product", "Technology"))
                if named is not None and named.entry.iri not in r.ctx.gaz.categories:
                    continue
                entry = named.entry if named is not None else class_item(r, item)
                if entry is not None:
                    add_draft(r.ctx, "export_control", base.subject, entry, dict(base.qualifiers), r.sent,
                              "export_control_class", base.confidence * 0.9, base.date_rank)


def class_item(r: Reader, tok):
    """A named class of goods ('raw minerals', 'unprocessed mineral ores') as a node."""
    heads = r.f["class_item_heads"]
    if tok.lower_ not in heads:
        return None
    s, e = noun_span(r, tok)
    if any(r.covering.get(k) is not None and r.covering[k].entry.type == "Mineral" for k in range(s, e)):
        return None  # 'rare earth raw materials': the mineral named inside is the item
    words = [t.lower_ for t in r.ctx.doc[s:e] if t.lower_ not in r.f["quantifiers"] and t.lower_ not in
             ("the", "a", "an", "other", "its", "their", "certain", "specific")]
    if len(words) < 2:
        return None
    label = " ".join(words)
    hits = r.ctx.gaz.lookup(label, ("Mineral", "Material"))
    if len(hits) == 1:
        return hits[0]
    kind, cls, view = heads[tok.lower_]
    return new_entry(kind, label, cls, view)


def share_items(r: Reader):
    """'C refines 90% of the world's rare earths and 70% of its lithium': the shares coordinated with one
    a share rule read carry its state, stage and year to their own minerals."""
    shares = [d for d in r.ctx.drafts if d.relation == "production_share" and d.sentence is r.sent]
    if not shares:
        return
    base, known = shares[0], {d.object.iri for d in shares}
    for tok in r.parse.doc:
        if tok.lower_ not in r.f["percent_words"]:
            continue
        number = next((c for c in tok.children if c.dep_ == "nummod"), None)
        value = share_value(number.text) if number is not None else None
        if value is None:
            continue
        for c in tok.children:
            if c.dep_ != "nmod" or r.case_of(c) != "of":
                continue
            for t in conjuncts(c):
                m = r.mention(t, ("Mineral",))
                if m is not None and m.entry.iri not in known:
                    known.add(m.entry.iri)
                    add_draft(r.ctx, "production_share", base.subject, m.entry, {**base.qualifiers, "share": value},
                              r.sent, "production_share_coordinated", base.confidence * 0.9, base.date_rank)


def share_value(text: str):
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def product_modifiers(ctx) -> None:
    """'cerium magnets', 'samarium-cobalt magnets': a mineral named only inside a product's name is not
    a mention of the mineral, nor an item of a control."""
    doc, heads = ctx.doc, ctx.lex["item_heads"]
    free, bound = set(), set()
    for m in ctx.analysis.mentions:
        if m.entry.type != "Mineral":
            continue
        k = m.end
        while k < len(doc) and doc[k].text == "-" and k + 1 < len(doc):
            k += 2
        nxt = doc[k].lower_ if k < len(doc) else ""
        (bound if nxt in heads and heads[nxt] == "product" and k > m.end - 1 and m.end - m.start == 1 else free) \
            .add(m.entry.iri)
    only_bound = bound - free
    if only_bound:
        ctx.drafts[:] = [d for d in ctx.drafts if not (
            d.relation in ("mentions", "export_control") and d.object.iri in only_bound)]


def read_frames(ctx, parses) -> None:
    for sent in ctx.analysis.sentences:
        descriptor_use(ctx, sent)
    for parse in parses.values():
        r = Reader(ctx, parse)
        read_use(r)
        read_dominance(r)
        technology_items(r)
        control_items(r)
        share_items(r)
    product_modifiers(ctx)
