"""Each analysis question has a saved SPARQL twin (graph/queries/analysis-*.rq) that must agree with networkx.

Checked on the fixture graph and on the graph built from the seed article with the shipped
reference knowledge. Names reach SPARQL only as bound values (IRIs and plain literals).
"""

import pytest
from rdflib import Literal, URIRef

from graph.analysis.concentration import concentration
from graph.analysis.depends import depends, downstream
from graph.analysis.exposure import exposure
from graph.analysis.paths import flow_graph
from graph.network import load_view
from graph.resources import queries_dir
from tests.test_network import fixture_store

LEVELS = ("any", "component", "product", "industry")
TWIN_CLASSES = {"Material", "Component", "Product", "Technology", "Industry", "Item", "Mineral", "MineralGroup"}
DAYS = ("2023-08-01", "2024-12-31", "2025-04-10", "2025-06-09", "2025-11-09", "2026-11-28")


def twin(name: str) -> str:
    return (queries_dir() / f"analysis-{name}.rq").read_text(encoding="utf-8")


def select(store, name, **bindings):
    result = store.query(twin(name), {k: v if isinstance(v, URIRef) else Literal(v) for k, v in bindings.items()})
    return [dict(zip(result.vars, row)) for row in result.rows]


def minerals(view):
    return sorted(n for n, d in view.nodes(data=True) if d["type"] in ("Mineral", "MineralGroup"))


def check_depends(store, view):
    compared = 0
    for m in minerals(view):
        for level in LEVELS:
            rows = depends(view, m, level=None if level == "any" else level, include_group_uses=True)
            nx_items = {r["iri"]: r["inherited"] for r in rows if r["type"] in TWIN_CLASSES}
            sparql = {}
            for r in select(store, "depends", mineral=URIRef(m), level=level):
                sparql[str(r["item"])] = bool(int(r["inherited"])) and sparql.get(str(r["item"]), True)
            assert nx_items == sparql, (m, level)
            compared += len(nx_items)
    return compared


def check_exposure(store, view):
    issuers = {u for u, _, d in view.edges(data=True) if d["relation"] == "controls"}
    compared = 0
    for issuer in issuers:
        for day in DAYS:
            nx_items = {r["iri"] for r in exposure(view, issuer, day)}
            sparql = {str(r["item"]) for r in select(store, "exposure", issuer=URIRef(issuer), asOf=day)}
            assert nx_items == sparql, (issuer, day)
            compared += len(nx_items)
    return compared


def check_concentration(store, view):
    rows = concentration(view)
    for m in rows:
        [r] = select(store, "concentration", mineral=URIRef(m["market_iri"]), stage=m["stage"])
        assert (str(r["year"]), str(r["source"]), int(r["countries"])) == (str(m["year"]), m["source"], m["countries"])
        assert float(r["hhi"]) == pytest.approx(m["hhi"], abs=0.06)
        assert float(r["top"]) == pytest.approx(m["top_share"])
    return len(rows)


def check_scenario(store, view):
    compared = 0
    for m in minerals(view):
        nx_rows = {n: info["inherited"] for n, info in downstream(view, m, include_group_uses=True).items()
                   if view.nodes[n]["type"] == "Industry"}
        sparql = {str(r["industry"]): bool(int(r["inherited"])) for r in select(store, "scenario", mineral=URIRef(m))}
        assert nx_rows == sparql, m
        compared += len(sparql)
    return compared


def check_path(store, view, pairs):
    import networkx as nx

    g = flow_graph(view)
    for a, b in pairs:
        expected = a in g and b in g and nx.has_path(g, a, b)
        [r] = select(store, "path", a=URIRef(a), b=URIRef(b))
        assert r["connected"].toPython() is expected, (a, b)


def path_pairs(view):
    countries = sorted(n for n, d in view.nodes(data=True) if d["type"] == "Country")[:5]
    industries = sorted(n for n, d in view.nodes(data=True) if d["type"] == "Industry")[:8]
    ms = minerals(view)[:8]
    return [(a, b) for a in countries + ms for b in industries] + [(b, a) for a in ms[:3] for b in industries[:3]]


def test_twins_agree_on_the_fixture():
    store = fixture_store()
    view = load_view(store)
    assert check_depends(store, view) > 20
    assert check_exposure(store, view) > 5
    assert check_concentration(store, view) == 3
    assert check_scenario(store, view) > 5
    check_path(store, view, path_pairs(view))


def test_twins_take_names_only_as_bound_values():
    for name in ("depends", "exposure", "concentration", "scenario", "path"):
        text = twin(name)
        assert "{" in text and "%s" not in text and "{mineral}" not in text and "{issuer}" not in text


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    from graph.build import build
    from graph.store import open_store

    root = tmp_path_factory.mktemp("seedgraph")
    seeds = __import__("pathlib").Path(__file__).resolve().parents[1] / "seeds"
    build([str(seeds)], root / "out", root / "store", render=False, validate=False)
    with open_store(root / "store", read_only=True) as store:
        yield store


def test_twins_agree_on_the_seed_graph(seed_store):
    view = load_view(seed_store)
    assert check_depends(seed_store, view) > 50
    assert check_exposure(seed_store, view) > 5
    assert check_concentration(seed_store, view) > 5
    assert check_scenario(seed_store, view) > 5
    check_path(seed_store, view, path_pairs(view))


def test_twins_run_by_name_with_typed_names(seed_store):
    """`cmkg sparql --query analysis-… -p name=label`: names resolve to IRIs and bind as values."""
    from graph.queries import run_named

    view = load_view(seed_store)
    names, rows = run_named(seed_store, "analysis-exposure", {"issuer": "China", "asOf": "2025-11-09"})
    assert {str(r[names.index("item")]) for r in rows} == {r["iri"] for r in exposure(view, "China", "2025-11-09")}
    names, rows = run_named(seed_store, "analysis-depends", {"mineral": "dysprosium", "level": "industry"})
    expected = {r["iri"] for r in depends(view, "dysprosium", level="industry", include_group_uses=True)}
    assert {str(r[names.index("item")]) for r in rows} == expected
    # a hostile "name" is only ever a value: it matches nothing and changes no query
    with pytest.raises(Exception, match="no entity named"):
        run_named(seed_store, "analysis-depends", {"mineral": '"} } DROP ALL ; SELECT * { ?s ?p ?o'})


def test_seed_graph_answers_the_dysprosium_question(seed_store):
    rows = depends(seed_store, "dysprosium", level="industry", why=True, include_group_uses=True)
    labels = {r["label"] for r in rows}
    assert {"automotive", "wind power", "electronics", "defense", "robotics"} <= labels
    robotics = next(r for r in rows if r["label"] == "robotics")
    # the article's fact about heavy rare earths reaches dysprosium through memberOf, with its sentence
    assert robotics["inherited"] and "heavy rare earth" in robotics["via"]
    sentences = [s["sentence"] for c in robotics["chains"] for st in c["steps"] for s in st["sources"] if s["sentence"]]
    assert any("robotics" in s and "heavy rare earths" in s for s in sentences)
