"""USE frames (depends_on): "M is used in Y", "M, a key component in Y", "Y relies on M", "Y needs M",
"the use of M in Y", "M goes into Y", "Y made from M", "demand for M from Y", "M added to Y", with
chains ("graphite is used to make anodes for batteries": anodes → graphite, batteries → anodes,
batteries → graphite).
"""

from __future__ import annotations

from graph.extract.arguments import (antecedents, apposed_mineral, copula_subject, mineral_antecedents,
                                     needed_entities, needer_entities, named_antecedent, predicated_minerals)
from graph.extract.rulekit import RULE_CONFIDENCE, add_draft
from graph.extract.treekit import (NEEDED_TYPES, NEEDER_TYPES, NOUN_TAGS, OBLIQUE, Reader, apposed_conj, conjuncts,
                                   frames, objects, subject_of)


def emit_use(r: Reader, needers, needed, rule: str, conf_scale=1.0, depth: int = 0):
    """Each needer needs each needed item; what a needer goes into ('magnets for EV motors', 'the
    cathodes of batteries used in EVs') needs it and what it needs, two levels down."""
    conf = RULE_CONFIDENCE["depends_on"] * conf_scale
    chain = rule if rule.endswith("_chain") else rule + "_chain"
    for ent, tok in needers:
        for m in needed:
            add_draft(r.ctx, "depends_on", ent, m, {}, r.sent, rule, conf)
        if ent.type not in ("Product", "Material", "Technology") or depth >= 2:
            continue
        goals = [(z, t) for z, t in chain_targets(r, tok) if z.iri != ent.iri]
        if goals:
            emit_use(r, goals, [ent] + list(needed), chain, conf_scale * 0.9, depth + 1)


def chain_targets(r: Reader, tok):
    """'magnets for EV motors', 'batteries used in phones': what the needed item goes into."""
    out = []
    for c in tok.children:
        if c.dep_ == "appos" or apposed_conj(c):  # 'GaAs, a semiconductor used in Y'
            for g in c.children:
                if g.dep_ == "acl" and g.lower_ in r.f["use_passive_verbs"]:
                    out.extend(n for o in use_targets(r, g) for n in needer_entities(r, o))
        if c.dep_ in ("nmod", "obl") and r.case_of(c) in ("for", "in", "inside", "within"):
            out.extend(needer_entities(r, c))
        elif c.dep_ == "nmod" and r.case_of(c) == "of" and (r.mention(tok, ("Product", "Material")) or
                                                          tok.lower_ in r.ctx.lex["item_heads"]):
            out.extend(n for n in needer_entities(r, c) if n[0].type == "Product")  # 'the cathodes of batteries'

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


def use_targets(r: Reader, tok) -> list:
    """Y of 'used in Y', 'used to make Y', 'used for making Y', 'used as a catalyst in Y'."""
    out = list(r.obliques(tok, r.f["use_target_cases"]))
    out += [c for c in tok.children if c.dep_ == "obl:agent" and (  # 'used by steelmakers', 'by makers of Y'
        r.mention(c, NEEDER_TYPES) or c.lower_ in r.f["maker_nouns"])]
    for c in r.obliques(tok, ("from",)):
        ends = [g for g in list(c.children) + list(tok.children) if g.dep_ in OBLIQUE and r.case_of(g) == "to"]
        if ends:
            out += [c] + ends
    for c in tok.children:
        if c.dep_ in ("advcl", "xcomp", "acl") and c.lower_ in r.f["make_verbs"]:
            out.extend(o for o in c.children if o.dep_ in ("obj", "dobj"))
        if c.dep_ in ("advcl", "xcomp") and c.lower_ in r.f["improve_verbs"] | r.f["make_verbs"]:
            out.extend(r.obliques(c, ("in", "for")))  # 'used to harden lead in batteries'
        elif c.dep_ in OBLIQUE and r.case_of(c) == "as":
            out.extend(r.obliques(c, ("in", "for")))
    return out


def read_use(r: Reader):
    f = r.f
    for tok in r.parse.doc:
        low = tok.lower_
        if r.negated(tok):
            if low in f["make_verbs"]:
                made_without(r, tok)
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
        elif low in f["end_up_verbs"] and any(c.dep_ == "compound:prt" and c.lower_ == "up" for c in tok.children) \
                or low in f["appear_verbs"] and tok.tag_.startswith("VB"):
            landing_use(r, tok)  # 'most of it ends up in Y', 'M appears in Y'
        elif low in f["go_into_verbs"]:
            targets = r.obliques(tok, f["go_into_cases"])
            subj = subject_of(tok)
            if targets and subj is not None:
                emit_use(r, [n for t in targets for n in needer_entities(r, t)], needed_entities(r, subj), "use_go_into")
        if low in f["made_with_verbs"] and tok.tag_ == "VBN":
            made_with(r, tok)
        if low in f["improve_verbs"] and tok.tag_ in ("VBZ", "VBP", "VBD", "VB"):
            improve_use(r, tok)
        if low in f["source_nouns"] and tok.tag_ in NOUN_TAGS:
            source_use(r, tok)
        if low in f["addition_verbs"] and tok.tag_ in ("VBN", "VBD"):
            subj = subject_of(tok)
            targets = r.obliques(tok, f["addition_cases"]) + use_targets(r, tok)
            if subj is not None and targets:
                emit_use(r, [n for t in targets for n in needer_entities(r, t)], needed_entities(r, subj), "use_addition")
    mineral_for(r)
    for tok in r.parse.doc:
        if tok.dep_ in ("obl", "advcl", "nmod") and tok.i < tok.head.i:
            without_use(r, tok)
    for tok in r.parse.doc:
        if tok.lower_ in r.f["demand_nouns"] and tok.tag_ in NOUN_TAGS:
            demand_use(r, tok)
        elif tok.lower_ in r.f["supply_verbs"] and tok.tag_.startswith("VB") and tok.tag_ != "VBN":
            subj, objs = subject_of(tok), objects(tok)
            if subj is not None and objs:
                emit_use(r, [n for o in objs for n in needer_entities(r, o)], needed_entities(r, subj), "use_supply")


def landing_use(r: Reader, tok):
    """'most of M ends up in Y', 'M appears in Y': where the mineral lands is what needs it."""
    subj = subject_of(tok)
    targets = r.obliques(tok, ("in", "inside", "into"))
    if subj is not None and targets:
        needers = [n for t in targets for n in needer_entities(r, t)]
        needers = [(e, t) for e, t in needers if not e.new or t.lower_ in r.ctx.lex["item_heads"]]
        emit_use(r, needers, needed_entities(r, subj), "use_landing", 0.9)


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
    targets = r.obliques(tok, cases) + [c for c in tok.children if c.dep_ in ("advcl", "xcomp", "acl")
                                        and c.lower_ in f["make_verbs"] and r.case_of(c) in cases]
    head = tok
    if tok.dep_ == "amod" and tok.head.tag_ in NOUN_TAGS:
        head = tok.head
        targets += r.obliques(head, f["use_noun_cases"])
        if not targets and head.dep_ == "conj":
            targets += [o for o in r.obliques(head.head, cases) if o.i > tok.i]  # hung on the list's first item
    if not targets and noun is not None:  # 'cobalt, a key battery ingredient': the thing named before the noun
        targets = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and r.mention(c, NEEDER_TYPES)]
    if not targets and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in cases \
            and tok.doc[tok.i + 1].dep_ == "case" and tok.doc[tok.i + 1].head.i > tok.i:
        targets = [tok.doc[tok.i + 1].head]  # 'central to Y' with Y hung on the verb
    if not targets:
        return
    own = r.mention(head, NEEDED_TYPES)
    needed = [own.entry] if own is not None else []
    if own is not None and tok.dep_ == "amod":
        first = head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # 'tin and strategic metals vital for Y', 'X and Y essential for Z'
        needed = [e for t in conjuncts(first) if t.i <= head.i for e in needed_entities(r, t)] or needed
    if not needed:
        subj = subject_of(head)
        if subj is None and r.case_of(head) == "as" and head.head.lower_ in f["as_verbs"]:
            subj = subject_of(head.head)  # 'M serves as an input for Y'
        needed = needed_entities(r, subj) if subj is not None and subj is not head else []
    if not needed:
        needed = apposed_mineral(r, head) or copula_subject(r, head)
    if not needed and head.lower_ in f["descriptor_heads"] and head.tag_ in ("NNS", "NNPS"):
        needed = antecedents(r, head, True, None)  # 'control over resources critical to Y'
    if not needed and head.lower_ in f["supply_chain_heads"]:
        needed = [m.entry for m in r.sent.mentions if m.entry.type in NEEDED_TYPES  # 'supply chains central to Y'
                  and m.end <= r.parse.article_index(head) and m.entry.iri not in r.ctx.gaz.categories]
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
    """'for Y' on the verb, or hung by the parse on the last of its listed arguments; not one that other
    minerals stand between ('amounts of it, along with nickel and cobalt for cathodes': the cathodes need
    nickel and cobalt, not it)."""
    return r.obliques(tok, ("for",)) or [c for o in args for t in conjuncts(o) for c in t.children
                                         if c.dep_ == "nmod" and r.case_of(c) == "for" and not _minerals_between(r, t, c)]


def _minerals_between(r: Reader, arg, purpose) -> bool:
    own = {arg.i} | {x.i for c in arg.children if c.dep_ == "nmod" and r.case_of(c) == "of" for x in conjuncts(c)}
    return any(r.mention(x, ("Mineral",)) is not None and x.i not in own for x in arg.doc[arg.i + 1:purpose.i])


def need_use(r: Reader, tok):
    """'Y needs/requires/uses/contains M' (active voice; 'automakers need M' reads as the industry)."""
    objs = [c for c in tok.children if c.dep_ in ("obj", "dobj") and c.tag_ != "CD"]  # 'one to two kg of M'
    objs = [tok.head if o.tag_ in ("WDT", "WP") and tok.dep_.endswith("relcl") else o for o in objs]
    objs = objs or relative_object(r, tok) or [c for c in tok.children if c.dep_ == "obl"
                                               and c.lower_ in r.f["amount_nouns"]]  # 'uses up to 600 kg of M'
    subj = subject_of(tok) if tok.tag_ != "VBG" or tok.dep_ != "acl" else tok.head
    if subj is not None:
        subj = named_antecedent(r, subj, NEEDER_TYPES) or subj  # 'chips, which require M,'
    if not objs or subj is None:
        return
    needed = [e for o in objs for e in needed_entities(r, o)]
    needed += [e for o in objs for c in o.children if c.dep_ == "nmod" and _along_with(c)
               for e in needed_entities(r, c) if e not in needed]  # 'amounts of it, along with nickel and cobalt'
    if not needed:
        return
    needers = needer_entities(r, subj)
    for_items = [n for t in purposes(r, tok, objs) for n in needer_entities(r, t)]
    emit_use(r, needers, needed, "use_need", 0.9)
    emit_use(r, for_items, needed, "use_need_for", 0.9)
    for verb in (c for c in tok.children if c.dep_ in ("advcl", "xcomp") and c.lower_ in r.f["make_verbs"]):
        made = [n for o in objects(verb) for n in needer_entities(r, o)]  # 'uses M to make Y'
        goals = [n for o in r.obliques(verb, ("for", "in")) for n in needer_entities(r, o)]
        emit_use(r, made, needed, "use_need_make", 0.9)
        for ent, _ in made:
            emit_use(r, [g for g in goals if g[0].iri != ent.iri], [ent], "use_need_make", 0.9)
        emit_use(r, goals, needed, "use_need_make", 0.9)


def _along_with(tok) -> bool:
    cases = {c.lower_ for c in tok.children if c.dep_ == "case"}
    return "with" in cases and bool(cases & {"along", "together"})


def relative_object(r: Reader, tok) -> list:
    """'the nickel ore that it uses': the noun before 'that'/'which' when the parse gives the clause no
    object, read by word order."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.i < 2:
        return []
    rel = tok.doc[subj.i - 1]
    before = tok.doc[subj.i - 2]
    if rel.lower_ not in ("that", "which"):
        return []
    if before.lower_ in r.f["mineral_form_nouns"] and before.i > 0:
        before = before.doc[before.i - 1]  # 'the nickel ore that ...'
    return [before] if r.mention(before, NEEDED_TYPES) is not None else []


def application_use(r: Reader, tok):
    """'the use of M in Y', 'M's applications in Y', 'M has applications in Y'."""
    targets = r.obliques(tok, ("in", "for", "across") + tuple(r.f["example_cases"]))
    owners = [c for c in tok.children if c.dep_ == "nmod:poss" or (c.dep_ == "nmod" and r.case_of(c) in ("of", "for"))]
    said_of = tok.dep_ == "nsubj" and (tok.head.lower_ in r.f["include_verbs"] or
                                       any(c.dep_ == "cop" for c in tok.head.children) and tok.head.tag_ in NOUN_TAGS)
    if said_of:  # 'uses of M include Y', 'the leading use of M was (in) Y'
        targets = [c for c in tok.head.children if c.dep_ in ("obj", "dobj")] \
            if tok.head.lower_ in r.f["include_verbs"] else [tok.head]
        owners = [c for c in owners if r.case_of(c) in ("of", "for") or c.dep_ == "nmod:poss"]
    else:
        owners = [c for c in owners if r.case_of(c) != "for"]
    if not targets:
        return
    if not owners and tok.dep_ in ("obj", "dobj") and tok.head.lower_ in ("has", "have", "had", "find", "finds"):
        subj = subject_of(tok.head)
        owners = [subj] if subj is not None else []
    needed = [e for o in owners for e in needed_entities(r, o)]
    if not owners and said_of and tok.lower_.endswith("s"):
        needed = antecedents(r, tok, False, None, categories=False)  # 'Other uses included Y': the mineral in hand
    if needed:
        needers = [n for t in targets for n in needer_entities(r, t)]
        if said_of and tok.head.lower_ not in r.f["include_verbs"]:  # 'the use of M was a concern': no item
            needers = [(e, t) for e, t in needers if not e.new or t.lower_ in r.ctx.lex["item_heads"]]
        emit_use(r, needers, needed, "use_application")


def demand_use(r: Reader, tok):
    """'demand for M from Y', 'M demand from Y', 'demand rising from Y' (M named just before)."""
    sources = r.obliques(tok, r.f["demand_source_cases"])
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if not sources and nxt is not None and nxt.lower_ in r.f["demand_source_cases"] and nxt.dep_ == "case" \
            and nxt.head.i > nxt.i:
        sources = [nxt.head]  # 'demand from Y' with Y hung on the verb
    for c in tok.children:
        if (c.dep_ == "acl" or c.dep_.endswith("relcl")) and c.tag_.startswith("VB"):
            sources += r.obliques(c, r.f["demand_source_cases"])
    fors = r.obliques(tok, ("for",))
    sources += [c for f in fors for t in conjuncts(f) for c in t.children
                if c.dep_ == "nmod" and c not in sources and (r.case_of(c) in r.f["demand_source_cases"] or
                                                            r.case_of(c) == "in" and r.mention(c, NEEDER_TYPES))]
    holder = tok.head if tok.dep_ == "nmod" and tok.head.lower_ in r.f["percent_words"] | r.f["share_nouns"] else tok
    if holder.dep_ == "nsubj" and holder.head.lower_ in r.f["origin_verbs"]:
        sources += r.obliques(holder.head, ("from",))  # '(two-thirds of) lithium demand comes from batteries'
    if holder.dep_ == "nsubj:pass" and holder.head.lower_ in r.f["drive_verbs"]:
        sources += [c for c in holder.head.children if c.dep_ in ("obl:agent", "obl") and r.case_of(c) == "by"]
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
    named = {m.entry.iri: m.entry for m in r.sent.mentions if m.entry.type == "Mineral"
             and m.entry.iri not in r.ctx.gaz.categories and m.end <= r.parse.article_index(tok)}
    if not needed and not any(m.entry.type in NEEDED_TYPES for m in r.sent.mentions):
        needed = antecedents(r, tok, True, None)
    elif not needed and len(named) == 1:
        needed = list(named.values())  # 'lithium prices fell as demand from EV makers slowed
    sources += [c for c in r.obliques(tok, ("in",)) if r.mention(c, NEEDER_TYPES) is not None]
    needers = [(e, t) for s in sources for e, t in needer_entities(r, s) if e.type in ("Industry", "Product", "Technology")]
    emit_use(r, needers, needed, "use_demand", 0.9)


def source_use(r: Reader, tok):
    """'Bauxite, the main ore source of aluminium', 'M is the main source of N': what is won from a
    mineral needs it."""
    made = [e for o in r.obliques(tok, ("of",)) for t in conjuncts(o)
            for m in [r.mention(t, ("Mineral", "Material"))] if m is not None for e in [m.entry]]
    if not made:
        return
    subj = subject_of(tok)
    sources = needed_entities(r, subj) if subj is not None else []
    sources = sources or apposed_mineral(r, tok)
    emit_use(r, [(e, tok) for e in made if all(e.iri != s.iri for s in sources)], sources, "use_source", 0.9)


def improve_use(r: Reader, tok):
    """'Scandium strengthens aluminium alloys': what a mineral improves is made with it."""
    subj = subject_of(tok)
    if subj is None:
        return
    needed = needed_entities(r, subj)
    needers = [n for o in objects(tok) for n in needer_entities(r, o)]
    emit_use(r, needers, needed, "use_improve", 0.9)


def made_with(r: Reader, tok):
    """'magnets made from M', 'Y is produced with M'."""
    sources = r.obliques(tok, r.f["made_with_cases"])
    needed = [e for s in sources for e in needed_entities(r, s)]
    if not needed:
        return
    subj = subject_of(tok)
    if subj is not None:
        emit_use(r, needer_entities(r, subj), needed, "use_made_with")


def without_use(r: Reader, tok):
    """'Without M, Y would not work', 'Without M, the production of Y would grind to a halt': a mineral
    whose absence stops a thing is a mineral it needs (only a negated verb or a word of failure)."""
    if r.mention(tok, ("Mineral",)) is None or r.case_of(tok) not in r.f["made_without_cases"]:
        return
    verb = tok.head
    failing = r.negated(verb) or any(t.lower_ in r.f["failure_words"] for t in verb.subtree if t.i > tok.i)
    subj = subject_of(verb) if verb.i != tok.i else None
    if failing and subj is not None:
        emit_use(r, needer_entities(r, subj), needed_entities(r, tok), "use_without", 0.85)


def made_without(r: Reader, tok):
    """'Fighter jets cannot be built without rare earths': what cannot be made without M needs it."""
    needed = [e for c in r.obliques(tok, tuple(r.f["made_without_cases"])) for e in needed_entities(r, c)]
    subj = subject_of(tok)
    if needed and subj is not None:
        emit_use(r, needer_entities(r, subj), needed, "use_made_without")


def mineral_for(r: Reader):
    """'dysprosium for magnets in EV motors': a mineral with a purpose phrase naming a known product."""
    for tok in r.parse.doc:
        m = r.mention(tok, ("Mineral",))
        if m is None or r.parse.article_end(tok) != m.end:
            continue
        needed = [m.entry]
        if m.entry.iri in r.ctx.gaz.categories:
            needed = predicated_minerals(r, tok) or needed  # 'cobalt is a critical mineral for Y'
        for c in tok.children:
            if c.dep_ == "nmod" and r.case_of(c) == "for":
                needers = [(e, t) for e, t in needer_entities(r, c) if not e.new]
                emit_use(r, needers, needed, "use_mineral_for", 0.85)


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


def demand_share_use(ctx, sent):
    """'Batteries account for 80% of lithium demand', 'steelmaking consumes 90% of the manganese produced':
    an end use taking a share of a mineral's demand needs it. Read by word order, because parses of
    plural subjects with these verbs are unreliable."""
    f, doc = frames(), ctx.doc
    words = [t.lower_ for t in doc[sent.start:sent.end]]
    for m in sent.mentions:
        if m.entry.type not in ("Product", "Industry", "Technology"):
            continue
        k = m.end - sent.start
        verb = next((v for v in f["demand_share_verbs"] if words[k:k + len(v.split())] == v.split()), None)
        if verb is None:
            continue
        j = k + len(verb.split())
        window = words[j:j + 10]
        if not any(w in f["percent_words"] or w in f["share_quantity_words"] for w in window[:5]) or "of" not in window:
            continue
        for n in sent.mentions:
            if n.entry.type == "Mineral" and sent.start + j < n.start <= sent.start + j + 9:
                after = words[n.end - sent.start:n.end - sent.start + 2]
                if set(after) & f["demand_words"] or verb.startswith("consum"):
                    add_draft(ctx, "depends_on", m.entry, n.entry, {}, sent, "use_demand_share",
                              RULE_CONFIDENCE["depends_on"])
                break
