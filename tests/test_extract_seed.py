"""The seed article's key facts (seeds/000_*.txt): what `cmkg facts` must find in it."""

import warnings

import pytest

from tests.conftest import SEEDS

SEVEN = ["samarium", "gadolinium", "terbium", "dysprosium", "lutetium", "scandium", "yttrium"]


@pytest.fixture(scope="module")
def seed_facts():
    from graph.articles import read_article
    from graph.extract import extract

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = read_article(SEEDS / "000_338a74fefc3e312e.txt")
    return article, extract(article)


def _find(facts, relation, subject=None, obj=None):
    return [f for f in facts if f.relation == relation and (subject is None or (f.subject and f.subject.label == subject))
            and (obj is None or f.object.label == obj)]


def test_seven_medium_heavy_rare_earths_controlled_from_april_2025(seed_facts):
    _, facts = seed_facts
    for mineral in SEVEN:
        [fact] = _find(facts, "export_control", "China", mineral)
        assert fact.qualifiers["status"] == "in_force"
        assert str(fact.qualifiers["date"]).startswith("2025-04"), (mineral, fact.qualifiers)


def test_titanium_magnesium_light_rare_earths_only_possible(seed_facts):
    _, facts = seed_facts
    for item in ("titanium", "magnesium", "light rare earth elements"):
        [fact] = _find(facts, "export_control", "China", item)
        assert fact.qualifiers["status"] == "possible", item


def test_december_controls_on_dual_use_items_target_the_us(seed_facts):
    _, facts = seed_facts
    for item in ("gallium", "germanium", "antimony", "graphite", "superhard materials"):
        [fact] = _find(facts, "export_control", "China", item)
        assert fact.qualifiers["date"] == "2024-12"
        assert fact.qualifiers["target"].label == "United States"


def test_us_tariff_of_145_percent_on_china(seed_facts):
    _, facts = seed_facts
    [fact] = _find(facts, "tariff", "United States", "China")
    assert fact.qualifiers["rate"] == 145
    assert str(fact.qualifiers["date"]).startswith("2025-04")


def test_china_mining_and_refining_shares_2023(seed_facts):
    _, facts = seed_facts
    shares = {(f.qualifiers["stage"], f.qualifiers["share"], f.qualifiers["year"])
              for f in _find(facts, "production_share", "China", "rare earth elements")}
    assert shares == {("mining", 60, 2023), ("refining", 92, 2023)}


def test_four_people_and_their_organisations(seed_facts):
    _, facts = seed_facts
    pairs = {(f.subject.label, f.object.label, f.qualifiers.get("role")) for f in _find(facts, "affiliated_with")}
    assert ("Andrew Gilholm", "Control Risks", "head of China analysis") in pairs
    assert ("Arthur Kroeber", "Gavekal Dragonomics", "research director") in pairs
    assert ("Tom Nunlist", "Trivium China", "deputy director") in pairs
    assert ("He Lifeng", "State Council of China", "Vice Premier") in pairs
    assert len(pairs) == 4


def test_every_fact_has_evidence_inside_the_article(seed_facts):
    article, facts = seed_facts
    assert facts
    for f in facts:
        ev = f.evidence
        assert 0 <= ev.start < ev.end <= len(article.text)
        assert " ".join(article.text[ev.start:ev.end].split()) == ev.sentence
        assert 0 < ev.confidence <= 1 and ev.rule


def test_mentions_have_no_state_as_organisation(seed_facts):
    _, facts = seed_facts
    mentions = {(f.object.label, f.object.type) for f in _find(facts, "mentions")}
    assert ("China", "Country") in mentions and ("Reuters", "Organization") in mentions
    assert ("Ministry of Commerce of China", "Organization") in mentions
    assert not any(t == "Organization" and label in ("China", "United States") for label, t in mentions)


def test_warm_extraction_is_fast(seed_facts):
    import time

    from graph.extract import extract

    article, _ = seed_facts
    start = time.perf_counter()
    extract(article)
    assert time.perf_counter() - start < 1.0
