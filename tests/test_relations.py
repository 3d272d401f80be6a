"""The table of relations (graph/relations.json) and the RDF an article's facts become through it."""

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from graph import relations
from graph.article_rdf import article_graph
from graph.articles import Article
from graph.facts import Entity, Evidence, Fact

GOLDEN = Path(__file__).parent / "data" / "article_rdf_golden.nt"
ID = "https://w3id.org/cmkg/id/"


def _e(kind, slug, label, type_, cls=None, new=False, alt=()):
    return Entity(f"{ID}{kind}/{slug}", label, type_, cls=cls, new=new, alt=alt)


CHINA = _e("country", "china", "China", "Country")
US = _e("country", "united-states", "United States", "Country")
GALLIUM = _e("mineral", "gallium", "gallium", "Mineral")
HREE = _e("mineral", "heavy-rare-earth-elements", "heavy rare earth elements", "Mineral", cls="MineralGroup")
CHIPS = _e("product", "semiconductors", "semiconductors", "Product")
ACME = _e("organization", "acme-magnets", "Acme Magnets", "Organization", cls="Company", new=True, alt=("AM",))
PERSON = _e("person", "jane-doe", "Jane Doe", "Person", new=True)


def _ev(n, conf=0.8):
    return Evidence(sentence=f"Sentence number {n}.", start=10 * n, end=10 * n + 9, rule=f"rule_{n}", confidence=conf)


def every_kind_of_fact() -> list[Fact]:
    """At least one fact per relation, with every qualifier and its absent, odd and role variants."""
    return [
        Fact("mentions", None, GALLIUM, {"type": "Mineral"}, _ev(1, 0.9)),
        Fact("mentions", None, ACME, {"type": "Organization"}, None),
        Fact("export_control", CHINA, GALLIUM, {"date": "2023-08-01", "date_role": "effective", "target": US,
                                                "measure": "licensing", "status": "in_force"}, _ev(2)),
        Fact("export_control", CHINA, HREE, {"date": "2025-04", "measure": "no such measure", "status": "possible"},
             _ev(3, 0.6844)),
        Fact("export_control", US, CHIPS, {"date": "2024", "target": "not an entity"}, None),
        Fact("tariff", US, CHINA, {"rate": 25, "date": "2025-03-04", "item": CHIPS}, _ev(4)),
        Fact("tariff", CHINA, US, {"rate": None, "date": "spring", "item": None}, _ev(5)),
        Fact("production_share", CHINA, GALLIUM, {"stage": "refining", "share": 98.7, "qualifier": "~", "year": 2024},
             _ev(6, 0.85)),
        Fact("production_share", CHINA, GALLIUM, {"stage": "mining", "share": 0, "qualifier": "about", "year": None},
             _ev(7)),
        Fact("production_share", US, GALLIUM, {"share": "12.5"}, None),
        Fact("depends_on", CHIPS, GALLIUM, {}, _ev(8, 0.7)),
        Fact("dominates", ACME, HREE, {}, _ev(9)),
        Fact("affiliated_with", PERSON, ACME, {"role": "chief executive"}, _ev(10)),
        Fact("affiliated_with", PERSON, ACME, {"role": ""}, _ev(11)),
    ]


def every_kind_of_article_graph() -> Graph:
    article = Article(name="golden.txt", text="Golden article text.", title="A golden article", publisher="Example",
                      url="https://example.org/golden", date=dt.date(2025, 6, 1))
    return article_graph(article, every_kind_of_fact())


def test_rdf_of_every_relation_is_unchanged():
    """The table-driven writer gives exactly the triples the hand-written one gave (golden file from before)."""
    expected = Graph().parse(GOLDEN, format="nt")
    got = every_kind_of_article_graph()
    if not isomorphic(got, expected):
        _, only_new, only_old = graph_diff(got, expected)
        pytest.fail(f"only now: {sorted(only_new)[:5]}; only before: {sorted(only_old)[:5]}")


def test_three_names_of_each_relation():
    assert relations.view_names()["production_share"] == "produces"
    assert relations.relation("export_control").rdf_class == "ExportControl"
    assert relations.view_relation("controls").name == "export_control"
    assert relations.relation("mentions").view is None
    assert relations.view_relation("memberOf").name is None  # only the reference data states memberships


def test_table_lists_what_the_layers_used_to_hard_code():
    assert relations.fact_relations() == ("mentions", "export_control", "tariff", "production_share", "depends_on",
                                          "dominates", "affiliated_with")
    assert relations.view_fields()["export_control"] == ("date", "target", "measure", "status")
    assert relations.flow() == {"dependsOn": False, "memberOf": True, "controls": True, "produces": True,
                                "dominates": True}
    assert relations.agent_relations() == {"controls", "tariff", "produces", "dominates"}
    assert relations.policy_relations() == {"controls", "tariff"}
    assert relations.rule_confidence()["production_share"] == 0.85
    assert set(relations.direct_edges()) == {"mentions", "dependsOn", "dominates", "affiliatedWith", "memberOf"}


def test_a_bad_row_is_refused():
    with pytest.raises(ValueError, match="unknown value kind"):
        relations.parse_row({"name": "x", "subject": "a", "object": "b", "class": "C", "node": "fact",
                        "qualifiers": [{"name": "q", "property": "p", "value": "colour"}]})
    with pytest.raises(KeyError):
        relations.relation("no_such_relation")


def test_every_term_of_the_table_is_in_the_ontology():
    from rdflib import RDF, OWL, URIRef

    from graph.namespaces import CMKG
    from graph.resources import ontology_file

    onto = Graph().parse(ontology_file("cmkg.ttl"), format="turtle")
    declared = {str(s) for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef)}
    missing = sorted(t for t in relations.terms() if str(CMKG) + t not in declared)
    assert not missing, f"terms of graph/relations.json not declared in cmkg.ttl: {missing}"
    for rel in relations.relations():
        if rel.rdf_class:
            assert (CMKG[rel.rdf_class], RDF.type, OWL.Class) in onto


def test_a_date_that_is_not_a_partial_iso_date_is_not_written():
    """Typed by graph.dates.precision, not by length: "March 2025" has ten characters but is no xsd:date."""
    from graph.namespaces import CMKG

    article = Article(name="d.txt", text="Dates.")
    facts = [Fact("tariff", US, CHINA, {"date": "March 2025"}, None),
             Fact("tariff", CHINA, US, {"date": "2025-03"}, None)]
    dates = [o for o in article_graph(article, facts).objects(None, CMKG.date)]
    assert [(str(d), d.datatype.split("#")[-1]) for d in dates] == [("2025-03", "gYearMonth")]


@pytest.mark.parametrize("module, attribute, from_table", [
    ("graph.facts", "RELATIONS", relations.fact_relations),
    ("graph.facts", "VIEW_QUALIFIERS", relations.view_fields),
    ("graph.extract.rulekit", "RULE_CONFIDENCE", relations.rule_confidence),
    ("graph.analysis.paths", "FLOW", relations.flow),
    ("graph.render", "AGENT_RELATIONS", relations.agent_relations),
    ("graph.render", "POLICY_RELATIONS", relations.policy_relations),
])
def test_constants_elsewhere_agree_with_the_table(module, attribute, from_table):
    """Until every layer reads graph.relations, a constant that still exists must say what the table says."""
    import importlib

    value = getattr(importlib.import_module(module), attribute, None)
    if value is None:
        pytest.skip(f"{module}.{attribute} is gone (read from the table now)")
    table = from_table()
    assert (dict(value) if isinstance(value, dict) else type(table)(value)) == table


def test_model_md_table_matches_the_relations_table():
    """The table in ontology/MODEL.md lists each relation with the names graph/relations.json gives it."""
    import re

    text = (Path(__file__).resolve().parents[1] / "ontology" / "MODEL.md").read_text(encoding="utf-8")
    row = r"^\| `?([\w ()]+?)`? \| `?([\w–]+)`? \| `?(?:cmkg:)?([\w–]+)`? \|"
    rows = {m[0]: m for m in re.findall(row, text, re.M)}
    for rel in relations.relations():
        key = rel.name or "(reference data only)"
        assert key in rows, key
        assert rows[key][1] == (rel.view or "–") and rows[key][2] == (rel.rdf_class or "–"), key
