"""Nodes minted from text are proper names of their class (graph/extract/naming.py)."""

import re
from pathlib import Path

import pytest

from graph.extract.gazetteer import get_gazetteer
from graph.extract.linking import new_entry
from graph.extract.naming import naming_rules, well_formed

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


def minted(kind, label, cls, view):
    return new_entry(kind, label, cls, view)


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def country(gaz, name):
    return gaz.lookup(name, ("Country",))[0]


@pytest.mark.parametrize("kind,label,cls,view", [
    ("product", "international", "Product", "Product"),
    ("product", "comes mostly", "Product", "Product"),
    ("technology", "rare earth processing capacity", "Technology", "Technology"),
    ("industry", "Japanese industry", "Industry", "Industry"),
    ("org", "African Bureau", "GovernmentBody", "Organization"),
    ("mineral", "metals", "MineralGroup", "Mineral"),
    ("product", "the", "Product", "Product"),
])
def test_fragments_are_not_nodes(gaz, kind, label, cls, view):
    assert well_formed(minted(kind, label, cls, view), gaz, None) == []


def test_two_ministries_in_one_phrase_are_two_nodes_with_their_country(gaz):
    entry = minted("org", "Ministry of Natural Resources and Ministry of Industry and Information Technology of China",
                   "GovernmentBody", "Organization")
    labels = [e.label for e in well_formed(entry, gaz, None)]
    assert labels == ["Ministry of Natural Resources of China", "Ministry of Industry and Information Technology of China"]


def test_a_ministry_gets_the_country_of_the_article(gaz):
    entry = minted("org", "Ministry of Mines", "GovernmentBody", "Organization")
    assert [e.label for e in well_formed(entry, gaz, country(gaz, "Zimbabwe"))] == ["Ministry of Mines of Zimbabwe"]


@pytest.mark.parametrize("kind,label,cls,view", [
    ("product", "night vision equipment", "Product", "Product"),
    ("technology", "rare earth separation technology", "Technology", "Technology"),
    ("org", "Ministry of Trade of South Korea", "GovernmentBody", "Organization"),
    ("org", "Serra Verde", "Company", "Organization"),
    ("person", "Maria de la Cruz", "Person", "Person"),
])
def test_proper_names_stay(gaz, kind, label, cls, view):
    entry = minted(kind, label, cls, view)
    assert well_formed(entry, gaz, None) == [entry]


def test_known_entities_are_never_touched(gaz):
    known = next(e for e in gaz.entries.values() if e.type == "Industry")
    assert well_formed(known, gaz, None) == [known]


def label_problems(entity, gaz) -> list[str]:
    """Independent checks of a minted label, as a reviewer would read it."""
    rules = naming_rules()
    words = entity.label.split()
    problems = []
    if not words or words[-1].lower() in rules["function_words"] | rules["not_heads"]:
        problems.append("no head noun")
    if entity.cls == "Technology" and words[-1].lower() not in rules["technology_heads"]:
        problems.append("not a technology")
    if entity.cls == "Industry" and len(words) == 2 and gaz.lookup(words[0], ("Country",)):
        problems.append("a nationality's economy")
    if entity.cls == "GovernmentBody" and re.search(r"\band (Ministry|Department)\b", entity.label):
        problems.append("two bodies in one")
    if entity.cls == "GovernmentBody" and words[0] == "Ministry" and not any(
            gaz.lookup(" ".join(words[k:]), ("Country",)) for k in range(len(words))):
        problems.append("a ministry without its country")
    return problems


@pytest.mark.skipif(not DEV.is_dir(), reason="the evaluation's dev articles (../shared) are only on dev machines")
def test_every_node_minted_from_the_dev_articles_is_well_formed(gaz):
    from graph.articles import read_article
    from graph.extract import extract

    bad = {}
    for path in sorted(DEV.glob("*.txt")):
        for fact in extract(read_article(path)):
            for e in (fact.subject, fact.object):
                if e is not None and e.new:
                    problems = label_problems(e, gaz)
                    if problems:
                        bad[(e.cls, e.label)] = problems
    assert not bad, bad


def test_known_organisations_sit_where_a_minted_node_of_their_name_would():
    """A name the organisation rules mint gets the IRI of its label; a known organisation filed under a
    different IRI would collide with a minted node of another name and get two preferred labels."""
    import rdflib
    from rdflib.namespace import SKOS

    from graph.extract.linking import new_entry
    from graph.resources import ontology_file

    g = rdflib.Graph().parse(ontology_file("gazetteer.ttl"))
    moved = [(str(s), str(o)) for s, o in g.subject_objects(SKOS.prefLabel)
             if "/org/" in str(s) and new_entry("org", str(o), "Company", "Organization").iri != str(s)]
    assert not moved, moved
