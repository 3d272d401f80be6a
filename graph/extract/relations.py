"""Relation rules → facts: runs every rule module on an analysed article and merges what they read.

Rule modules (words in rules/lexicon.json, general news phrasing, never one article's):
policy.py (export_control, tariff), shares.py (production_share), dominance.py (dominates),
frames.py (depends_on and dominates read from the parse tree, technology and class items of controls), people.py (affiliated_with); mentions are every mineral, state and
organisation named. One fact per item of a coordinated list (phrases.py). Facts with the same
relation, subject and object are merged: the first statement keeps its status, missing qualifiers
are filled from later ones, and a date stated as taking effect beats a date merely mentioned.
"""

from __future__ import annotations

import os

from graph.extract.rulekit import Ctx, add_draft, evidence
from graph.extract.dominance import dominance
from graph.extract.naming import well_formed_drafts
from graph.extract.frames import parse_article, read_frames
from graph.extract.gazetteer import Entry
from graph.extract.lexicon import lexicon
from graph.extract.model import Draft
from graph.extract.policy import export_controls, tariffs
from graph.extract.shares import production_shares
from graph.facts import Fact


def _mentions(ctx):
    for m in ctx.analysis.mentions:
        if m.entry.type not in ("Mineral", "Country", "Organization") or m.how in ("demonym_weak", "leader") \
                or m.entry.iri in ctx.gaz.categories:
            continue
        sent = ctx.analysis.sentence_of(m.start)
        add_draft(ctx, "mentions", None, m.entry, {"type": m.entry.type}, sent, f"mention_{m.how}", m.confidence)


def _affiliations(ctx):
    for a in ctx.analysis.affiliations:
        add_draft(ctx, "affiliated_with", a.person, a.org, {"role": a.role}, a.sentence, a.rule, a.confidence)


def _merge(ctx) -> list[Fact]:
    merged: dict[tuple, Draft] = {}
    for d in sorted(ctx.drafts, key=lambda d: d.order):
        key = (d.relation, d.subject.iri if d.subject else None, d.object.iri,
               d.qualifiers.get("stage") if d.relation == "production_share" else None)
        if key not in merged:
            merged[key] = d
            continue
        first = merged[key]
        _merge_into(first, d)
    facts = []
    for d in merged.values():
        if d.qualifiers.get("date"):
            d.qualifiers["date_role"] = "effective" if d.date_rank >= 2 else "stated"
        quals = {k: (v.entity() if isinstance(v, Entry) else v) for k, v in d.qualifiers.items()}
        facts.append(Fact(d.relation, d.subject.entity() if d.subject else None, d.object.entity(), quals,
                          evidence(ctx, d.sentence, d.rule, min(d.confidence, 0.99))))
    return facts


def _merge_into(first: Draft, d: Draft) -> None:
    """A later statement of the same fact fills what the first left open; a statement that the measure
    was taken outranks an earlier one that it might be ('sought opinion on adding X' then 'banned X'),
    and a date that refines the first one's ('2020' → 'January 2020') replaces it."""
    q, later = first.qualifiers, d.qualifiers
    if first.relation == "export_control" and q.get("status") == "possible" and later.get("status") in ("in_force", "lifted"):
        q["status"] = later["status"]
        q["measure"] = later.get("measure") or q.get("measure")
        if later.get("date"):
            q["date"], first.date_rank = later["date"], d.date_rank
    for name, value in later.items():
        if q.get(name) in (None, "") and value not in (None, "") and name != "date":
            q[name] = value
    date, new = str(q.get("date") or ""), str(later.get("date") or "")
    if new and (d.date_rank > first.date_rank or (date and new.startswith(date) and len(new) > len(date))):
        q["date"], first.date_rank = later["date"], max(d.date_rank, first.date_rank)
    first.confidence = max(first.confidence, d.confidence)


def _tree_frames(ctx):
    read_frames(ctx, parse_article(ctx))


RULES = {
    "mentions": _mentions,
    "export_controls": export_controls,
    "dominance": dominance,
    "tariffs": tariffs,
    "production_shares": production_shares,
    "tree_frames": _tree_frames,
    "affiliations": _affiliations,
}
"""The rule families, by name, in the order they run (order matters for merging: the first statement
of a fact keeps its status). `CMKG_DISABLE_RULES=name,name` switches families off, e.g. to measure one."""


def read_relations(analysis) -> list[Fact]:
    ctx = Ctx(analysis, lexicon())
    disabled = set(filter(None, os.environ.get("CMKG_DISABLE_RULES", "").split(",")))
    for name, rule in RULES.items():
        if name not in disabled:
            rule(ctx)
    well_formed_drafts(ctx)
    return _merge(ctx)
