"""DOMINATE frames (dominates): "C dominates X", "C's near monopoly on X", "C is the largest producer
of X" (not "second-largest", not "once the largest"), "C controls most of X", "most of X comes from C".
"""

from __future__ import annotations

from graph.extract.arguments import antecedents, resolve_descriptor
from graph.extract.rulekit import RULE_CONFIDENCE, add_draft, fallback_issuer
from graph.extract.treekit import (AGENT_TYPES, DOMINATED_TYPES, GENERIC_OBJECTS, NOUN_TAGS, OBLIQUE, Reader,
                                   apposed_token, conjuncts, subject_of)


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
            fb = the_country(r, t)
            if fb is not None:
                out.append(fb)
    return list({e.iri: e for e in out}.values())


def the_country(r: Reader, tok):
    """'the country', 'it': the last state named before it in the sentence, else the state the sentences
    just before acted as, else the article's."""
    at = r.parse.article_index(tok)
    before = [m.entry for m in r.sent.mentions if m.entry.type == "Country" and m.end <= at]
    return before[-1] if before else fallback_issuer(r.ctx, r.sent)


def dominated_entities(r: Reader, tok) -> list:
    """What a dominance phrase is about, through 'the supply of', 'most of', 'the market for'."""
    out = []
    for t in conjuncts(tok):
        named = [r.mention(c, DOMINATED_TYPES) for c in t.children if c.dep_ in ("compound", "amod")]
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
            if t.i != tok.i:
                continue  # 'dominates the supply chain, mining nearly half of ...': a stage, not an industry
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
    'C holds its position as the top producer', 'C has a near monopoly', 'made C the top producer'."""
    t = tok
    for _ in range(3):
        if t.i != tok.i and t.lower_ in r.f["making_verbs"] and tok.dep_ in ("obl", "xcomp"):
            made = next((c for c in t.children if c.dep_ in ("obj", "dobj", "iobj")), None)
            if made is not None:
                return made  # 'turned the country into the top producer', 'made C the largest producer'
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subj is not None:
            return subj
        if t.dep_ == "appos" or (t.dep_ in ("obl", "nmod", "obj", "dobj", "xcomp", "conj") and t.head.i != t.i):
            if t.dep_ == "appos":
                return t.head
            t = t.head
            continue
        return None
    return None


def set_off_agent(r: Reader, tok):
    """'the top producer, Australia, ...': a state or company set off by commas right after the noun (the
    parse may read it as an apposition or as a list item)."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ not in ("appos", "conj") or r.mention(c, AGENT_TYPES) is None or c.i < tok.i:
            continue
        if c.dep_ == "appos":
            return c
        between = [t.lower_ for t in doc[tok.i + 1:c.i]]
        after = doc[c.i + 1].text if c.i + 1 < len(doc) else ""
        if between == [","] and after in (",", "–", "—") and not any(x.dep_ == "cc" for x in c.children):
            return c
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
            if any(c.dep_ == "nmod:poss" and c.lower_ in r.f["regional_owners"] for c in tok.children):
                continue  # "Africa's biggest producer": first in a region, not in the world
            if not mods & f["dominate_producer_adjectives"] or mods & f["dominate_excluded_modifiers"] \
                    or tok.head.lower_ in f["dominate_excluded_modifiers"]:
                continue
            objs = [c for c in tok.children if c.dep_ == "nmod" and r.case_of(c) in ("of", "for", "in")]
            objs += [c for c in tok.children if c.dep_ == "compound" and r.mention(c, DOMINATED_TYPES)]
            holder = holder_of(r, tok)
            if holder is None or not agents_of(r, holder):
                holder = apposed_token(r, tok, AGENT_TYPES) or set_off_agent(r, tok) or holder
            things = [e for o in objs for e in dominated_entities(r, o)]
            if not objs and not any(c.dep_ == "compound" and c.tag_ in NOUN_TAGS for c in tok.children):
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
    owners = [c for t in subj.subtree for c in t.children if c.dep_ == "nmod:poss" and r.mention(c, ("Country",))]
    if owners:
        return  # 'most of China's lithium comes from C': a partner's trade, not the world's supply
    things = dominated_entities(r, subj)
    sources = r.obliques(tok, ("from",)) or [c for c in tok.head.children if c.dep_ in OBLIQUE
                                             and r.case_of(c) == "from"]
    emit_dominance(r, [a for c in sources for a in agents_of(r, c)], things, "dominates_origin")


def dominate_verb(r: Reader, tok):
    objs = [c for c in tok.children if c.dep_ in ("obj", "dobj")]
    if tok.lower_.startswith("account"):
        objs += r.obliques(tok, ("for",))  # 'accounts for most of'
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
