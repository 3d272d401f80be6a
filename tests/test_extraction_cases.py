"""Extraction cases as data: tests/data/extraction_cases.jsonl, one sentence (or short article) a line.

Sentences are written for these tests in general news phrasing (never taken from the eval articles).
A case names the rule family it exercises (a key of graph.extract.relations.RULES), the relation it
checks and what the facts view must hold for that relation:
- "expect": partial facts-view records, each matching exactly one fact;
- "exact": true: no other fact of that relation (with "expect": [], none at all);
- "absent": partial records that no fact may match;
- "every": a partial record that every fact matches (and there is at least one fact);
- "date": the article's date (default 2025-06-09), against which relative dates resolve.
Adding a case is one line of JSON; no Python.
"""

import datetime as dt
import json
from pathlib import Path

import pytest

from graph.articles import article_from_text
from graph.extract import extract
from graph.extract.relations import RULES

CASES_FILE = Path(__file__).parent / "data" / "extraction_cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
KEYS = {"id", "family", "relation", "text", "date", "expect", "exact", "absent", "every", "note"}
RELATIONS = {"export_control", "tariff", "production_share", "dominates", "depends_on", "affiliated_with", "mentions"}
FAMILIES_WITHOUT_CASES = {"tree_frames"}  # parse-tree frames: tests/test_extract_frames.py


def _matches(row: dict, partial: dict) -> bool:
    return all(row.get(k, object()) == v for k, v in partial.items())


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extraction_case(case):
    date = dt.date.fromisoformat(case.get("date", "2025-06-09"))
    rows = [f.to_view("t.txt") for f in extract(article_from_text(case["text"], "t.txt", default_date=date))
            if f.relation == case["relation"]]
    for partial in case.get("expect", []):
        hits = [r for r in rows if _matches(r, partial)]
        assert len(hits) == 1, f"{partial} matched {len(hits)} of {rows}"
    if case.get("exact"):
        assert len(rows) == len(case["expect"]), rows
    for partial in case.get("absent", []):
        assert not [r for r in rows if _matches(r, partial)], rows
    if "every" in case:
        assert rows and all(_matches(r, case["every"]) for r in rows), rows


def test_cases_are_well_formed_and_cover_every_rule_family():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids repeat"
    for c in CASES:
        assert set(c) <= KEYS, f"{c['id']}: unknown keys {set(c) - KEYS}"
        assert c.get("family") in RULES, f"{c['id']}: family {c.get('family')!r} is not a rule family"
        assert c["relation"] in RELATIONS, c["id"]
        assert c.get("expect") or c.get("absent") or c.get("every") or c.get("exact"), f"{c['id']} checks nothing"
    assert set(RULES) - FAMILIES_WITHOUT_CASES <= {c["family"] for c in CASES}
    assert RELATIONS <= {c["relation"] for c in CASES}
    statuses = {e.get("status") for c in CASES for e in c["expect"] if c["relation"] == "export_control"}
    assert {"in_force", "possible", "lifted"} <= statuses
