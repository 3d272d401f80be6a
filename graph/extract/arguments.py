"""What a frame's arguments name: the things that need a mineral (products, technologies, industries,
actors standing for their industry, lists and examples) and the minerals they need (named, or stood
for by a pronoun or descriptor: "it", "these metals", "the two chipmaking metals").
"""

from __future__ import annotations

from graph.extract.linking import new_entry
from graph.extract.phrases import np_list_entities, phrase_entity
from graph.extract.rulekit import PRODUCT_TYPES
from graph.extract.treekit import (AGENT_TYPES, NEEDED_TYPES, NEEDER_TYPES, NOUN_TAGS, Reader, apposed_token,
                                   conjuncts, examples, joined, noun_span, relative_antecedent)


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
        if t.lower_ in r.f["quantity_nouns"] or t.lower_ in r.f["quantifiers"]:
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
        shared = shared_head_items(r, t)
        if shared:
            out.extend((e, t) for e in shared if all(e.iri != o.iri for o, _ in out))
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


def shared_head_items(r: Reader, tok) -> list:
    """'electric and hybrid vehicles', 'RF, microwave and high-speed digital circuits': modifiers
    coordinated before one head name one item each ('hybrid vehicles'); the last keeps the words
    between it and the head."""
    first = next((c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i
                  and any(g.dep_ == "conj" and g.i < tok.i for g in c.children)), None)
    whole = needer_entity(r, tok) if first is not None else None
    if whole is None:
        return []
    doc, parts = r.ctx.doc, [x for x in conjuncts(first) if x.i < tok.i]
    head = [t.text for t in doc[r.parse.article_index(tok):r.parse.article_end(tok)]]
    out = []
    for k, x in enumerate(parts):
        left = min([x.i] + [g.i for c in x.children if c.dep_ in ("compound", "amod") and c.i < x.i for g in c.subtree])
        right = tok.i if k == len(parts) - 1 else x.i + 1
        words = [t.text for p in r.parse.doc[left:right] for t in doc[r.parse.article_index(p):r.parse.article_end(p)]]
        label = joined([w if w.isupper() else w.lower() for w in words + head])
        if any(not w.replace("-", "").isalnum() for w in label.split()):
            return []
        hits = r.ctx.gaz.lookup(label, PRODUCT_TYPES)
        out.append(hits[0] if len({h.iri for h in hits}) == 1 else
                   new_entry(whole.kind, label, whole.cls, whole.type))
    return out


def list_tail(r: Reader, last) -> list:
    """Items of a list the parse cut short ('in ammunition, infrared missiles and nuclear weapons' with
    the last two hung elsewhere), read by word order after the last item the tree gave; only names the
    gazetteer knows or that end in an item noun."""
    doc, end = r.ctx.doc, r.parse.article_end(last)
    if end >= r.sent.end or doc[end].lower_ not in (",", "and", "or"):
        return []
    start = end + 1 if doc[end].lower_ != "," or end + 1 >= r.sent.end or doc[end + 1].lower_ not in ("and", "or") \
        else end + 2
    if [t.lower_ for t in doc[start:start + 3]] == ["as", "well", "as"]:
        start += 3
    first = r.parse_token(start)
    if first is None or first.tag_ not in NOUN_TAGS + ("JJ", "DT", "CD", "VBG", "VBN"):
        return []  # ', which cut emissions ...': a clause, not the next item
    found = np_list_entities(r.ctx, start, r.sent.end, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=True)
    heads = r.ctx.lex["item_heads"]
    return [e for e in found if e.type in NEEDER_TYPES and (not e.new or e.label.split()[-1].lower() in heads)]


def needer_entity(r: Reader, tok):
    if tok.tag_ not in NOUN_TAGS and tok.tag_ not in ("VBG", "JJ"):
        return None
    m = r.mention(tok, PRODUCT_TYPES)
    if m is not None:
        s, e = noun_span(r, tok)
        if s < m.start and m.end == e and not _gerund_first(r, tok, s):
            ent = phrase_entity(r.ctx, s, e, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=True)
            if ent is not None and ent.type in NEEDER_TYPES:
                return ent
        return m.entry if m.entry.type in NEEDER_TYPES else None
    if r.mention(tok, AGENT_TYPES + ("Person",)) is not None:
        return None
    if tok.lower_ in r.ctx.lex["generic_heads"]:  # 'renewable energy sources': the named modifier
        inner = [r.mention(c, NEEDER_TYPES) for c in tok.children if c.dep_ == "compound"]
        inner = [m.entry for m in inner if m is not None]
        if inner:
            return inner[0]
    if tok.lower_ in r.f["not_needers"] or tok.lower_ in r.f["amount_nouns"]:
        return None
    if tok.lower_ in r.f["maker_nouns"]:
        kinds = ("Product", "Industry", "Technology")
        before = [r.mention(c, NEEDER_TYPES) for c in tok.subtree if c.i < tok.i]
        of = [r.mention(c, NEEDER_TYPES) for c in tok.children if c.dep_ == "nmod" and r.case_of(c) == "of"]
        made = [m.entry for m in before if m is not None and m.entry.type in kinds] or \
            [m.entry for m in of if m is not None and m.entry.type in kinds]
        return made[-1] if made else None  # "solar panel makers", "makers of solar panels" need what the panels need
    s, e = noun_span(r, tok)
    ent = phrase_entity(r.ctx, s, e, allow_new=tok.tag_ in ("NNS", "NN"), types=PRODUCT_TYPES, keep_modifiers=True)
    if ent is None and tok.lower_ in r.f["classed_product_heads"] and e - s >= 2:
        ent = classed_product(r, s, e)
    return ent if ent is not None and ent.type in NEEDER_TYPES else None


def _gerund_first(r: Reader, tok, start: int) -> bool:
    """'(required for) cooling MRI scanners': a verb's -ing form opening the phrase of a named item is what
    is done to it, not part of its name."""
    return any(c.dep_ in ("amod", "compound") and c.tag_ == "VBG" and r.parse.article_index(c) == start
               for c in tok.children)


def classed_product(r: Reader, s: int, e: int):
    """'high-tech products', 'consumer goods': a general head made specific by its modifier."""
    words = [t.lower_ for t in r.ctx.doc[s:e]]
    drop = set(r.ctx.lex["np_drop_prefixes"]) | r.f["trade_nouns"]  # 'to export products': no product class
    while words and words[0] in drop:
        words = words[1:]
    label = joined(words)
    if len(label.split()) < 2 or not all(w.replace("-", "").isalpha() for w in label.split()):
        return None
    hits = r.ctx.gaz.lookup(label, PRODUCT_TYPES)
    return hits[0] if len(hits) == 1 else new_entry("product", label, "Product", "Product")


def needed_entities(r: Reader, tok) -> list:
    """Minerals (or materials) an argument names: the mention itself, its conjuncts, or what a
    pronoun or descriptor stands for."""
    out = []
    tok = named_antecedent(r, tok) or tok
    for t in conjuncts(tok):
        m = r.mention(t, NEEDED_TYPES)
        if m is not None and m.entry.iri in r.ctx.gaz.categories:
            said_of = predicated_minerals(r, t)
            if said_of:  # 'cobalt remains a critical raw material for Y': cobalt, not the class
                out.extend(said_of)
                continue
        if m is not None and m.entry.iri in r.ctx.gaz.categories and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in t.children):
            found = antecedents(r, t, t.lower_.endswith("s"), None, categories=False)
            if found:  # 'the critical mineral is used in ...': a descriptor, not the class
                out.extend(found)
                continue
        if m is not None:
            out.append(m.entry)
            out.extend(x.entry for x in (r.mention(e, NEEDED_TYPES) for e in examples(r, t)) if x is not None)
            continue  # 'heavy rare earths such as dysprosium and terbium': the class and its items
        inner = [c for c in t.children if c.dep_ in ("compound", "appos", "flat") and r.mention(c, ("Mineral",))]
        if inner and (t.lower_ in r.f["descriptor_heads"] or t.lower_ in r.f["mineral_form_nouns"]):
            out.extend(r.mention(c, ("Mineral",)).entry for c in inner)
            continue
        if t.lower_ in r.f["percent_words"] | r.f["quantifiers"] | r.f["share_nouns"] | r.f["amount_nouns"]:
            inner = [c for c in t.children if c.dep_ == "nmod" and r.case_of(c) == "of"]
            if inner:  # '51% of cobalt is used in Y', 'most of the tungsten goes into Y', '80 kg of copper'
                out.extend(needed_entities(r, inner[0]))
                continue
        found = resolve_descriptor(r, t) or climb_to_mineral(r, t)
        out.extend(found)
    seen, uniq = set(), []
    for e in out:
        if e.iri not in seen:
            seen.add(e.iri)
            uniq.append(e)
    return uniq


def named_antecedent(r: Reader, tok, types=NEEDED_TYPES):
    """'tungsten, which is critical for Y' when the parse hangs the clause elsewhere: the named item right
    before 'which' (read by word order)."""
    if tok.tag_ != "WDT" or tok.lower_ not in ("which", "that"):
        return None
    before = relative_antecedent(tok, first_item=False)
    return before if before is not None and r.mention(before, types) is not None else None


def predicated_minerals(r: Reader, tok) -> list:
    """The named minerals a class noun is said of: 'cobalt is / remains a critical mineral'."""
    if tok.dep_ in ("obj", "xcomp") and tok.head.lower_ in r.f["copulas"] | r.f["copula_likes"]:
        holder = tok.head
    elif any(c.dep_ == "cop" for c in tok.children):
        holder = tok
    else:
        return []
    subj = next((c for c in holder.children if c.dep_ == "nsubj"), None)
    found = [r.mention(t, ("Mineral",)) for t in conjuncts(subj)] if subj is not None else []
    return [m.entry for m in found if m is not None and m.entry.iri not in r.ctx.gaz.categories]


def climb_to_mineral(r: Reader, tok, steps: int = 3) -> list:
    """'rare earths, a family of elements found in Y', 'M is an additive used by Y': a descriptor or role
    noun in apposition to (or predicated of) a mineral stands for it."""
    t = tok
    for _ in range(steps):
        if t.lower_ not in r.f["descriptor_heads"] | r.f["group_nouns"] | r.f["role_nouns"]:
            return []
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
        if subj is not None:
            m = r.mention(subj, NEEDED_TYPES)
            return [m.entry] if m is not None else []
        apposed = apposed_mineral(r, t)
        if apposed:
            return apposed
        if t.dep_ in ("appos", "parataxis", "nmod", "conj") and t.head.i != t.i:
            m = r.mention(t.head, NEEDED_TYPES)
            if m is not None:
                return [m.entry]
            t = t.head
            continue
        return []
    return []


def apposed_mineral(r: Reader, tok) -> list:
    """'M, a vital mineral in Y' read by position when the parse misses the apposition."""
    t = apposed_token(r, tok, NEEDED_TYPES)
    return [r.mention(t, NEEDED_TYPES).entry] if t is not None else []


def copula_subject(r: Reader, tok) -> list:
    """'Tin and silver are key metals for Y' read by position: the minerals listed right before the
    copula of a descriptor noun, when the parse misses the subject."""
    if tok.lower_ not in r.f["descriptor_heads"] | r.f["role_nouns"]:
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
