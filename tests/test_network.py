"""The networkx view: typed nodes, relations with their sources, group membership, caching, bad input."""

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from graph.errors import InputError
from graph.namespaces import ID
from graph.network import SOURCE_KEYS, clear_cache, load_view
from graph.store import KnowledgeStore

FIXTURE = Path(__file__).parent / "data" / "analysis_fixture.trig"


def fixture_quads() -> dict:
    graphs = defaultdict(list)
    for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG):
        graphs[q.graph_name].append(ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def fixture_store_graphs() -> dict:
    from graph.adapters.oxrdflib_terms import from_ox

    return {from_ox(g): [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in ts]
            for g, ts in fixture_quads().items()}


def fixture_store() -> KnowledgeStore:
    """An in-memory store holding the analysis fixture (ontology, reference and one article graph)."""
    store = KnowledgeStore(None)
    store.replace_graphs(fixture_store_graphs())
    return store


def iri(path: str) -> str:
    return f"{ID}{path}"


@pytest.fixture
def view():
    return load_view(fixture_store())


def test_nodes_are_typed_and_labelled(view):
    dy = view.nodes[iri("mineral/dysprosium")]
    assert dy["label"] == "dysprosium" and dy["type"] == "Mineral" and dy["iri"] == iri("mineral/dysprosium")
    assert "Dy" in dy["alt_labels"]
    assert view.nodes[iri("mineral/heavy-rare-earth-elements")]["type"] == "MineralGroup"  # most specific type
    assert view.nodes[iri("material/ndfeb-magnets")]["type"] == "Component"
    assert set(view.nodes[iri("country/china")]["alt_labels"]) == {"Chinese", "Beijing"}
    # statements, evidence and ontology terms are not nodes
    assert not any("/fact/" in n or "/evidence/" in n or "/measure/" in n for n in view)


def test_group_membership_is_applied(view):
    dy = view.nodes[iri("mineral/dysprosium")]
    assert dy["groups"] == [iri("mineral/heavy-rare-earth-elements"), iri("mineral/rare-earth-elements")]
    assert set(view.nodes[iri("mineral/rare-earth-elements")]["members"]) == {
        iri("mineral/dysprosium"), iri("mineral/terbium"), iri("mineral/neodymium"),
        iri("mineral/heavy-rare-earth-elements")}


def test_every_relation_is_loaded_with_sources(view):
    relations = {d["relation"] for _, _, d in view.edges(data=True)}
    assert relations == {"dependsOn", "memberOf", "controls", "tariff", "produces", "dominates", "affiliatedWith"}
    for _, _, d in view.edges(data=True):
        assert isinstance(d["sources"], list)
        for s in d["sources"]:
            assert tuple(s) == SOURCE_KEYS
    article_edge = view.edges[iri("product/robots"), iri("mineral/heavy-rare-earth-elements"), "dependsOn"]
    [src] = article_edge["sources"]
    assert "medium and heavy rare earths" in src["sentence"]
    assert src["url"] == "https://www.toutiao.com/article/7513793370133627407/"
    assert src["article"].endswith("/article/338a74fefc3e312e") and src["title"].startswith("China's success")
    assert "Observer Network" in src["citation"]
    ref_edge = view.edges[iri("material/ndfeb-magnets"), iri("mineral/dysprosium"), "dependsOn"]
    assert ref_edge["share"] == 60.0
    assert ref_edge["sources"][0]["url"] == ref_edge["sources"][0]["citation"] and ref_edge["sources"][0]["sentence"] is None


def test_membership_edges_carry_their_claims_sources(view):
    edge = view.edges[iri("mineral/dysprosium"), iri("mineral/heavy-rare-earth-elements"), "memberOf"]
    assert [s["url"] for s in edge["sources"]] == ["https://keygroupenergies.com/mineral-resource-of-the-month-rare-earth-elements/"]
    # a disputed claim (no consensus memberOf edge) adds no edge
    assert iri("mineral/gadolinium") not in view


def test_controls_and_production_attributes(view):
    china = iri("country/china")
    ctl = view.edges[china, iri("mineral/dysprosium"), iri("measure/mofcom-2025-18")]
    assert ctl["relation"] == "controls" and ctl["status"] == "in_force" and ctl["measure"] == "licensing"
    assert ctl["effective"] == "2025-04-04"
    assert ctl["instrument"] == "MOFCOM Announcement No. 18 of 2025"  # from its announcement
    assert ctl["sources"][0]["url"].startswith("https://rawmaterials.net/")
    susp = view.edges[china, iri("material/ndfeb-magnets"), iri("measure/mofcom-2025-56")]
    assert (susp["suspended"], susp["suspended_until"], susp["status"]) == ("2025-11-07", "2026-11-10", "lifted")
    share = view.edges[china, iri("mineral/rare-earth-elements"), iri("fact/share-ree-mining-cn-2024")]
    assert (share["relation"], share["stage"], share["share"], share["year"]) == ("produces", "mining", 69.2, 2024)
    tariff = view.edges[iri("country/united-states"), china, iri("measure/a1-tariff")]
    assert tariff["relation"] == "tariff" and tariff["rate"] == 145.0 and tariff["date"] == "2025-04-02"
    aff = view.edges[iri("person/andrew-gilholm"), iri("org/control-risks"), "affiliatedWith"]
    assert aff["role"] == "head of China analysis"


def test_view_is_cached_per_store_state():
    clear_cache()
    store = fixture_store()
    first = load_view(store)
    assert load_view(store) is first
    toys = URIRef(iri("industry/toys"))
    store.replace_graph(URIRef("https://w3id.org/cmkg/graph/article/extra"),
                        [(toys, URIRef("https://w3id.org/cmkg/ontology#dependsOn"), URIRef(iri("mineral/dysprosium")))])
    second = load_view(store)
    assert second is not first and str(toys) in second and str(toys) not in first


def test_view_of_a_store_on_disk_is_shared_until_it_changes(tmp_path):
    from graph.store import open_store

    clear_cache()
    with open_store(tmp_path / "s") as store:
        store.replace_graphs(fixture_store_graphs())
    with open_store(tmp_path / "s", read_only=True) as a:
        first = load_view(a)
    with open_store(tmp_path / "s", read_only=True) as b:
        assert load_view(b) is first
    with open_store(tmp_path / "s") as c:
        c.remove_graphs([URIRef("https://w3id.org/cmkg/graph/article/338a74fefc3e312e")])
        assert iri("product/robots") not in load_view(c)


def test_empty_store_is_a_clear_error():
    with pytest.raises(InputError, match="empty"):
        load_view(KnowledgeStore(None))


def test_store_with_no_entities_is_a_clear_error():
    from rdflib import Literal, URIRef

    store = KnowledgeStore(None)
    store.replace_graph(URIRef("https://w3id.org/cmkg/graph/reference"),
                        [(URIRef("http://example.org/x"), URIRef("http://example.org/p"), Literal("y"))])
    with pytest.raises(InputError, match="no entities"):
        load_view(store)


def test_sources_carry_kind_confidence_and_date(view):
    ref = view.edges[iri("material/ndfeb-magnets"), iri("mineral/terbium"), "dependsOn"]
    assert ref["sources"][0]["kind"] == "official" and ref["kind"] == "official" and ref["strength"] == 1.0
    art = view.edges[iri("industry/semiconductors"), iri("mineral/manganese"), "dependsOn"]
    [src] = art["sources"]
    assert (src["kind"], src["confidence"], src["date"]) == (None, 0.6, "2025-06-09")  # kind from its URL: news
    assert art["kind"] == "news" and art["strength"] < 0.5 and art["n_sources"] == 1


def test_group_level_uses_and_newest_source(view):
    assert view.edges[iri("material/ree-catalysts"), iri("mineral/rare-earth-elements"), "dependsOn"]["group_level"]
    assert not view.edges[iri("material/ndfeb-magnets"), iri("mineral/terbium"), "dependsOn"]["group_level"]
    assert view.graph["newest_source"] == "2025-06-09"


def test_entity_types_come_from_the_ontology():
    from graph.network import ENTITY_TYPES, ITEM_TYPES, POLITY_TYPES

    assert POLITY_TYPES == {"Polity", "Country", "Bloc"}
    assert {"Mineral", "MineralGroup", "Component", "Material", "Product", "Technology", "Item"} == ITEM_TYPES
    # most specific first: a group is typed MineralGroup, not Mineral; a component not a material
    assert ENTITY_TYPES.index("MineralGroup") < ENTITY_TYPES.index("Mineral")
    assert ENTITY_TYPES.index("Component") < ENTITY_TYPES.index("Material")


def test_the_view_is_built_through_networkx_api_only():
    """No writes into networkx internals (_succ/_pred) and no private cache clearing."""
    source = (Path(__file__).parents[1] / "graph" / "network.py").read_text(encoding="utf-8")
    assert "._succ" not in source and "._pred" not in source and "_clear_cache" not in source
