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

from functools import lru_cache

from graph.extract.dominance_frames import read_dominance
from graph.extract.item_frames import (appositive_items, bind_dates, control_items, percent_for_shares,
                                       product_modifiers, share_items, technology_items)
from graph.extract.syntax import parse_sentences
from graph.extract.treekit import Reader, anaphor_words, frames
from graph.extract.use_frames import demand_share_use, descriptor_use, read_use

TRIGGER_KEYS = {
    "use": ("use_passive_verbs", "use_adjectives", "role_nouns", "application_nouns", "depend_verbs",
            "depend_adjectives", "need_verbs", "go_into_verbs", "made_with_verbs", "demand_nouns", "supply_verbs",
            "addition_verbs", "improve_verbs", "source_nouns", "made_without_cases", "end_up_verbs", "appear_verbs"),
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
    if words & triggers["control"] and ctx.drafts.near(sentence.index, 2, "export_control"):
        return True
    if words & triggers["share"] and ctx.drafts.of(sentence, "production_share"):
        return True
    if words & triggers["share"] and "for" in words and kinds >= {"Mineral", "Country"}:
        return True  # '90 percent for gallium'
    return item and "for" in words and bool(kinds & {"Product", "Industry", "Technology"})


def parse_article(ctx) -> dict:
    """The parses of the article's sentences that can hold a frame."""
    analysis = ctx.analysis
    return parse_sentences(analysis.doc, analysis.sentences, lambda s, words: worth_parsing(ctx, s, words))


def read_frames(ctx, parses) -> None:
    for sent in ctx.analysis.sentences:
        descriptor_use(ctx, sent)
        demand_share_use(ctx, sent)
    for parse in parses.values():
        r = Reader(ctx, parse)
        read_use(r)
        read_dominance(r)
        technology_items(r)
        control_items(r)
        share_items(r)
        percent_for_shares(r)
    product_modifiers(ctx)
    appositive_items(ctx)
    bind_dates(ctx)
