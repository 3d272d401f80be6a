"""Production shares: "<state> accounts for / controls / refines N% of (global) <mineral> <stage>",
and "N% of the world's <mineral> comes from <state>"."""

from __future__ import annotations

import re

from graph.extract.quantities import find_percents
from graph.extract.context import (
    RULE_CONFIDENCE,
    _low,
    _has_seq,
    _countries,
    _eligible_issuers,
    _add,
    _sentence_dates,
)


def _reverse_shares(ctx, sent, percents):
    """'About 70% of the world's cobalt comes from Congo': the state after a sourcing verb."""
    lex, doc = ctx.lex, ctx.doc
    words = _low(ctx, sent)
    stages = {k: v for k, v in lex["stage_words"].items() if not k.startswith("_")}
    for phrase in lex["source_phrases"]:
        for k in range(len(words)):
            if not _has_seq(words, phrase, k):
                continue
            after = sent.start + k + len(phrase)
            country = next((c for c in _countries(sent) if after <= c.start <= after + 1), None)
            if country is None:
                continue
            start_char = doc[sent.start + k].idx - sent.start_char
            p = next((p for p in reversed(percents) if p.end <= start_char), None)
            if p is None:
                continue
            between = sent.text[p.end:start_char].lower()
            if not re.match(r"\s*of\s", between) or not any(w in between for w in lex["world_words"]):
                continue
            mineral = next((m for m in sent.mentions if m.entry.type == "Mineral"
                            and p.end <= doc[m.start].idx - sent.start_char < start_char), None)
            if mineral is None:
                continue
            verb = phrase[-2] if len(phrase) > 2 else phrase[0]
            stage = lex["share_verb_stages"].get(verb.replace("ed", "es") if verb.endswith("ed") else verb)
            stage = stage or next((stages[w] for w in re.findall(r"[a-z]+", between) if w in stages), "mining")
            _add(ctx, "production_share", country.entry, mineral.entry,
                 {"stage": stage, "share": p.value, "year": None, "qualifier": p.qualifier}, sent,
                 "production_share_source", RULE_CONFIDENCE["production_share"] * 0.9)


def production_shares(ctx):
    lex, doc = ctx.lex, ctx.doc
    verbs = set(lex["share_verbs"])
    world = set(lex["world_words"])
    stages = {k: v for k, v in lex["stage_words"].items() if not k.startswith("_")}
    for sent in ctx.analysis.sentences:
        percents = find_percents(sent.text)
        if not percents:
            continue
        _reverse_shares(ctx, sent, percents)
        minerals = [m for m in sent.mentions if m.entry.type == "Mineral"]
        last_mineral = None
        year = next((int(d.value) for d in _sentence_dates(ctx, sent) if len(d.value) == 4), None)
        for p in percents:
            after = sent.text[p.end:]
            m_of = re.match(r"\s*(?:share\s+)?of\s+(?:the\s+)?(.*?)(?:[,;.:–—(]|\band\s+\d|\bwhile\b|\bwhich\b|$)", after)
            if not m_of:
                continue
            phrase = m_of.group(1)
            phrase_start = sent.start_char + p.end + m_of.start(1)
            phrase_end = phrase_start + len(phrase)
            pw = [w.replace("’", "'").strip("'").lower() for w in re.findall(r"[\w'’-]+", phrase)]
            pw = [w[:-2] if w.endswith("'s") else w for w in pw]
            in_phrase = [m for m in minerals if phrase_start <= doc[m.start].idx < phrase_end]
            mineral = in_phrase[0] if in_phrase else None
            if mineral is None and not any(w in world for w in pw) and last_mineral is None:
                continue
            stage = None
            for w in pw:
                if w in stages and stages[w] != "mining":
                    stage = stages[w]
                    break
            if stage is None:
                stage = next((stages[w] for w in pw if w in stages), None)
            verb_stage = None
            before_words = re.findall(r"[\w']+", sent.text[:p.start].lower())[-6:]
            for w in reversed(before_words):
                if w in lex["share_verb_stages"]:
                    verb_stage = lex["share_verb_stages"][w]
                    break
            if verb_stage and (stage is None or stage == "mining"):
                stage = verb_stage
            if stage is None:
                continue
            if mineral is None:
                mineral = last_mineral
                if mineral is None:
                    distinct = {m.entry.iri for m in minerals}
                    mineral = minerals[0] if len(distinct) == 1 else None
            if mineral is None:
                continue
            last_mineral = mineral
            # the state before the share, with a share verb between them
            p_tok = next((t.i for t in doc[sent.start:sent.end] if t.idx >= sent.start_char + p.start), sent.end)
            cands = [c for c in _eligible_issuers(ctx, sent) if c.end <= p_tok]
            if not cands:
                continue
            country = cands[-1]
            between = [t.lower_ for t in doc[country.end:p_tok]]
            if not any(w in verbs for w in between) and not (between and between[0] in ("'s", "’s")):
                if not any(q.end <= p_tok for q in percents if q is not p) or last_mineral is None:
                    continue
            conf = RULE_CONFIDENCE["production_share"] * min(country.confidence, mineral.confidence)
            if not in_phrase:
                conf *= 0.85
            _add(ctx, "production_share", country.entry, mineral.entry,
                 {"stage": stage, "share": p.value, "year": year, "qualifier": p.qualifier}, sent,
                 "production_share", conf)
