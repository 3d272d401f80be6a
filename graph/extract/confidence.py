"""Calibrated confidence: a fact's confidence is the measured precision of the rule that read it.

`scripts/calibrate_confidence.py` scores every rule's facts on the evaluation's development articles
and writes `rules/confidence.json`; this module only reads that table. A rule measured on few facts
is pulled toward its relation's precision; a rule never measured keeps the confidence its code gave.
So `cmkg facts --min-confidence 0.8` keeps facts from rules that were right at least 80% of the time
on the articles they were measured on (an estimate: unseen articles score lower, see the README).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from graph.facts import Fact


@lru_cache(maxsize=1)
def table() -> dict:
    path = resources.files("graph.extract").joinpath("rules/confidence.json")
    if not path.is_file():
        return {"rules": {}, "relations": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def calibrated(relation: str, rule: str, fallback: float) -> float:
    data = table()
    measured = data["rules"].get(f"{relation}:{rule}")
    if measured is not None:
        return measured["confidence"]
    return data["relations"].get(relation, fallback) if data["relations"] else fallback


def calibrate(facts: list[Fact]) -> list[Fact]:
    """The facts with their rule's measured precision as confidence."""
    out = []
    for f in facts:
        if f.evidence is None:
            out.append(f)
            continue
        value = round(calibrated(f.relation, f.evidence.rule, f.evidence.confidence), 3)
        out.append(replace(f, evidence=replace(f.evidence, confidence=value)))
    return out
