"""Production shares: "<state> accounts for / controls / refines N% of (global) <mineral> <stage>",
and "N% of the world's <mineral> comes from <state>"."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from graph.extract.model import Mention
from graph.extract.quantities import find_percents
from graph.extract.rulekit import (
    RULE_CONFIDENCE,
    words_of,
    has_seq,
    countries,
    eligible_issuers,
    add_draft,
    fallback_issuer,
    sentence_dates,
)


def named_stage(stages: dict, words, other_than_mining: bool = False) -> str | None:
    """The stage words name: a stage other than mining first ('refined', 'processing'), else mining
    (unless `other_than_mining`), else None."""
    words = list(words)
    found = next((stages[w] for w in words if w in stages and stages[w] != "mining"), None)
    if found or other_than_mining:
        return found
    return next((stages[w] for w in words if w in stages), None)


def stage_table(ctx) -> dict:
    """Stage words ('refining', 'reserves', ...) -> the stage they name (rules/lexicon.json stage_words)."""
    return {k: v for k, v in ctx.lex["stage_words"].items() if not k.startswith("_")}


def _reverse_shares(ctx, sent, percents):
    """'About 70% of the world's cobalt comes from Congo': the state after a sourcing verb."""
    lex, doc = ctx.lex, ctx.doc
    words = words_of(ctx, sent)
    stages = stage_table(ctx)
    for phrase in lex["source_phrases"]:
        for k in range(len(words)):
            if not has_seq(words, phrase, k):
                continue
            after = sent.start + k + len(phrase)
            country = next((c for c in countries(sent) if after <= c.start <= after + 1), None)
            if country is None:
                continue
            start_char = doc[sent.start + k].idx - sent.start_char
            p = next((p for p in reversed(percents) if p.end <= start_char), None)
            if p is None:
                continue
            between = sent.text[p.end:start_char].lower()
            if not re.match(r"\s*of\s", between) or not any(w in between for w in lex["world_words"]):
                continue
            if _CLAUSE_BREAK.search(between):
                continue  # 'half of the world's M, but most of it is refined in C': another clause's subject
            mineral = next((m for m in sent.mentions if m.entry.type == "Mineral"
                            and p.end <= doc[m.start].idx - sent.start_char < start_char), None)
            if mineral is None:
                continue
            verb = phrase[-2] if len(phrase) > 2 else phrase[0]
            stage = named_stage(stages, re.findall(r"[a-z-]+", between), other_than_mining=True) \
                or lex["share_verb_stages"].get(verb.replace("ed", "es") if verb.endswith("ed") else verb) \
                or named_stage(stages, re.findall(r"[a-z]+", between)) or "mining"
            add_draft(ctx, "production_share", country.entry, mineral.entry,
                      {"stage": stage, "share": p.value, "year": None, "qualifier": p.qualifier}, sent,
                      "production_share_source", RULE_CONFIDENCE["production_share"] * 0.9)


_RESTATED = re.compile(r",\s*or\s+(?:about|around|roughly|nearly|almost|some|over|more than|less than)?\s*$", re.I)
"""'holds ... reserves, about 22 million tonnes, or 19% of the total': the share restates an amount."""

_CLAUSE_BREAK = re.compile(r";|,\s*(?:but|and|while|whereas|although|though|yet)\b")


def _verb_follows(ctx, k: int, verbs) -> bool:
    doc = ctx.doc
    # "China alone refines", and a relative clause: "China, which refines ..."
    if k + 1 < len(doc) and doc[k].lower_ == "," and doc[k + 1].lower_ in ("which", "that"):
        k += 2
    while k < len(doc) and doc[k].lower_ in ("also", "alone", "now", "still", "currently", "itself"):
        k += 1
    return k < len(doc) and doc[k].lower_ in verbs


def _the_country_before(ctx, sent, p_tok: int, verbs):
    """'The country accounts for 50% of ...': the state the sentences just before acted as, else the
    article's, named by 'the country'."""
    main = fallback_issuer(ctx, sent)
    if main is None:
        return None
    doc = ctx.doc
    for k in range(p_tok - 2, max(sent.start, p_tok - 16) - 1, -1):
        if doc[k].lower_ == "country" and k - 1 >= sent.start and doc[k - 1].lower_ == "the" \
                and (_verb_follows(ctx, k + 1, verbs) or (k + 1 < sent.end and doc[k + 1].text in ("'s", "’s"))):
            return Mention(k - 1, k + 1, main, "coref", 0.8)
    return None


def _mineral_of_material(ctx, m):
    """'battery-grade graphite', 'rare earth magnets': the mineral a material is made of, for its share."""
    words = [w for w in re.split(r"[\s\-]+", m.text.lower()) if w]
    for n in range(len(words), 0, -1):
        for k in range(len(words) - n + 1):
            hits = ctx.gaz.lookup(" ".join(words[k:k + n]), ("Mineral",))
            if len(hits) == 1:
                return Mention(m.start, m.end, hits[0], "derived", m.confidence * 0.9)
    return None


def _share_of_statements(ctx, sent, percents, year):
    """"Peru's share of global silver output was 14% in 2023": the share stated after the state's share."""
    lex, doc = ctx.lex, ctx.doc
    stages = stage_table(ctx)
    links = set(lex["share_statement_verbs"])
    starts = [p.start for p in percents]
    for c in countries(sent):
        k = c.end
        if not (k + 2 < sent.end and doc[k].text in ("'s", "’s") and doc[k + 1].lower_ == "share" and doc[k + 2].lower_ == "of"):
            continue
        start = k + 3
        p_tok = next((t.i for t in doc[start:min(sent.end, start + 14)] if t.like_num), None)
        if p_tok is None:
            continue
        at = doc[p_tok].idx - sent.start_char
        q = bisect.bisect_left(starts, at)
        p = percents[q] if q < len(percents) and percents[q].start <= at + len(doc[p_tok].text) else None
        if p is None:
            continue
        gap = [t.lower_ for t in doc[start:p_tok]]
        verb_at = next((i for i, w in enumerate(gap) if w in links and i > 0), None)
        if verb_at is None or any(w in (",", ";") for w in gap[:verb_at]):
            continue
        phrase = gap[:verb_at]
        mineral = next((m for m in sent.mentions if m.entry.type == "Mineral" and start <= m.start < start + verb_at), None)
        if mineral is None:
            continue
        stage = named_stage(stages, phrase)
        if stage is None:
            continue
        add_draft(ctx, "production_share", c.entry, mineral.entry,
                  {"stage": stage, "share": p.value, "year": year, "qualifier": p.qualifier}, sent,
                  "production_share_statement", RULE_CONFIDENCE["production_share"] * min(c.confidence, mineral.confidence))


def production_shares(ctx):
    """Every share phrasing on every sentence that states a percentage (or a fraction in words)."""
    for sent in ctx.analysis.sentences:
        percents = find_percents(sent.text)
        if not percents:
            continue
        year = next((int(d.value) for d in sentence_dates(ctx, sent) if len(d.value) == 4), None)
        before = len(ctx.drafts)
        _reverse_shares(ctx, sent, percents)
        _share_of_statements(ctx, sent, percents, year)
        _shares_of_states(ctx, sent, percents, year)
        _drop_joint_shares(ctx, sent, before)


def _drop_joint_shares(ctx, sent, first: int) -> None:
    """'Australia and Chile account for 79%', '... companies, which together control 53%': a share held
    jointly by several states is no state's share; nor is a partner's share of a state's own trade."""
    doc, joint = ctx.doc, ctx.wordset("joint_words")
    words = set(words_of(ctx, sent))
    states = [m for m in sent.mentions if m.entry.type == "Country"]

    def coordinated(holder) -> bool:
        for other in states:
            if other.entry.iri == holder.iri:
                continue
            gap = [t.lower_ for t in doc[min(other.end, mention_end(holder)):max(other.start, mention_start(holder))]]
            if gap and all(w in (",", "and") for w in gap):
                return True
        return False

    def mention_start(entry):
        return min(m.start for m in states if m.entry.iri == entry.iri)

    def mention_end(entry):
        return min(m.end for m in states if m.entry.iri == entry.iri)

    partner = bool(_PARTNER_SHARE.search(sent.text))
    ctx.drafts[first:] = [d for d in ctx.drafts[first:] if not (
        d.relation == "production_share" and d.sentence is sent
        and (words & joint or any(m.entry.iri == d.subject.iri for m in states) and coordinated(d.subject)
             or partner and d.qualifiers.get("stage") in ("imports", "exports")))]


_PARTNER_SHARE = re.compile(r"(?:%|\bper ?cent|\bpercent)\s+of\s+(?:its|their|[A-Z][\w.]*['’]s)\s+(?:\w+\s+)?"
                            r"(?:imports|exports|purchases|shipments)\b")
"""'15% of its total imports': a partner's share of a state's trade, not a share of world supply."""


@dataclass
class _ShareSentence:
    """One sentence prepared for `_share_of_state`: its minerals (and minerals of materials), the states
    that can hold a share, and character offsets for bisecting."""

    sent: object
    percents: list
    year: int | None
    minerals: list
    mineral_idx: list
    tok_idx: list
    states: list
    state_ends: list


def _shares_of_states(ctx, sent, percents, year):
    """"<state> accounts for / controls / refines N% of (global) <mineral> <stage>": one share per percent,
    a later percent without a mineral of its own keeps the one before."""
    doc, verbs = ctx.doc, ctx.wordset("share_verbs")
    minerals = sorted([m for m in sent.mentions if m.entry.type == "Mineral"] +
                      [x for x in (_mineral_of_material(ctx, m) for m in sent.mentions if m.entry.type == "Material")
                       if x is not None], key=lambda m: m.start)
    # the states that can hold a share: actors, and "..., and China refines 80% of it" (subject of a share verb)
    acting = [c for c in countries(sent) if c.end < sent.end and _verb_follows(ctx, c.end, verbs)]
    states = sorted({c.start: c for c in eligible_issuers(ctx, sent) + acting}.values(), key=lambda c: c.start)
    s = _ShareSentence(sent, percents, year, minerals, [doc[m.start].idx for m in minerals],
                       [t.idx for t in doc[sent.start:sent.end]], states, [c.end for c in states])
    last_mineral = None
    for pi in range(len(percents)):
        last_mineral = _share_of_state(ctx, s, pi, last_mineral)


def _verb_just_before(ctx, sent, p, verbs) -> bool:
    """A share verb right before a percent, hedges aside ('and processes nearly 90%')."""
    words = re.findall(r"[\w'-]+", sent.text[:p.start].lower())[-4:]
    while words and words[-1] in ("nearly", "about", "around", "roughly", "almost", "some", "over", "more", "than",
                                  "less", "up", "to", "approximately", "an", "estimated", "for", "close", "just",
                                  "under", "at", "least", "well", "as", "much", "many", "alone", "currently"):
        words.pop()
    return bool(words) and words[-1] in verbs


def _share_phrase(sent, percents, pi):
    """The phrase after 'N% of' up to a clause boundary or the next percent: (text, start char, end char)."""
    p = percents[pi]
    after = sent.text[p.end:p.end + 400]
    m_of = re.match(r"\s*(?:share\s+)?of\s+(?:the\s+)?(.*?)(?:[,;.:–—(]|\band\s+\d|\bwhile\b|\bwhich\b|"
                    r"\band\s+(?:refin|process|min|produc|export|import|smelt|suppl)\w*\b|$)", after)
    if not m_of:
        return None
    phrase = m_of.group(1)
    nxt = percents[pi + 1].start if pi + 1 < len(percents) else None
    if nxt is not None and p.end + m_of.start(1) + len(phrase) > nxt:
        # "60% of global mining and nearly 90% of processing": each share has its own phrase
        phrase = phrase[:max(0, nxt - p.end - m_of.start(1))]
        phrase = re.sub(r"\s*\b(?:and|while|but)\s+(?:\w+\s+){0,2}$", "", phrase)
    phrase_start = sent.start_char + p.end + m_of.start(1)
    return phrase, phrase_start, phrase_start + len(phrase)


def _share_stage(ctx, sent, p, pw):
    """The stage a share phrase names (a stage other than mining first), else the share verb's stage."""
    lex, stages = ctx.lex, stage_table(ctx)
    stage = named_stage(stages, pw)
    verb_stage = None
    before_words = re.findall(r"[\w']+", sent.text[max(0, p.start - 120):p.start].lower())[-6:]
    for w in reversed(before_words):
        if w in lex["share_verb_stages"]:
            verb_stage = lex["share_verb_stages"][w]
            break
    if verb_stage and (stage is None or stage == "mining"):
        stage = verb_stage
    if stage is None and _RESTATED.search(sent.text[:p.start]):
        stage = named_stage(stages, re.findall(r"[\w'-]+", sent.text[:p.start].lower()))  # '... reserves, ..., or 19%'
    return stage


def _share_of_state(ctx, s: _ShareSentence, pi: int, last_mineral):
    """Draft the share of percent `pi`; returns the mineral it is about (or last_mineral when none)."""
    doc, sent, p = ctx.doc, s.sent, s.percents[pi]
    verbs, world = ctx.wordset("share_verbs"), ctx.wordset("world_words")
    found = _share_phrase(sent, s.percents, pi)
    if found is None:
        if last_mineral is None or not _verb_just_before(ctx, sent, p, verbs):
            return last_mineral
        found = ("", sent.start_char + p.end, sent.start_char + p.end)  # '... and processes nearly 90%'
    phrase, phrase_start, phrase_end = found
    pw = [w.replace("’", "'").strip("'").lower() for w in re.findall(r"[\w'’-]+", phrase)]
    pw = [w[:-2] if w.endswith("'s") else w for w in pw]
    if set(pw[:2]) & {"its", "their", "our"} and set(pw) & set(ctx.lex["own_need_words"]):
        return last_mineral  # 'relies on imports for nearly all of its tungsten needs': its own use, not the world's
    lo = bisect.bisect_left(s.mineral_idx, phrase_start)
    in_phrase = [m for m in s.minerals[lo:lo + 3] if doc[m.start].idx < phrase_end]
    mineral = in_phrase[0] if in_phrase else None
    if mineral is None and not any(w in world for w in pw) and last_mineral is None:
        return last_mineral
    stage = _share_stage(ctx, sent, p, pw)
    if stage is None or stage in ("imports", "consumption") and set(pw[:2]) & {"its", "their", "our"}:
        return last_mineral  # 'Japan imports 60% of its rare earths from China': a share of its own trade
    if mineral is None and any(m.entry.type in ("Product", "Industry", "Technology")
                               and phrase_start <= doc[m.start].idx < phrase_end for m in sent.mentions):
        return last_mineral  # '70% of the world's batteries': a share of another thing
    if mineral is None:
        mineral = last_mineral
        if mineral is None:
            distinct = {m.entry.iri for m in s.minerals}
            mineral = s.minerals[0] if len(distinct) == 1 else None
    if mineral is None:
        return last_mineral
    last_mineral = mineral
    # the state before the share, with a share verb between them
    k = bisect.bisect_left(s.tok_idx, sent.start_char + p.start)
    p_tok = sent.start + k if k < len(s.tok_idx) else sent.end
    cands = s.states[max(0, bisect.bisect_right(s.state_ends, p_tok) - 1):bisect.bisect_right(s.state_ends, p_tok)]
    the_country = _the_country_before(ctx, sent, p_tok, verbs)
    if the_country is not None and (not cands or cands[-1].end <= the_country.start):
        cands.append(the_country)
    if not cands:
        return last_mineral
    country = cands[-1]
    between = [t.lower_ for t in doc[country.end:min(p_tok, country.end + 12)]]
    restated = bool(_RESTATED.search(sent.text[:p.start])) and any(w in verbs for w in between)
    if not _verb_just_before(ctx, sent, p, verbs) and not restated and not (between and between[0] in ("'s", "’s")):
        if pi == 0 or last_mineral is None:  # an earlier share in the sentence carries the state
            return last_mineral
    conf = RULE_CONFIDENCE["production_share"] * min(country.confidence, mineral.confidence)
    if not in_phrase:
        conf *= 0.85
    add_draft(ctx, "production_share", country.entry, mineral.entry,
              {"stage": stage, "share": p.value, "year": s.year, "qualifier": p.qualifier}, sent,
              "production_share", conf)
    return last_mineral
