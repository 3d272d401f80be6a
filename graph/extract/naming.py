"""Well-formed nodes: a node minted from text must be a proper name of its class.

Rules read text, and text gives fragments: an adjective left alone ("international"), a measure of
something rather than a thing ("rare earth processing capacity" is not a technology), a nationality
plus "industry" ("Japanese industry" is an economy, not an industry), two ministries in one phrase,
a desk of a newspaper read as a government body. Every fact about a minted node passes through
`well_formed` before it is written: the node is kept, renamed (a ministry gets its country), split
(one node per ministry) or dropped. The word lists are data (rules/naming.json).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from graph.extract.gazetteer import Entry
from graph.extract.linking import new_entry


@lru_cache(maxsize=1)
def naming_rules() -> dict:
    text = resources.files("graph.extract").joinpath("rules/naming.json").read_text(encoding="utf-8")
    return {k: (set(v) if isinstance(v, list) else v) for k, v in json.loads(text).items() if not k.startswith("_")}


def well_formed(entry: Entry, gaz, main_country: Entry | None) -> list[Entry]:
    """The nodes a minted entry stands for: itself, a renamed or split form, or none at all."""
    if not entry.new:
        return [entry]
    words = entry.label.split()
    if not words or not re.search(r"[A-Za-z]", entry.label):
        return []
    rules = naming_rules()
    last = words[-1].lower().strip(".,;:")
    if last in rules["function_words"] or last in rules["not_heads"] or words[0].lower() in rules["function_words"]:
        return []
    if entry.type in ("Product", "Material", "Technology", "Industry") and any(
            w.lower().endswith("ly") and w.lower() not in rules["ly_nouns"] for w in words):
        return []  # "comes mostly": a verb phrase, not a thing
    check = CHECKS.get(entry.cls)
    return check(entry, words, gaz, main_country) if check else [entry]


def _thing(entry, words, gaz, main_country):
    rules = naming_rules()
    if words[-1].lower() in rules["generic_alone"] and all(w.lower() in rules["generic_modifiers"] for w in words[:-1]) \
            and (len(words) == 1 or entry.type != "Mineral"):
        return []  # 'raw material', 'key products': no kind of thing named ('raw minerals' is a class of goods)
    first = words[0].lower()
    if "-" not in first and first.endswith(("ing", "ed")) and first not in rules["modifier_participles"]:
        return []  # "expected batteries", "using cobalt": a verb form, not a kind of thing
    return [entry]


def _technology(entry, words, gaz, main_country):
    if words[-1].lower() not in naming_rules()["technology_heads"]:
        return []
    return _thing(entry, words, gaz, main_country)


def _industry(entry, words, gaz, main_country):
    if len(words) >= 2 and words[-1].lower() in naming_rules()["industry_heads"] \
            and gaz.lookup(" ".join(words[:-1]), ("Country",)):
        return []
    return _thing(entry, words, gaz, main_country)


def _mineral_group(entry, words, gaz, main_country):
    if len(words) < 2:
        return []
    return _thing(entry, words, gaz, main_country)


def _government_body(entry, words, gaz, main_country):
    rules = naming_rules()
    parts = re.split(r"\s+and\s+(?=(?:%s)\b)" % "|".join(sorted(rules["body_heads"])), entry.label)
    if len(parts) > 1:
        suffix = re.search(r".*\sof\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)$", parts[-1])
        country = suffix.group(1) if suffix and gaz.lookup(suffix.group(1), ("Country",)) else None
        out = []
        for p in parts:
            label = p if country is None or p.endswith(country) else f"{p} of {country}"
            out.extend(_government_body(new_entry(entry.kind, label, entry.cls, entry.type), label.split(), gaz,
                                        main_country))
        return out
    if _has_country(words, gaz):
        return [entry]
    if words[0] in rules["body_heads"]:
        if main_country is None:
            return [entry]
        label = f"{entry.label} of {main_country.label}"
        return [new_entry(entry.kind, label, entry.cls, entry.type, entry.alt)]
    if words[0][:1].isupper() and words[0].lower().endswith(tuple(rules["adjective_endings"])) \
            and words[-1] in rules["body_heads"] and len(words) <= 3:
        return []  # "African Bureau": a desk named for a region, not a state's body
    return [entry]


def _has_country(words, gaz) -> bool:
    for n in (3, 2, 1):
        for k in range(len(words) - n + 1):
            if gaz.lookup(" ".join(words[k:k + n]), ("Country",)):
                return True
    return False


def _named(entry, words, gaz, main_country):
    if not any(w[:1].isupper() or w[:1].isdigit() for w in words):
        return []
    if words[-1].lower() in ("&", "and", "of", "the", "for"):
        return []
    return [entry]


def _person(entry, words, gaz, main_country):
    if len(words) < 2 or not all(w[:1].isupper() for w in words if w.lower() not in naming_rules()["name_particles"]):
        return []
    return [entry]


CHECKS = {
    "Product": _thing, "Material": _thing, "Technology": _technology, "Industry": _industry,
    "MineralGroup": _mineral_group, "GovernmentBody": _government_body, "Company": _named,
    "MediaOrganization": _named, "ResearchOrganization": _named, "Organization": _named, "Person": _person,
}


def well_formed_drafts(ctx) -> None:
    """Rewrite the article's drafts so that every minted subject and object is well formed."""
    gaz, main = ctx.gaz, ctx.analysis.main_country
    out = []
    for d in ctx.drafts:
        subjects = well_formed(d.subject, gaz, main) if d.subject is not None else [None]
        objects = well_formed(d.object, gaz, main)
        for s in subjects:
            for o in objects:
                if s is not None and s.iri == o.iri:
                    continue
                out.append(replace(d, subject=s, object=o, qualifiers=dict(d.qualifiers)))
    ctx.drafts[:] = fold_same_subjects(out)


def stem(label: str) -> str:
    """'semiconductor industry' and 'semiconductors' name one thing where a dependency is concerned."""
    words = [w for w in label.lower().split() if w not in naming_rules()["industry_heads"]]
    return " ".join(w[:-1] if w.endswith("s") and not w.endswith("ss") else w for w in words)


def fold_same_subjects(drafts: list) -> list:
    """One depends_on fact per object and thing in an article, however many names the rules gave it."""
    seen, out = set(), []
    for d in drafts:
        if d.relation == "depends_on" and d.subject is not None:
            key = (d.object.iri, stem(d.subject.label))
            if key in seen:
                continue
            seen.add(key)
        out.append(d)
    return out
