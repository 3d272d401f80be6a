"""Dependencies: what needs a mineral or material.

"X is (heavily) dependent on M", "M, which are essential for <list>", "M, a vital mineral in X",
"M is used in <list>", "M is a key ingredient in X", "demand for M ... industries such as <list>",
"the two chipmaking metals".
"""

from __future__ import annotations

from graph.extract.gazetteer import Entry
from graph.extract.linking import new_entry
from graph.extract.model import Mention
from graph.extract.rulekit import RULE_CONFIDENCE, words_of, has_seq, add_draft, negated
from graph.extract.phrases import np_segments, phrase_entity, np_list_entities


def _minerals_in(sent, start, end):
    return [m for m in sent.mentions if m.entry.type in ("Mineral", "Material") and start <= m.start < end]


def _ellipsis(ctx, sent, minerals):
    """'medium and heavy rare earths' → medium rare earths too."""
    doc, gaz = ctx.doc, ctx.gaz
    out = list(minerals)
    for m in minerals:
        words = m.text.split()
        if len(words) < 2:
            continue
        p = m.start - 1
        if p - 1 >= sent.start and doc[p].lower_ in ("and", "or", ","):
            adj = doc[p - 1].lower_
            hits = gaz.lookup(" ".join([adj] + words[1:]), ("Mineral",))
            if len(hits) == 1 and all(o.entry.iri != hits[0].iri for o in out):
                out.append(Mention(p - 1, m.end, hits[0], "ellipsis", 0.8, text=f"{adj} {' '.join(words[1:])}"))
    return out


def dependencies(ctx):
    """Every depends_on phrasing (`PHRASINGS`, in this order) on every sentence."""
    for sent in ctx.analysis.sentences:
        words = words_of(ctx, sent)
        for phrasing in PHRASINGS:
            phrasing(ctx, sent, words)


def _dependent_on(ctx, sent, words):
    """"X (is) (heavily) dependent on M": every item of the subject list needs M."""
    lex = ctx.lex
    n = len(words)
    depend = ctx.wordset("depend_words")
    industry_nouns = ctx.wordset("industry_nouns")
    for k, w in enumerate(words):
        if w not in depend:
            continue
        j = k + 1
        while j < n and words[j] in ("on", "upon", "of", "heavily", "largely", "the"):
            j += 1
        mins = _minerals_in(sent, sent.start + k, sent.end)
        mins = [m for m in mins if m.start - sent.start <= j + 6]
        if not mins or negated(words, k, lex):
            continue
        for subj in _dependent_subjects(ctx, sent, sent.start + k, industry_nouns):
            for m in _ellipsis(ctx, sent, mins):
                add_draft(ctx, "depends_on", subj, m.entry, {}, sent, "depends_on_dependent",
                          RULE_CONFIDENCE["depends_on"])


def _used_in(ctx, sent, words):
    """"M is/are (widely) used in X", "M are essential for X", "M is a key ingredient in X"."""
    n = len(words)
    need_adj = ctx.wordset("need_adjectives")
    need_noun = ctx.wordset("need_nouns")
    use_verbs = ctx.wordset("use_verbs")
    for k in range(1, n - 2):
        if words[k] not in ("is", "are", "was", "were"):
            continue
        mins = _list_before(ctx, sent, sent.start + k)
        if not mins:
            continue
        j = k + 1
        while j < n and words[j] in ("widely", "mainly", "mostly", "commonly", "also", "often", "primarily", "largely", "being"):
            j += 1
        if j < n and words[j] in ("a", "an", "the"):
            # "M is a key ingredient in X"
            j2 = j + 1
            while j2 < n and words[j2] not in need_noun and j2 - j <= 3:
                j2 += 1
            if j2 < n and words[j2].rstrip("s") in need_noun and j2 + 1 < n and words[j2 + 1] in ("in", "for", "of"):
                if any(words[x] in need_adj for x in range(j + 1, j2)) or words[j2] in ctx.lex["need_nouns_alone"]:
                    j = j2
                else:
                    continue
            else:
                continue
        elif j >= n or words[j] not in use_verbs:
            continue
        elif j + 2 < n and words[j + 1].rstrip("s") in need_noun and words[j + 2] in ("in", "for", "to", "of"):
            j += 1  # "M are key minerals for X"
        j += 1
        if j < n and words[j] in ("in", "for", "by", "of"):
            j += 1
        elif j + 1 < n and words[j] == "to" and words[j + 1] in ("make", "produce", "manufacture", "build"):
            j += 2
        elif j < n and words[j] == "to" and words[j - 1] != "used":
            j += 1
        else:
            continue
        maker = _made_with_subject(ctx, sent, mins[0].start)
        if maker is not None:
            for m in _ellipsis(ctx, sent, mins):
                add_draft(ctx, "depends_on", maker, m.entry, {}, sent, "depends_on_made_with",
                          RULE_CONFIDENCE["depends_on"])
            continue
        for ent in _needing_items(ctx, sent.start + j, sent.end):
            if ent.type in ("Country", "Mineral"):
                continue
            for m in mins:
                add_draft(ctx, "depends_on", ent, m.entry, {}, sent, "depends_on_used_in",
                          RULE_CONFIDENCE["depends_on"])


def _needed_for(ctx, sent, words):
    """"Carmakers need cobalt for batteries": what the mineral is needed for (else who needs it)."""
    lex = ctx.lex
    n = len(words)
    need_verbs = ctx.wordset("need_verbs")
    industry_nouns = ctx.wordset("industry_nouns")
    starting = None
    for k in range(n - 3):
        if words[k] not in need_verbs:
            continue
        if starting is None:
            starting = {m.start: m for m in sent.mentions if m.entry.type in ("Mineral", "Material")}
        q = k + 1
        while q < n and words[q] in ("the", "more", "large", "lots", "of", "a", "lot", "much", "plenty"):
            q += 1
        mins = []
        while q < n:
            m = starting.get(sent.start + q)
            if m is None:
                break
            mins.append(m)
            q = m.end - sent.start
            if q < n and words[q] in (",", "and", "or"):
                q += 1
                if q < n and words[q] in ("and", "or"):
                    q += 1
        if not mins or negated(words, k, lex):
            continue
        if q < n and words[q] == "for":
            for ent in _needing_items(ctx, sent.start + q + 1, sent.end):
                if ent.type in ("Country", "Mineral"):
                    continue
                for m in mins:
                    add_draft(ctx, "depends_on", ent, m.entry, {}, sent, "depends_on_need_for",
                              RULE_CONFIDENCE["depends_on"])
        else:
            for subj in _dependent_subjects(ctx, sent, sent.start + k, industry_nouns):
                for m in mins:
                    add_draft(ctx, "depends_on", subj, m.entry, {}, sent, "depends_on_need",
                              RULE_CONFIDENCE["depends_on"])


def _apposition(ctx, sent, words):
    """"M, which are essential for X", "M, a vital mineral in X", "M, used in X"."""
    n = len(words)
    need_adj = ctx.wordset("need_adjectives")
    need_noun = ctx.wordset("need_nouns")
    for k in range(n - 2):
        if words[k] != ",":
            continue
        mins = ctx.ending_at(sent.start + k, ("Mineral", "Material"))
        if not mins:
            continue
        j = k + 1
        if words[j] in ("which", "that"):
            j += 1
            while j < n and words[j] in ("are", "is", "were", "was", "remain", "remains", "also", "all", "both", "widely", "mainly", "commonly"):
                j += 1
        elif words[j] in ("a", "an", "the", "key", "vital"):
            j2 = j + 1
            while j2 < n and words[j2] not in need_noun and j2 - j < 4:
                j2 += 1
            if j2 >= n or words[j2] not in need_noun:
                continue
            if not any(words[x] in need_adj for x in range(j, j2)):
                continue
            j = j2 + 1
        if j >= n or words[j] not in need_adj:
            if not (j < n and words[j] in ("in", "for", "to", "of")):
                continue
        else:
            j += 1
        while j < n and words[j] in ("in", "for", "to", "of", "make", "making", "produce", "producing"):
            j += 1
        group = _list_before(ctx, sent, sent.start + k)
        maker = _made_with_subject(ctx, sent, group[0].start) if group else None
        if maker is not None:
            for m in _ellipsis(ctx, sent, group):
                add_draft(ctx, "depends_on", maker, m.entry, {}, sent, "depends_on_made_with",
                          RULE_CONFIDENCE["depends_on"])
            continue
        for ent in _needing_items(ctx, sent.start + j, sent.end):
            if ent.type in ("Country", "Mineral"):
                continue
            for m in _ellipsis(ctx, sent, group):
                add_draft(ctx, "depends_on", ent, m.entry, {}, sent, "depends_on_need", RULE_CONFIDENCE["depends_on"])


def _demand_for(ctx, sent, words):
    """"demand for M ... industries such as X"."""
    lex = ctx.lex
    n = len(words)
    for marker in lex["demand_markers"]:
        for k in range(n):
            if not has_seq(words, marker, k):
                continue
            dem_start = sent.start + k + len(marker)
            segs = np_segments(ctx, dem_start, sent.end)
            dem_end = segs[-1][1] if segs else dem_start
            mins = _ellipsis(ctx, sent, _minerals_in(sent, dem_start, dem_end + 1))
            if not mins:
                continue
            for ex in lex["example_markers"]:
                for q in range(n):
                    if not has_seq(words, ex, q) or q == 0:
                        continue
                    if words[q - 1] not in ("industries", "sectors", "applications", "uses", "products", "technologies",
                                            "fields", "areas") and not (q >= 2 and words[q - 2] in ("industries", "sectors")):
                        continue
                    for ent in np_list_entities(ctx, sent.start + q + len(ex), sent.end):
                        if ent.type in ("Country", "Mineral"):
                            continue
                        for m in mins:
                            add_draft(ctx, "depends_on", ent, m.entry, {}, sent, "depends_on_demand",
                                      RULE_CONFIDENCE["depends_on"] * 0.9)


def _making_metals(ctx, sent, words):
    """"the two chipmaking metals", "battery metals": the product named in the descriptor needs the minerals before."""
    lex = ctx.lex
    n = len(words)
    metal_nouns = ctx.wordset("metal_nouns")
    for k in range(n - 1):
        w = words[k]
        if words[k + 1] not in metal_nouns or not w.endswith(lex["making_suffix"]) or len(w) <= 8:
            continue
        stem = w[: -len(lex["making_suffix"])]
        hits = ctx.gaz.lookup(stem, ("Product", "Technology", "Industry", "Material"))
        if len(hits) != 1:
            continue
        for m in sent.mentions:
            if m.entry.type == "Mineral" and m.start < sent.start + k:
                add_draft(ctx, "depends_on", hits[0], m.entry, {}, sent, "depends_on_making",
                          RULE_CONFIDENCE["depends_on"] * 0.9)


PHRASINGS = (_dependent_on, _used_in, _needed_for, _apposition, _demand_for, _making_metals)
"""The depends_on phrasings, in the order they run on a sentence (the first statement of a fact wins)."""


def _needing_items(ctx, start: int, end: int) -> list[Entry]:
    """The items of a 'used in' list without their purpose phrases: 'batteries for phones and cars, as well
    as in alloys for engines' names batteries and alloys (what is made with the mineral), not phones or engines."""
    doc = ctx.doc
    purpose = set(ctx.lex["purpose_preps"])
    end = min(end, start + 60)  # a list of what needs a mineral is short; keeps long sentences linear
    ranges = []
    s = start
    i = start
    while i < end:
        if doc[i].lower_ in purpose and i > s and not doc[i - 1].is_punct:
            ranges.append((s, i))
            s = None
            j = i + 1
            while j < end and doc[j].text not in (";", ":") and doc[j].lower_ not in ctx.lex["np_stop_words"]:
                if doc[j].lower_ == "as" and j + 2 < end and doc[j + 1].lower_ == "well" and doc[j + 2].lower_ == "as":
                    s = j + 3
                    if s < end and doc[s].lower_ in ("in", "for", "by", "to", "of"):
                        s += 1
                    break
                j += 1
            if s is None:
                break
            i = s
            continue
        i += 1
    if s is not None and s < end:
        ranges.append((s, end))
    out = []
    for a, b in ranges:
        for ent in np_list_entities(ctx, a, b, keep_modifiers=True):
            if all(ent.iri != o.iri for o in out):
                out.append(ent)
    return out


def _made_with_subject(ctx, sent, first: int) -> Entry | None:
    """'Magnets made with M are essential for X': the magnets need M; X needs the magnets, not M directly."""
    doc = ctx.doc
    p = first - 1
    if p - 1 < sent.start:
        return None
    w, prev = doc[p].lower_, doc[p - 1].lower_
    if w in ("with", "from", "using") and prev in ctx.lex["make_participles"]:
        head_end = p - 1
    elif w in ctx.lex["contain_words"]:
        head_end = p
    else:
        return None
    if head_end <= sent.start:
        return None
    m = next(iter(ctx.ending_at(head_end, ("Product", "Material", "Technology", "Industry"))), None)
    if m is not None:
        return m.entry
    s = head_end
    while s - 1 >= sent.start and doc[s - 1].is_alpha and doc[s - 1].lower_ not in ("the", "a", "an", "its", "their") \
            and doc[s - 1].lower_ not in ctx.lex["np_stop_words"] and head_end - s < 4:
        s -= 1
    return phrase_entity(ctx, s, head_end) if s < head_end else None


def _list_before(ctx, sent, comma: int):
    """The minerals of the coordinated list that ends at token `comma` ('lithium, manganese and cobalt,')."""
    doc = ctx.doc
    out = []
    i = comma
    while i > sent.start:
        m = next(iter(ctx.ending_at(i, ("Mineral", "Material"))), None)
        if m is None:
            break
        out.append(m)
        i = m.start
        if i - 1 >= sent.start and doc[i - 1].lower_ in (",", "and", "or"):
            i -= 1
            if i - 1 >= sent.start and doc[i - 1].text == "," and doc[i].lower_ == "and":
                i -= 1
        else:
            break
    return list(reversed(out))


def _dependent_subject(ctx, sent, k: int, industry_nouns) -> Entry | None:
    """What is dependent: 'Japan's industry' → Japanese industry; 'the battery industry' → batteries."""
    doc = ctx.doc
    i = k - 1
    while i >= sent.start and doc[i].lower_ in ("is", "are", "was", "were", "very", "much", "heavily", "highly",
                                                "largely", "increasingly", "remain", "remains", "so", "still", "also"):
        i -= 1
    if i < sent.start:
        return None
    head = doc[i]
    if head.lower_ in ctx.lex["maker_nouns"] and i - 1 >= sent.start:
        # "chip makers depend on gallium": the makers' product needs it
        m = next(iter(ctx.ending_at(i, ("Product", "Technology", "Industry", "Material"))), None)
        if m is not None and m.start >= sent.start:
            return m.entry
    if head.lower_ in industry_nouns:
        p = i - 1
        if p >= sent.start and doc[p].text in ("'s", "’s"):
            p -= 1
        country = next(iter(ctx.ending_at(p + 1, ("Country",))), None)
        if country is not None:
            demonym = ctx.gaz.demonym(country.entry.iri) or country.entry.label
            label = f"{demonym} {head.lower_}"
            return new_entry("industry", label, "Industry", "Industry")
        start = p + 1
        while start - 1 >= sent.start and doc[start - 1].is_alpha and doc[start - 1].lower_ not in ("the", "a", "an", "its") \
                and doc[start - 1].lower_ not in ctx.lex["np_stop_words"] and start > i - 3:
            start -= 1
        return phrase_entity(ctx, start, i + 1)
    m = next(iter(ctx.ending_at(i + 1, ("Product", "Technology", "Industry"))), None)
    return m.entry if m else None


def _dependent_subjects(ctx, sent, k: int, industry_nouns) -> list[Entry]:
    """'Electric vehicles and wind turbines are dependent on ...': every item of the subject list."""
    first = _dependent_subject(ctx, sent, k, industry_nouns)
    if first is None:
        return []
    out = [first]
    doc = ctx.doc
    m = next((m for m in reversed(sent.mentions) if m.entry.iri == first.iri and m.end <= k), None)
    while m is not None:
        p = m.start - 1
        if p < sent.start or doc[p].lower_ not in ("and", "or", ","):
            break
        if doc[p].lower_ == "and" and p - 1 >= sent.start and doc[p - 1].text == ",":
            p -= 1
        m = next(iter(ctx.ending_at(p, ("Product", "Technology", "Industry"))), None)
        if m is not None and any(o.iri == m.entry.iri for o in out):
            break
        if m is not None:
            out.append(m.entry)
    return out
