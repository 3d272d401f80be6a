"""Dominance: "<agent> dominates / has a dominant position in / has a monopoly over <list>"."""

from __future__ import annotations
from graph.extract.rulekit import (
    RULE_CONFIDENCE,
    words_of,
    has_seq,
    is_target,
    is_modifier_of_person,
    neutral,
    fallback_issuer,
    add_draft,
    negated,
)
from graph.extract.phrases import np_list_entities


def _by_first_word(seqs: list[list[str]]) -> dict[str, list[list[str]]]:
    """Trigger sequences by their first word, in lexicon order: a word can only start the sequences that
    begin with it, so each token is tried against those few and not against every sequence."""
    index: dict[str, list[list[str]]] = {}
    for s in seqs:
        if not s:
            raise ValueError("dominance_triggers: an empty sequence would match everywhere")
        index.setdefault(s[0], []).append(s)
    return index


def dominance(ctx):
    lex, doc = ctx.lex, ctx.doc
    seqs = _by_first_word(lex["dominance_triggers"]["sequences"])
    anaphors = [a.split() for a in lex["anaphors"]]
    for sent in ctx.analysis.sentences:
        words = words_of(ctx, sent)
        for k in range(len(words)):
            seq = next((s for s in seqs.get(words[k], ()) if has_seq(words, s, k)), None)
            if seq is None or negated(words, k, lex):
                continue
            t = sent.start + k
            # the agent: a state or company named before, a demonym ("the Chinese monopoly"), or "the country"
            agents = [m for m in sent.mentions if m.entry.type in ("Country", "Organization") and m.end <= t
                      and not is_target(ctx, sent, m) and not is_modifier_of_person(ctx, m)
                      and not neutral(ctx, sent, m)]
            agent = agents[-1].entry if agents else None
            conf = RULE_CONFIDENCE["dominates"] * (agents[-1].confidence if agents else 0.8)
            if agent is None and any(has_seq(words, ["the", "country"], j) or words[j] == "it"
                                     for j in range(max(0, k - 6), k)):
                agent = fallback_issuer(ctx, sent)
                conf *= 0.8
            if agent is None:
                continue
            ctx.issuer_by_sentence.setdefault(sent.index, agent if agent.type == "Country" else None)
            j = t + len(seq)
            while j < sent.end and doc[j].lower_ in ("position", "positions", "role", "in", "over", "on", "of", "the",
                                                     "global", "world's", "market", "production", "for"):
                j += 1
            if j < sent.end and doc[j].lower_ in ("as", "to", "against", "with", "by", "for", "at"):
                continue  # 'using its dominance as a weapon': what follows is no dominated thing
            # "given China's near-monopoly position in production in these areas": minerals named before
            rest = [w for w in words[j - sent.start: j - sent.start + 3]]
            if any(rest[:len(a)] == a for a in anaphors):
                for m in sent.mentions:
                    if m.entry.type == "Mineral" and m.start < t:
                        add_draft(ctx, "dominates", agent, m.entry, {}, sent, "dominates_anaphor", conf * 0.8)
                continue
            for ent in np_list_entities(ctx, j, sent.end):
                if ent.type in ("Country",):
                    continue
                add_draft(ctx, "dominates", agent, ent, {}, sent, "dominates", conf * (0.85 if ent.new else 1))
