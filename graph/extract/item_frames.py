"""Items the policy and share rules cannot name alone: controls on technologies ("technology to
extract and separate X" → X extraction technology, X separation technology), named classes of goods
("exports of all raw minerals"), shares coordinated with a share already read, and minerals named only
inside a product's name (neither a mention nor a controlled item).
"""

from __future__ import annotations

import re

from graph.extract.arguments import antecedents
from graph.extract.linking import new_entry
from graph.extract.quantities import find_percents
from graph.extract.rulekit import RULE_CONFIDENCE, add_draft, sentence_dates
from graph.extract.treekit import (NOUN_TAGS, Reader, conjuncts, coordinated_verbs, next_noun, noun_span, objects,
                                   singular_phrase)


def technology_labels(r: Reader, tok) -> list[tuple[str, set]]:
    """Names of the technologies a 'technology' noun lists, with the tokens they were read from:
    'technology to make X and Y' → X technology, Y technology; 'technology to extract and separate
    X' → X extraction technology, X separation technology; 'production technology for X' → X
    production technology."""
    f = r.f
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    targets = [c for c in tok.children if c.dep_ in ("nmod", "obl") and r.case_of(c) == "for"]
    if mods and not targets and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "for":
        after = next_noun(tok.doc, tok.i + 1)  # 'production technology for X' with X hung elsewhere
        targets = [after] if after is not None else []
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
    verbs = coordinated_verbs(doc, k) if k > tok.i + 1 else []
    if not verbs or verbs[0].lower_ not in f["make_verbs"] | set(f["process_verbs"]):
        return named_technology(r, tok, mods)
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


def named_technology(r: Reader, tok, mods) -> list[tuple[str, set]]:
    """'lithium battery technology', 'magnet technology': a named product or material before the noun."""
    if not any(c.dep_ == "compound" and r.mention(c, ("Product", "Material")) for c in mods):
        return []
    left = min(x.i for c in mods for x in c.subtree)
    return [(singular_phrase(r, tok), set(range(left, tok.i + 1)))]


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
    controls = r.ctx.drafts.of(r.sent, "export_control")
    near = controls or r.ctx.drafts.near(r.sent.index - 1, 1, "export_control")
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
        state_ends = {c.end for c in r.sent.mentions if c.entry.type == "Country"}
        keep_outside = {m.entry.iri for m in r.sent.mentions if not any(i in inside for i in range(m.start, m.end))
                        and not in_state_apposition(r.ctx, r.sent, m, state_ends)}
        r.ctx.drafts[:] = [d for d in r.ctx.drafts if not (
            d.relation == "export_control" and d.sentence is r.sent and d.rule != "export_control_technology"
            and d.object.iri not in keep_outside)]


def in_state_apposition(ctx, sent, m, state_ends: set) -> bool:
    """'China, the largest refiner of rare earths worldwide, prohibited ...': a mention inside a description set
    off after a state (`state_ends`: where the sentence's states end) describes the state; it is no item
    of the state's measure."""
    doc, k = ctx.doc, m.start - 1
    while k > sent.start and doc[k].text != "," and m.start - k <= 10:
        k -= 1
    if k <= sent.start or doc[k].text != "," or doc[k + 1].lower_ not in ("the", "a", "an", "which", "whose"):
        return False
    if k not in state_ends:
        return False
    return any(doc[j].text == "," for j in range(m.end, min(sent.end, m.end + 6)))


def control_items(r: Reader):
    """Items of a control that the gazetteer does not name: 'a ban on shipments of unrefined metals and
    cobalt ore' also controls the class 'unrefined metals'. Only where a control rule already read this
    sentence: its issuer and qualifiers carry over."""
    controls = r.ctx.drafts.of(r.sent, "export_control")
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
    shares = r.ctx.drafts.of(r.sent, "production_share")
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


def percent_for_shares(r: Reader):
    """'C holds most of the output and refining capacity: roughly 80 percent for M and
    about 70 percent for N': a percent 'for' a mineral, said of the state that holds the share, one
    fact per stage the phrase before it names."""
    if r.ctx.drafts.of(r.sent, "production_share"):
        return
    stages, percents = r.ctx.lex["stage_words"], find_percents(r.sent.text)
    for tok in r.parse.doc:
        if tok.lower_ not in r.f["percent_words"]:
            continue
        number = next((c for c in tok.children if c.dep_ == "nummod"), None)
        value = share_value(number.text) if number is not None else None
        minerals = [r.mention(t, ("Mineral",)) for c in r.obliques(tok, ("for",)) for t in conjuncts(c)]
        minerals = [m.entry for m in minerals if m is not None]
        if not minerals and tok.i + 2 < len(r.parse.doc) and r.parse.doc[tok.i + 1].lower_ == "for":
            m = r.mention(r.parse.doc[tok.i + 2], ("Mineral",))  # the parse hung it on the item before
            minerals = [m.entry] if m is not None else []
        holder = share_holder(r, tok)
        if value is None or not minerals or holder is None:
            continue
        verb, state = holder
        named = {stages[t.lower_] for t in r.parse.doc[verb.i + 1:tok.i] if t.lower_ in stages
                 and not t.lower_.startswith("_")}
        hedge = next((p.qualifier for p in percents if p.value == value), "=")
        for stage in sorted(named):
            for m in minerals:
                add_draft(r.ctx, "production_share", state, m, {"stage": stage, "share": value, "year": None,
                                                                 "qualifier": hedge},
                          r.sent, "production_share_for", RULE_CONFIDENCE["production_share"] * 0.9)


def share_holder(r: Reader, tok, steps: int = 6):
    """The verb above a share and the state said to hold it ('China controls ... 90 percent')."""
    t = tok
    for _ in range(steps):
        if t.head.i == t.i:
            break
        t = t.head
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is not None and t.lower_ in r.f["share_hold_verbs"]:
            m = r.mention(subj, ("Country", "Organization"))
            return (t, m.entry) if m is not None else None
    return None


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


def bind_dates(ctx) -> None:
    """'licences for tin and zinc from May, and for lead from July 3': where a
    sentence dates several items differently, each control takes the date written nearest its item."""
    by_sentence = {}
    for d in ctx.drafts:
        if d.relation == "export_control" and d.qualifiers.get("date"):
            by_sentence.setdefault(d.sentence.index, []).append(d)
    for drafts in by_sentence.values():
        sent = drafts[0].sentence
        dates = sentence_dates(ctx, sent)
        values = {x.value for x in dates}
        if len(values) < 2 or len({d.object.iri for d in drafts}) < 2 or \
                not all(d.qualifiers["date"] in values for d in drafts) or _one_list(ctx, sent, drafts):
            continue  # one item, or one list of items: the control's own date stands
        cuts = [0] + [m.start() for m in re.finditer(r";|,\s+(?:and|but|while)\b", sent.text)] + [len(sent.text)]
        for d in drafts:
            spots = [m.start_char - sent.start_char for m in sent.mentions if m.entry.iri == d.object.iri]
            if not spots:
                continue
            lo = max(c for c in cuts if c <= spots[0])
            hi = min(c for c in cuts if c > spots[0]) if any(c > spots[0] for c in cuts) else len(sent.text)
            own = [x for x in dates if lo <= x.start < hi]  # a date of its own clause ('...; in December it banned')
            if own:
                d.qualifiers["date"] = min(own, key=lambda x: min(abs(x.start - p) for p in spots)).value


def _one_list(ctx, sent, drafts) -> bool:
    """The controlled items are named as one list ('gallium, germanium and antimony')."""
    iris = {d.object.iri for d in drafts}
    spots = sorted((m.start, m.end) for m in sent.mentions if m.entry.iri in iris)
    if not spots:
        return False
    doc = ctx.doc
    for (_, end), (start, _) in zip(spots, spots[1:]):
        if any(doc[k].lower_ not in (",", "and", "or", "as", "well") for k in range(end, start)):
            return False
    return True


def appositive_items(ctx) -> None:
    """'exports of bauxite – the main ore of aluminium –': a mineral named only inside a description set
    off after an item is not itself an item of the control."""
    doc = ctx.doc
    described: dict[int, set] = {}
    for sent in ctx.analysis.sentences:
        items = [m for m in sent.mentions if m.entry.type in ("Mineral", "Material")]
        for m in items:
            k = m.start - 1
            while k > sent.start and doc[k].text not in (",", "–", "—", "-", "(") and k > m.start - 8:
                k -= 1
            if k <= sent.start or doc[k].text not in (",", "–", "—", "-", "(") or \
                    doc[k + 1].lower_ not in ("the", "a", "an") or not any(o.end == k for o in items):
                continue
            described.setdefault(sent.index, set()).add(m.start)
    for index, starts in described.items():
        sent = ctx.analysis.sentences[index]
        only_described = {m.entry.iri for m in sent.mentions if m.start in starts} - \
            {m.entry.iri for m in sent.mentions if m.start not in starts}
        ctx.drafts[:] = [d for d in ctx.drafts if not (d.relation == "export_control" and d.sentence is sent
                                                        and d.object.iri in only_described)]
