"""The competency questions, run by name on a store holding the ontology and the reference data."""

import pyoxigraph as ox
import pytest

from graph.errors import InputError
from graph.knowledge import load_knowledge
from graph.namespaces import ID, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from graph.queries import list_queries, load_query, resolve_entity, run_named
from graph.resources import ontology_file
from graph.store import KnowledgeStore

OURS = ("industries-for-mineral", "chain", "export-controls-as-of", "controls-on-mineral", "top-producers",
        "group-members-under-control", "controls-since")


@pytest.fixture(scope="module")
def store():
    s = KnowledgeStore(None)
    load_knowledge(s)
    yield s
    s.close()


def records(result):
    names, rows = result
    return [{n: (None if v is None else str(v)) for n, v in zip(names, row)} for row in rows]


def test_saved_queries_are_listed_with_headers():
    infos = {q.name: q for q in list_queries()}
    for name in OURS:
        info = infos[name]
        assert info.title and info.description and info.params, name
        assert all(f"?{p}" in info.text for p in info.params)
    assert load_query("controls-on-mineral").spec("asOf").kind == "date"
    with pytest.raises(InputError):
        load_query("../etc/passwd")
    with pytest.raises(InputError):
        load_query("no-such-query")


def test_names_resolve_through_labels(store):
    assert str(resolve_entity(store, "Dysprosium", "Mineral")) == f"{ID}mineral/dysprosium"
    assert str(resolve_entity(store, "U.S.", "Polity")) == f"{ID}country/united-states"
    assert str(resolve_entity(store, "heavy rare earths", "Mineral")) == f"{ID}mineral/heavy-rare-earth-elements"
    assert str(resolve_entity(store, "Beijing")) == f"{ID}country/china"
    with pytest.raises(InputError):
        resolve_entity(store, "unobtainium", "Mineral")


def test_industries_depending_on_dysprosium(store):
    rows = records(run_named(store, "industries-for-mineral", {"mineral": "dysprosium"}))
    direct = {r["industryLabel"] for r in rows if not r["viaGroup"]}
    assert {"automotive", "electric vehicles", "wind power", "electronics", "defense"} <= direct
    wind = [r for r in rows if r["industryLabel"] == "wind power" and not r["viaGroup"]]
    assert {r["productLabel"] for r in wind} == {"wind turbines"}
    assert "NdFeB magnets" in {r["componentLabel"] for r in wind}
    assert all(r["industryEdgeSources"].startswith("http") and r["mineralEdgeSources"].startswith("http") for r in wind)
    assert any(r["viaGroup"] == "rare earth elements" for r in rows)


def test_chain_from_mineral_to_industry(store):
    rows = records(run_named(store, "chain", {"mineral": "dysprosium", "industry": "wind power"}))
    edges = {(r["fromLabel"], r["toLabel"]) for r in rows}
    assert {("wind power", "wind turbines"), ("wind turbines", "NdFeB magnets"), ("NdFeB magnets", "dysprosium")} <= edges
    assert all(r["sources"] for r in rows)


def test_china_export_controls_on_2025_12_01(store):
    rows = records(run_named(store, "export-controls-as-of", {"country": "China", "asOf": "2025-12-01"}))
    by = {}
    for r in rows:
        by.setdefault((r["itemLabel"], r["instrument"]), r)
    dy = by[("dysprosium", "MOFCOM/GAC Announcement No. 18 of 2025")]
    assert dy["statusOn"] == "in_force" and dy["measureType"] == "licensing" and dy["effectiveOn"] == "2025-04-04"
    for element in ("holmium", "erbium", "thulium", "europium", "ytterbium"):
        r = by[(element, "MOFCOM/GAC Announcement No. 57 of 2025")]
        assert r["statusOn"] == "suspended", element
        assert (r["suspendedOn"], r["suspendedUntil"]) == ("2025-11-07", "2026-11-10")
    ga_us = by[("gallium", "MOFCOM Announcement No. 46 of 2024 (clause 2)")]
    assert ga_us["statusOn"] == "suspended" and ga_us["targetLabel"] == "United States"
    assert by[("gallium", "MOFCOM/GAC Announcement No. 23 of 2023")]["statusOn"] == "in_force"


def test_status_depends_on_the_date(store):
    before = records(run_named(store, "controls-on-mineral", {"mineral": "holmium", "asOf": "2025-10-20"}))
    assert {r["statusOn"] for r in before if "No. 57" in r["instrument"]} == {"not_yet_in_force"}
    early = records(run_named(store, "controls-on-mineral", {"mineral": "holmium", "asOf": "2025-01-01"}))
    assert [r for r in early if "No. 57" in (r["instrument"] or "")] == []
    later = records(run_named(store, "controls-on-mineral", {"mineral": "holmium", "asOf": "2026-12-01"}))
    assert {r["statusOn"] for r in later if "No. 57" in r["instrument"]} == {"in_force"}   # suspension ran out


def test_group_controls_reach_members(store):
    rows = records(run_named(store, "group-members-under-control", {"asOf": "2025-12-01"}))
    status = {(r["memberLabel"], r["instrument"]): r["statusOn"] for r in rows}
    assert status[("dysprosium", "MOFCOM/GAC Announcement No. 18 of 2025")] == "in_force"
    assert status[("holmium", "MOFCOM/GAC Announcement No. 57 of 2025")] == "suspended"
    gd = {r["membership"] for r in rows if r["memberLabel"] == "gadolinium"}
    assert gd and all(m.startswith("claimed by") for m in gd)
    assert not any(r["memberLabel"] in ("neodymium", "gallium") for r in rows)


def test_control_on_a_group_reaches_dysprosium():
    """An article's control on "heavy rare earth elements" must show up for dysprosium."""
    s = KnowledgeStore(None)
    load_knowledge(s)
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD
    from graph.namespaces import CMKG
    m = URIRef(f"{ID}measure/test-hree")
    s.replace_graph(URIRef("https://w3id.org/cmkg/graph/article/test"), [
        (m, RDF.type, CMKG.ExportControl), (m, CMKG.issuedBy, URIRef(f"{ID}country/china")),
        (m, CMKG.covers, URIRef(f"{ID}mineral/heavy-rare-earth-elements")),
        (m, CMKG.date, Literal("2025-04", datatype=XSD.gYearMonth)), (m, CMKG.status, CMKG.InForce),
    ])
    rows = records(run_named(s, "controls-on-mineral", {"mineral": "dysprosium", "asOf": "2025-06-01"}))
    hit = [r for r in rows if r["measure"] == str(m)]
    assert hit and hit[0]["viaGroup"] == "heavy rare earth elements" and hit[0]["statusOn"] == "in_force"


def test_top_refiner_of_gallium(store):
    rows = records(run_named(store, "top-producers", {"mineral": "gallium", "stage": "refining"}))
    assert rows[0]["countryLabel"] == "China" and 98 <= float(rows[0]["share"]) <= 100
    assert {r["basis"] for r in rows if r["countryLabel"] == "China"} == {"stated", "computed"}
    assert records(run_named(store, "top-producers", {"mineral": "gallium"}))  # stage defaults to any


def test_parameters_are_bound_not_pasted(store):
    with pytest.raises(InputError):
        run_named(store, "top-producers", {"mineral": 'gallium" } DROP ALL #', "stage": "refining"})
    rows = run_named(store, "top-producers", {"mineral": "gallium", "stage": '" || true || "'})[1]
    assert rows == []
    with pytest.raises(InputError):
        run_named(store, "controls-on-mineral", {"mineral": "gallium", "asOf": "yesterday"})
    with pytest.raises(InputError):
        run_named(store, "top-producers", {"mineral": "gallium", "colour": "red"})


def test_raw_pyoxigraph_store_works_too():
    s = ox.Store()
    s.load(path=str(ontology_file("cmkg.ttl")), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_GRAPH)))
    for name in ("countries.ttl", "reference.ttl"):
        s.load(path=str(ontology_file(name)), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(REFERENCE_GRAPH)))
    rows = records(run_named(s, "top-producers", {"mineral": "gallium", "stage": "refining"}))
    assert rows[0]["countryLabel"] == "China"


def test_what_china_put_under_licensing_since_2023(store):
    rows = records(run_named(store, "controls-since", {"country": "PRC", "since": "2023-01-01", "measure": "licensing"}))
    items = {r["itemLabel"] for r in rows}
    assert {"gallium", "germanium", "graphite", "antimony", "tungsten", "dysprosium", "holmium"} <= items
    assert {r["measureType"] for r in rows} == {"licensing"}
    assert min(r["announced"] for r in rows) >= "2023-01-01"
    later = records(run_named(store, "controls-since", {"country": "China", "since": "2025-04-01"}))
    assert "gallium" not in {r["itemLabel"] for r in later if r["instrument"].endswith("of 2023")}
    assert "dysprosium" in {r["itemLabel"] for r in later}
