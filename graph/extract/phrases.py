"""Coordinated noun-phrase lists and what each item names.

"new super-strong magnets, transistors, batteries, as well as new chips and software" → one entity per
item: a gazetteer mention ending the phrase, a gazetteer label, or a new node when the head word is an
item noun (rules/lexicon.json "item_heads"). Shared modifiers are distributed ("cobalt ores,
refining technology and capacity" → cobalt refining technology, cobalt refining capacity).
"""

from __future__ import annotations

import re

from graph.extract.gazetteer import Entry
from graph.extract.linking import new_entry
from graph.extract.rulekit import PRODUCT_TYPES
from graph.extract.treekit import frames


def _strip_prefixes(words: list[str], prefixes: list[list[str]]) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        for p in prefixes:
            if len(words) > len(p) and [w.lower() for w in words[:len(p)]] == p:
                words = words[len(p):]
                changed = True
    return words


def np_segments(ctx, start: int, end: int) -> list[tuple[int, int]]:
    """Token spans of the items of a coordinated noun-phrase list starting at `start`."""
    doc, lex = ctx.doc, ctx.lex
    stop = set(lex["np_stop_words"])
    coordinators = [c.split() for c in lex["np_coordinators"]]
    single = {c[0] for c in coordinators if len(c) == 1}
    multi = [c for c in coordinators if len(c) > 1]
    segs, cur = [], start
    i = start
    while i < end:
        t = doc[i]
        w = t.lower_
        if w == "to" and any(doc[x].lower_ == "from" for x in range(start, i)):
            i += 1
            continue
        if t.is_punct and t.text not in (",", "-", "'s", "’s", "&", "/") or (w in stop and i > start):
            break
        if t.text == ",":
            nxt = doc[i + 1] if i + 1 < end else None
            nxt2 = doc[i + 2] if i + 2 < end else None
            verb_ing = nxt is not None and nxt.lower_.endswith("ing") and nxt2 is not None and \
                nxt2.lower_ in ("a", "an", "the", "its", "their", "his", "her", "up", "on", "to", "in")
            if nxt is not None and (nxt.lower_ in stop or (verb_ing and not _is_item_word(ctx, nxt.i))):
                segs.append((cur, i))
                cur = None
                break
            segs.append((cur, i))
            cur = i + 1
        elif w in single:
            segs.append((cur, i))
            cur = i + 1
        else:
            seq = next((q for q in multi if i + len(q) - 1 < end and all(doc[i + x].lower_ == q[x]
                                                                         for x in range(len(q)))), None)
            if seq is not None:  # "as well as", "along with"
                segs.append((cur, i))
                cur = i + len(seq)
                i += len(seq) - 1
        i += 1
    if cur is not None and cur < i:
        segs.append((cur, i))
    return [(s, e) for s, e in segs if s is not None and e > s]


def _is_item_word(ctx, i: int) -> bool:
    return i in ctx.item_tokens


def _split_examples(ctx, s: int, e: int) -> list[tuple[int, int, bool]]:
    """'industries such as X' → the general phrase (flagged) and X; 'from X to Y' → X, Y."""
    doc = ctx.doc
    words = [t.lower_ for t in doc[s:e]]
    for marker in (w.split() for w in ctx.lex["np_split_words"]):
        for k in range(len(words)):
            if words[k:k + len(marker)] == marker and k > 0:
                return [(s, s + k, True)] + [(a, b, f) for a, b, f in _split_examples(ctx, s + k + len(marker), e)]
    return [(s, e, False)]


def phrase_entity(ctx, s: int, e: int, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=False) -> Entry | None:
    """The entity a noun phrase names: a gazetteer mention ending it, a gazetteer label, or a new node.

    With `keep_modifiers`, 'solid-state batteries' stays a node of its own (not just 'batteries') when the
    gazetteer knows only the head: the text names the more specific thing."""
    doc, lex, gaz = ctx.doc, ctx.lex, ctx.gaz
    # "increasingly in battery cathodes", "in semiconductors": a list item that repeats its preposition
    while s < e - 1 and (doc[s].lower_ in ("in", "for", "into") or
                         (doc[s].lower_.endswith("ly") and doc[s + 1].lower_ in ("in", "for", "into"))):
        s += 1
    # "magnets in electric vehicle motors": the thing, not where it sits
    cut = next((x for x in range(s + 1, e - 1) if doc[x].lower_ in ("in", "inside", "within")), None)
    if cut is not None and keep_modifiers:
        return phrase_entity(ctx, s, cut, allow_new, types, keep_modifiers)
    if e - s >= 2 and doc[e - 1].lower_ in frames()["process_nouns"]:
        made = [m for m in ctx.ending_at(e - 1, types) if s <= m.start and m.entry.type != "Mineral"]
        if len(made) == 1:  # 'solar panel manufacturing': the thing made, not the activity
            return made[0].entry
    for m in ctx.ending_at(e, types):
        if s <= m.start:
            if keep_modifiers and m.start > s and m.entry.type in ("Product", "Material", "Technology"):
                specific = _with_modifiers(ctx, s, m)
                if specific is not None:
                    return specific
            return m.entry
    text = _drop_affixes(re.sub(r"\s*-\s*", "-", doc[s:e].text).strip(), lex)
    if not text:
        return None
    words = text.split()
    for k in range(len(words)):
        hits = gaz.lookup(" ".join(words[k:]), types)
        if len(hits) == 1:
            return hits[0]
    if words and words[-1].lower() in lex["stage_words"] and "Mineral" in types:
        # "rare earth processing", "lithium refining": the mineral named before the stage
        inner = [m for m in ctx.ending_at(e - 1, ("Mineral",)) if s <= m.start]
        if len(inner) == 1:
            return inner[0].entry
    if not allow_new:
        return None
    return _new_item(lex, words, text, keep_modifiers)


def _drop_affixes(text: str, lex) -> str:
    """Words that do not belong to a name ('the', 'new', 'such as'...; rules/lexicon.json np_drop_prefixes and
    np_drop_suffixes) cut from both ends until none is left."""
    low = text.lower()
    changed = True
    while changed:
        changed = False
        for prefix in sorted(lex["np_drop_prefixes"], key=len, reverse=True):
            if low.startswith(prefix + " ") and len(low) > len(prefix) + 1:
                text, low, changed = text[len(prefix) + 1:], low[len(prefix) + 1:], True
        for suffix in sorted(lex["np_drop_suffixes"], key=len, reverse=True):
            if low.endswith(" " + suffix):
                text, low, changed = text[: -len(suffix) - 1], low[: -len(suffix) - 1], True
    return text


def _new_item(lex, words: list[str], text: str, keep_modifiers: bool) -> Entry | None:
    """A new node for a phrase the gazetteer lacks, when its head word is an item noun (item_heads), or any
    short lower-case noun phrase where the syntax says a thing is meant (`keep_modifiers`)."""
    head = re.sub(r"[^a-z]", "", words[-1].lower())
    kind = lex["item_heads"].get(head)
    if kind is None and keep_modifiers and len(words) <= 4 and all(re.fullmatch(r"[a-z][a-z\-]*|[A-Z]{2,}s?", w)
                                                                   for w in words) \
            and head not in lex["generic_heads"] and not words[0].lower().endswith(("ing", "ed")) \
            and not any(w in lex["np_stop_words"] or w in ("the", "a", "an", "its", "their", "this", "that")
                        for w in words):
        kind = "product"  # where the syntax says a thing needs the mineral, an unknown noun phrase names a product
    if kind is None or not re.match(r"^[\w\s\-']+$", text) or len(words) > 5:
        return None
    if head in lex["generic_heads"] and len(words) == 1:
        return None
    label = " ".join(w if w.isupper() or re.fullmatch(r"[A-Z]{2,}s", w) else w.lower() for w in words)  # 'TVs
    cls = {"product": "Product", "technology": "Technology", "industry": "Industry", "material": "Material",
           "mineral": "MineralGroup"}[kind]
    view = {"MineralGroup": "Mineral"}.get(cls, cls)
    if cls == "MineralGroup" and not label.endswith("s"):
        label += "s"
    return new_entry(kind, label, cls, view)


def _with_modifiers(ctx, s: int, m) -> Entry | None:
    doc, lex = ctx.doc, ctx.lex
    stop = set(lex["np_stop_words"]) | {"the", "a", "an", "its", "their", "of", "our", "his", "her", "this", "that",
                                        "these", "those", "new", "other", "some", "many", "most", "all", "more"}
    k = s
    while k < m.start and doc[k].lower_ in stop:
        k += 1
    mods = doc[k:m.start]
    if not mods or len(mods) > 3 or any(not (t.is_alpha or t.text == "-") or not t.text.islower() and t.text != "-"
                                        or t.lower_ in stop or t.lower_ in lex["generic_heads"] for t in mods):
        return None
    if any(ctx.ending_at(t.i + 1, ("Country", "Mineral", "Organization")) for t in mods):
        return None
    label = re.sub(r"\s*-\s*", "-", doc[k:m.end].text).lower()
    hits = ctx.gaz.lookup(label, (m.entry.type,))
    if len(hits) == 1:
        return hits[0]
    kind = {"Product": "product", "Material": "material", "Technology": "technology"}[m.entry.type]
    return new_entry(kind, label, m.entry.cls, m.entry.type)


def np_list_entities(ctx, start: int, end: int, allow_new=True, types=PRODUCT_TYPES, keep_modifiers=False) -> list[Entry]:
    out, minted = [], []
    generic = set(ctx.lex["generic_heads"])
    for s, e in np_segments(ctx, start, end):
        for a, b, general in _split_examples(ctx, s, e):
            if b <= a:
                continue
            last = ctx.doc[b - 1].lower_
            if general and (last in generic or any(ctx.doc[x].lower_ in generic for x in range(a, b))):
                continue
            ent = phrase_entity(ctx, a, b, allow_new, types, keep_modifiers)
            if ent is not None and ent.new and out:
                ent = _shared_modifiers(ctx, ent, out, minted)
            if ent is not None and ent.new:
                minted.append(ent)
            if ent is not None and all(ent.iri != o.iri for o in out):
                out.append(ent)
    return out


def _shared_modifiers(ctx, ent: Entry, before: list[Entry], minted: list[Entry]) -> Entry:
    """Ellipsis in lists: 'cobalt ores, refining technology and capacity' names cobalt refining
    technology and cobalt refining capacity."""
    words = ent.label.split()
    if len(words) == 1 and minted and len(minted[-1].label.split()) >= 2:
        prev = minted[-1].label.split()
        words = prev[:-1] + words
        for w in (before[0].label.split() if before[0].type == "Mineral" else []):
            if words[:1] == [w]:
                words = words[1:]
    first = before[0]
    if first.type == "Mineral" and not first.new and first.iri not in ctx.gaz.categories \
            and words[-1] in ctx.lex["mineral_modified_heads"]:
        modifier = _short_label(first.label)
        adjacent = before[-1].iri == first.iri or before[-1].label.startswith(modifier + " ")
        if adjacent and not " ".join(words).startswith(modifier):
            words = modifier.split() + words
    label = " ".join(words)
    if label == ent.label:
        return ent
    return known_or_new(ctx, [label], ent.kind, ent.cls)


def _short_label(label: str) -> str:
    """'rare earth elements' → 'rare earth'; 'lithium' → 'lithium' (a mineral as a modifier)."""
    words = label.split()
    if len(words) > 1 and words[-1] in ("elements", "metals", "minerals"):
        words = words[:-1]
    return " ".join(words)


def known_or_new(ctx, labels: list[str], kind: str, cls: str) -> Entry:
    """The first of `labels` the gazetteer knows (one entity only), else a new node named by the first."""
    for label in labels:
        hits = ctx.gaz.lookup(label, (cls,))
        if len(hits) == 1:
            return hits[0]
    return new_entry(kind, labels[0], cls, {"MineralGroup": "Mineral"}.get(cls, cls))
