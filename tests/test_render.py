"""The HTML view: what it selects, that it is self-contained and inert with hostile text, and fast."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib.util
import json
import re
import sys
import time
import types
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.analysis.in_force import in_force_on
from graph.render import (focus_nodes, graph_payload, page_html, policy_in_force, render_html, render_view,
                          resolve_focus, script_json, select_view)

ID = "https://w3id.org/cmkg/id/"
XSS_LABEL = "<script>window.__pwned=1;alert(1)</script>"
XSS_SENTENCE = 'Magnets need <img src=x onerror="window.__pwned=2;alert(2)"> dysprosium.'
XSS_TITLE = "</script><script>window.__pwned=3;alert(3)</script>"


def iri(kind: str, name: str) -> str:
    return f"{ID}{kind}/{name}"


DY, HREE = iri("mineral", "dysprosium"), iri("mineral", "heavy-rare-earth-elements")
REE = iri("mineral", "rare-earth-elements")
MAGNET, MOTOR = iri("material", "permanent-magnets"), iri("product", "electric-motors")
EV, WIND = iri("industry", "electric-vehicles"), iri("industry", "wind-power")
CHINA, US, GALLIUM = iri("country", "china"), iri("country", "united-states"), iri("mineral", "gallium")
HOSTILE, PERSON = iri("org", "hostile"), iri("person", "jane-doe")


def sample_view() -> nx.MultiDiGraph:
    """Dysprosium's chain, a group's dependent, export controls in several states, and hostile text."""
    G = nx.MultiDiGraph()
    for node, label, kind, alt in [
        (DY, "dysprosium", "Mineral", ["Dy"]), (HREE, "heavy rare earth elements", "MineralGroup", ["HREE"]),
        (REE, "rare earth elements", "MineralGroup", ["rare earths", "REE"]),
        (MAGNET, "permanent magnets", "Component", []), (MOTOR, "electric motors", "Product", []),
        (EV, "electric vehicles", "Industry", ["EVs"]), (WIND, "wind power", "Industry", []),
        (CHINA, "China", "Country", ["Beijing", "Chinese"]), (US, "United States", "Country", ["Washington"]),
        (GALLIUM, "gallium", "Mineral", ["Ga"]), (HOSTILE, XSS_LABEL, "Company", ["a\u2028b"]),
        (PERSON, "Jane Doe", "Person", []),
    ]:
        G.add_node(node, label=label, type=kind, iri=node, alt_labels=alt)
    src = {"sentence": XSS_SENTENCE, "url": "https://example.com/magnets", "article": "https://w3id.org/cmkg/article/1",
           "title": XSS_TITLE, "citation": None}
    G.add_edge(DY, HREE, relation="memberOf", sources=[])
    G.add_edge(HREE, REE, relation="memberOf", sources=[])
    G.add_edge(MAGNET, DY, relation="dependsOn", sources=[src])
    G.add_edge(MOTOR, MAGNET, relation="dependsOn", sources=[])
    G.add_edge(EV, MOTOR, relation="dependsOn", sources=[])
    G.add_edge(WIND, REE, relation="dependsOn", sources=[])
    G.add_edge(CHINA, DY, relation="controls", status="in_force", measure="licensing", effective="2025-04-04",
               lifted=None,
               sources=[{"sentence": "China restricted dysprosium.", "url": "javascript:window.__pwned=4"}])
    G.add_edge(CHINA, GALLIUM, relation="controls", status="lifted", measure="ban", effective="2024-12-03",
               lifted="2025-11-09", sources=[])
    G.add_edge(US, GALLIUM, relation="controls", status="possible", measure="ban", effective=None, lifted=None,
               sources=[])
    G.add_edge(CHINA, GALLIUM, relation="produces", stage="refining", share=98.0, year="2024", sources=[])
    G.add_edge(PERSON, HOSTILE, relation="affiliatedWith", sources=[{"sentence": XSS_SENTENCE, "url": None}])
    return G


def data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="cmkg-data">(.*?)</script>', page, re.S)
    assert m, "no JSON data block"
    return json.loads(m[1])


def start_tags(page: str) -> list[str]:
    """Tags as an HTML parser sees them (script contents are not markup)."""
    tags: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Parser().feed(page)
    return tags


def labels(payload) -> set[str]:
    return {n["label"] for n in payload["nodes"]}


# ---------------------------------------------------------------- selection


def test_focus_follows_dependents_through_groups_and_stops_at_depth():
    G = sample_view()
    keep = focus_nodes(G, [DY], 2)
    # magnets (1 step), motors (2), wind power via dysprosium's groups (memberOf is free), China (controls it)
    assert {DY, HREE, REE, MAGNET, MOTOR, WIND, CHINA} <= keep
    assert EV not in keep  # three dependsOn steps away
    assert GALLIUM not in keep and US not in keep and PERSON not in keep
    assert EV in focus_nodes(G, [DY], 3)


def test_focus_on_a_country_shows_its_neighbourhood():
    keep = focus_nodes(sample_view(), [US], 1)
    assert keep == {US, GALLIUM}


def test_focus_resolves_labels_case_insensitively_and_alt_labels():
    G = sample_view()
    assert resolve_focus(G, "DYSPROSIUM") == [DY]
    assert resolve_focus(G, "  Dy ") == [DY]
    assert resolve_focus(G, "rare earths") == [REE]
    assert resolve_focus(G, DY) == [DY]


def test_unknown_focus_suggests_near_matches():
    # the one name resolver of the package (graph.analysis.names), as `cmkg depends` uses it
    with pytest.raises(InputError, match=r"unknown entity 'dysprosum'; did you mean dysprosium\?"):
        resolve_focus(sample_view(), "dysprosum")
    with pytest.raises(InputError) as err:
        resolve_focus(sample_view(), "zzzz")
    assert "did you mean" not in str(err.value)


def test_focus_with_nothing_around_it_says_so(tmp_path):
    G = sample_view()
    G.add_node(iri("mineral", "scandium"), label="scandium", type="Mineral", iri=iri("mineral", "scandium"))
    report = render_view(G, tmp_path / "g.html", focus="scandium")
    assert report.nodes == 1 and report.focus == ("scandium",)
    assert "Nothing is linked to scandium" in report.notice
    page = report.path.read_text(encoding="utf-8")
    assert "Nothing is linked to scandium" in page
    assert data_block(page)["nodes"][0]["focus"] is True


def test_empty_graph_renders_a_page_that_says_so(tmp_path):
    report = render_view(nx.MultiDiGraph(), tmp_path / "empty.html")
    page = report.path.read_text(encoding="utf-8")
    assert report.nodes == 0 and "The graph is empty" in report.notice
    assert '<p id="cmkg-notice" class="notice">The graph is empty' in page
    assert data_block(page)["nodes"] == []


def test_types_filter_keeps_the_focus_and_rejects_unknown_types():
    G = sample_view()
    H, roots, _ = select_view(G, focus="dysprosium", depth=3, types={"Industry"})
    assert set(H) == {DY, WIND, EV}
    # chains through hidden classes become one "depends on (via ...)" edge each
    via = {(u, v): d["via"] for u, v, d in H.edges(data=True) if d["relation"] == "dependsOnVia"}
    assert via == {(EV, DY): "electric motors \u2192 permanent magnets",
                   (WIND, DY): "rare earth elements \u2192 heavy rare earth elements"}
    from graph.render import parse_types
    assert parse_types(G, "mineral, INDUSTRY") == {"Mineral", "Industry"}
    with pytest.raises(InputError, match="did you mean Mineral"):
        parse_types(G, "Minerals")


@pytest.mark.parametrize("attrs, day, expected", [
    ({"status": "in_force", "effective": "2025-04-04"}, "2025-04-04", True),
    ({"status": "in_force", "effective": "2025-04-04"}, "2025-04-03", False),
    ({"status": "lifted", "effective": "2024-12-03", "lifted": "2025-11-09"}, "2025-06-01", True),
    ({"status": "lifted", "effective": "2024-12-03", "lifted": "2025-11-09"}, "2025-11-09", False),
    ({"status": "lifted", "effective": "2024-12-03", "lifted": None}, "2025-06-01", False),
    ({"status": "possible", "effective": None}, "2030-01-01", False),
    ({"status": "in_force", "effective": "2025-10"}, "2025-09-30", False),
    ({"status": "in_force", "effective": None}, "2025-01-01", True),
    ({"status": None, "effective": None}, "2025-01-01", False),
    ({"status": "in_force", "effective": None, "announced": "2025-10-09"}, "2025-10-01", False),
    ({"status": None, "date": "2025-10-09"}, "2025-10-10", True),
    ({"status": "in_force", "effective": "2025-04-04", "suspended": "2025-11-10", "suspended_until": "2026-11-10"},
     "2026-01-01", False),
    ({"status": "in_force", "effective": "2025-04-04", "suspended": "2025-11-10", "suspended_until": "2026-11-10"},
     "2026-11-10", True),
])
def test_render_hides_exactly_what_the_shared_in_force_rule_says(attrs, day, expected):
    """render --as-of uses graph.analysis.in_force (the rule of `cmkg exposure`), not a copy of its own."""
    G = nx.MultiDiGraph()
    G.add_edge(CHINA, DY, relation="controls", sources=[], **attrs)
    kept = policy_in_force(G, dt.date.fromisoformat(day)).number_of_edges() == 1
    assert kept is in_force_on(attrs, day) is expected


def test_as_of_hides_controls_not_in_force(tmp_path):
    G = sample_view()
    H, _, _ = select_view(G, as_of=dt.date(2025, 12, 1), show_all=True)
    controls = {(u, v) for u, v, r in H.edges(data="relation") if r == "controls"}
    assert controls == {(CHINA, DY)}  # gallium ban lifted 2025-11-09, US ban only possible
    assert (CHINA, GALLIUM) in {(u, v) for u, v, r in H.edges(data="relation") if r == "produces"}
    H, _, _ = select_view(G, as_of=dt.date(2025, 1, 1), show_all=True)
    assert {(u, v) for u, v, r in H.edges(data="relation") if r == "controls"} == {(CHINA, GALLIUM)}
    with pytest.raises(InputError, match="malformed --as-of"):
        render_html(G, tmp_path / "g.html", as_of="1 May 2025")


def test_negative_depth_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="depth"):
        render_html(sample_view(), tmp_path / "g.html", focus="dysprosium", depth=-1)


# ---------------------------------------------------------------- payload


def test_payload_merges_parallel_edges_and_sizes_by_degree():
    G = sample_view()
    G.add_edge(CHINA, DY, relation="controls", status="possible", measure="ban", sources=[])
    payload = graph_payload(G, G)
    by_label = {n["label"]: n for n in payload["nodes"]}
    controls = [e for e in payload["edges"] if e["relation"] == "controls"
                and e["from"] == by_label["China"]["id"] and e["to"] == by_label["dysprosium"]["id"]]
    assert len(controls) == 1 and len(controls[0]["facts"]) == 2
    assert {f["attrs"]["status"] for f in controls[0]["facts"]} == {"in_force", "possible"}
    assert by_label["China"]["size"] > by_label["wind power"]["size"]
    assert by_label["dysprosium"]["alt"] == ["Dy"]
    assert payload["style"]["classes"]["Mineral"]["shape"]


def test_non_http_source_urls_are_never_links():
    payload = graph_payload(sample_view(), sample_view())
    sources = [s for e in payload["edges"] for f in e["facts"] for s in f["sources"]]
    assert {"sentence": "China restricted dysprosium.", "url_text": "javascript:window.__pwned=4"} in sources
    assert all(s["url"].startswith(("http://", "https://")) for s in sources if "url" in s)


# ---------------------------------------------------------------- the page


def test_page_is_self_contained_utf8_and_has_a_strict_csp(tmp_path):
    path = render_html(sample_view(), tmp_path / "g.html", title="Test <b>graph</b>")
    raw = path.read_bytes()
    page = raw.decode("utf-8")
    assert "<title>Test &lt;b&gt;graph&lt;/b&gt;</title>" in page
    # no remote or external asset of any kind
    assert not re.search(r"<(script|img|iframe|link)[^>]*\b(src|href)=\"(?!data:)", page, re.I)
    assert not re.search(r"\b(src|href)=\"(https?:)?//", page, re.I)
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]  # no lib/ folder, no temporary file
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1].replace("&#x27;", "'")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp and "http" not in csp
    # every executable inline script and every style is allowed by its hash, and nothing else is
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 2 and len(styles) == 2
    assert "vis-network" in scripts[0] and "cmkgNetwork" in scripts[1]
    for text, directive in [(s, "script-src") for s in scripts] + [(s, "style-src") for s in styles]:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        allowed = re.search(directive + r" ([^;]+)", csp)[1]
        assert f"'sha256-{digest}'" in allowed.split()
    assert "sourceMappingURL" not in page
    # deterministic: the same graph gives the same bytes (diffable, cacheable)
    assert render_html(sample_view(), tmp_path / "again.html", title="Test <b>graph</b>").read_bytes() == raw


def test_hostile_text_is_escaped_and_round_trips(tmp_path):
    page = render_html(sample_view(), tmp_path / "g.html", show_all=True).read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="cmkg-data">(.*?)</script>', page, re.S)[1]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in block
    assert page.count("</script>") == 3  # the data block, vis-network, the page script
    payload = json.loads(block)
    assert XSS_LABEL in labels(payload)
    sentences = {s.get("sentence") for e in payload["edges"] for f in e["facts"] for s in f["sources"]}
    titles = {s.get("title") for e in payload["edges"] for f in e["facts"] for s in f["sources"]}
    assert XSS_SENTENCE in sentences and XSS_TITLE in titles
    hostile = next(n for n in payload["nodes"] if n["label"] == XSS_LABEL)
    assert hostile["alt"] == ["a\u2028b"]


def test_script_json_escapes_everything_that_could_end_a_script():
    text = script_json({"k": "</script><!-- & \u2028\u2029 >"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"k": "</script><!-- & \u2028\u2029 >"}


_TRICKY = st.sampled_from(["</script>", "<!--", "-->", "<script>", "]]>", "&amp;", "\u2028", "\u2029", "\ud800",
                           "\x00", "'", '"', "`", "${x}", "\\", "</SCRIPT >", "<img src=x onerror=alert(1)>"])
_ANY_TEXT = st.lists(st.one_of(_TRICKY, st.text(st.characters(blacklist_categories=()), max_size=8)),
                     max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(label=_ANY_TEXT, sentence=_ANY_TEXT, title=_ANY_TEXT)
def test_any_text_stays_inside_the_data_block_and_round_trips(tmp_path_factory, label, sentence, title):
    G = nx.MultiDiGraph()
    G.add_node("a", label=label or "a", type="Mineral", iri="a")
    G.add_node("b", label="b", type="Company", iri="b", alt_labels=[sentence])
    G.add_edge("b", "a", relation="dependsOn", sources=[{"sentence": sentence, "url": "https://e.org/" + title}])
    path = render_html(G, tmp_path_factory.mktemp("hyp") / "g.html", title=title or "t", show_all=True)
    page = path.read_bytes().decode("utf-8")  # always valid UTF-8
    assert page.count("</script>") == 3 and page.lower().count("</script") == 3 and "<!--" not in page
    assert start_tags(page).count("script") == 3
    assert not {"img", "svg", "iframe", "object", "embed"} & set(start_tags(page))
    payload = data_block(page)
    assert payload["nodes"][0]["label"] == (label.strip() or "a")
    assert payload["edges"][0]["facts"][0]["sources"][0].get("sentence") == (sentence.strip() or None)


def test_page_html_escapes_title_summary_and_notice():
    page = page_html({"style": {}, "nodes": [], "edges": []}, title="<i>t</i>", summary="<s>", notice="<img src=x>")
    assert "<i>t</i>" not in page and "<img src=x>" not in page and "&lt;img src=x&gt;" in page


def test_write_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "g.html"
    target.write_text("old", encoding="utf-8")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        render_html(sample_view(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.html"]


def test_missing_output_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot write"):
        render_html(sample_view(), tmp_path / "no" / "such" / "g.html")


def test_twenty_thousand_nodes_render_quickly(tmp_path):
    script = Path(__file__).parents[1] / "scripts" / "bench_render.py"
    spec = importlib.util.spec_from_file_location("bench_render", script)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    G = bench.random_view(20_000)
    started = time.perf_counter()
    report = render_view(G, tmp_path / "big.html", show_all=True)
    elapsed = time.perf_counter() - started
    assert report.nodes == 20_000
    assert elapsed < 6.0, f"20k nodes took {elapsed:.1f} s (target < 2 s; pyvis from_nx takes ~20 s)"


# ---------------------------------------------------------------- CLI


class FakeStore:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class FakeObj:
    def open_store(self, read_only=False):
        assert read_only
        return FakeStore()


@pytest.fixture
def fake_network(monkeypatch):
    module = types.ModuleType("graph.network")
    module.load_view = lambda store: sample_view()
    monkeypatch.setitem(sys.modules, "graph.network", module)


def test_cli_render_writes_the_focused_view(tmp_path, fake_network):
    from graph.cli.render_cmd import render_command

    out = tmp_path / "view.html"
    result = CliRunner().invoke(render_command, ["-o", str(out), "--focus", "Dysprosium", "--depth", "1",
                                                "--types", "Mineral,MineralGroup,Component,Industry,Country",
                                                "--as-of", "2025-12-01"], obj=FakeObj())
    assert result.exit_code == 0, result.output
    assert "view.html" in result.output and "nodes" in result.output
    payload = data_block(out.read_text(encoding="utf-8"))
    assert labels(payload) == {"dysprosium", "heavy rare earth elements", "rare earth elements",
                               "permanent magnets", "wind power", "China"}


def test_cli_render_unknown_focus_is_an_input_error(tmp_path, fake_network):
    from graph.cli.render_cmd import render_command

    result = CliRunner().invoke(render_command, ["-o", str(tmp_path / "v.html"), "--focus", "dysprosum"],
                                obj=FakeObj())
    assert isinstance(result.exception, InputError)
    assert "did you mean dysprosium" in str(result.exception)
    assert not (tmp_path / "v.html").exists()


# ---------------------------------------------------------------- from a store (through graph.network)


def _store_triples():
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

    from graph.namespaces import CMKG, SCHEMA

    dy, ree, magnet, china = (URIRef(x) for x in (DY, REE, MAGNET, CHINA))
    dep, ev, art, m = (URIRef(ID + x) for x in ("fact/dep1", "evidence/ev1", "article/a1", "measure/m1"))
    en = {"lang": "en"}
    return [
        (dy, RDF.type, CMKG.Mineral), (dy, SKOS.prefLabel, Literal("dysprosium", **en)),
        (dy, SKOS.altLabel, Literal("Dy", **en)),
        (ree, RDF.type, CMKG.MineralGroup), (ree, SKOS.prefLabel, Literal("rare earth elements", **en)),
        (dy, CMKG.memberOf, ree),
        (magnet, RDF.type, CMKG.Component), (magnet, SKOS.prefLabel, Literal("permanent magnets", **en)),
        (magnet, CMKG.dependsOn, dy),
        (dep, RDF.type, CMKG.Dependency), (dep, CMKG.dependent, magnet), (dep, CMKG.requires, dy),
        (dep, PROV.wasDerivedFrom, ev),
        (ev, RDF.type, CMKG.Evidence), (ev, CMKG.sentence, Literal(XSS_SENTENCE)), (ev, DCTERMS.isPartOf, art),
        (art, RDF.type, CMKG.Article), (art, DCTERMS.title, Literal(XSS_TITLE)),
        (art, SCHEMA.url, Literal("https://example.com/a")),
        (china, RDF.type, CMKG.Country), (china, SKOS.prefLabel, Literal("China", **en)),
        (m, RDF.type, CMKG.ExportControl), (m, CMKG.issuedBy, china), (m, CMKG.covers, dy),
        (m, CMKG.status, CMKG.InForce), (m, CMKG.measureType, CMKG.Licensing),
        (m, CMKG.effectiveOn, Literal("2025-04-04", datatype=XSD.date)),
        (m, DCTERMS.source, URIRef("https://example.com/mofcom")),
    ]


def test_render_store_draws_the_view_of_a_real_store(tmp_path):
    from graph.namespaces import article_graph_iri
    from graph.render import render_store_report
    from graph.store import open_store

    with open_store(tmp_path / "store") as store:
        empty = render_store_report(store, tmp_path / "empty.html")
        assert empty.nodes == 0 and "empty" in empty.notice
        store.replace_graph(article_graph_iri("a1"), _store_triples())
    with open_store(tmp_path / "store", read_only=True) as store:
        report = render_store_report(store, tmp_path / "dy.html", focus="dy", as_of="2025-05-01")
        before = render_store_report(store, tmp_path / "early.html", focus="dy", as_of="2025-01-01")
    payload = data_block(report.path.read_text(encoding="utf-8"))
    assert labels(payload) == {"dysprosium", "rare earth elements", "permanent magnets", "China"}
    facts = {e["relation"]: e["facts"] for e in payload["edges"]}
    assert facts["controls"][0]["attrs"]["status"] == "in_force"
    assert facts["dependsOn"][0]["sources"][0]["sentence"] == XSS_SENTENCE
    assert facts["dependsOn"][0]["sources"][0]["url"] == "https://example.com/a"
    assert "China" not in labels(data_block(before.path.read_text(encoding="utf-8")))


# ---------------------------------------------------------------- pyvis for those who script it


def test_to_pyvis_gives_the_same_nodes_styles_text_tooltips_and_focus():
    from pyvis.network import Network

    from graph.render import build_payload, to_pyvis

    G = sample_view()
    net = to_pyvis(G, focus="dysprosium", depth=3)
    assert isinstance(net, Network)
    payload, _, _, _ = build_payload(G, focus="dysprosium", depth=3)
    assert [n["id"] for n in net.nodes] == [n["id"] for n in payload["nodes"]] == net.get_nodes()
    assert {n["label"].replace("\n", " ") for n in net.nodes} == labels(payload)  # long labels wrap, never cut
    by_label = {n["label"]: n for n in net.nodes}
    assert by_label["dysprosium"]["borderWidth"] == 4 and by_label["China"]["borderWidth"] == 1
    assert by_label["dysprosium"]["shape"] == "dot" and by_label["China"]["shape"] == "diamond"
    assert by_label["dysprosium"]["color"]["background"] == payload["style"]["classes"]["Mineral"]["color"]
    assert by_label["dysprosium"]["title"].startswith("dysprosium\nMineral\n")
    assert "<" not in "".join(n["title"] for n in net.nodes)  # plain text, no markup
    control = next(e for e in net.edges if "export control" in e["title"])
    assert "Status: in force since 4 April 2025" in control["title"]
    assert len(net.edges) == len(payload["edges"])
    html = net.generate_html(notebook=False)
    assert "dysprosium" in html and "vis-network" in html


def test_to_pyvis_is_linear_on_a_big_view():
    import importlib.util as iu

    from graph.render import to_pyvis

    spec = iu.spec_from_file_location("bench_render", Path(__file__).parents[1] / "scripts" / "bench_render.py")
    bench = iu.module_from_spec(spec)
    spec.loader.exec_module(bench)
    G = bench.random_view(20_000)
    started = time.perf_counter()
    net = to_pyvis(G, show_all=True, notebook=False)
    elapsed = time.perf_counter() - started
    assert len(net.nodes) == 20_000
    assert elapsed < 8.0, f"to_pyvis took {elapsed:.1f} s for 20k nodes (pyvis from_nx takes about 14 s)"


def test_evidence_and_group_level_uses_in_words_and_on_the_edge():
    G = sample_view()
    G.edges[WIND, REE, 0].update(strength=0.9, kind="official", n_sources=2, group_level=True)
    payload = graph_payload(G, G)
    by_label = {n["label"]: n["id"] for n in payload["nodes"]}
    edge = next(e for e in payload["edges"] if e["from"] == by_label["wind power"] and e["relation"] == "dependsOn")
    assert edge["strength"] == 0.9 and edge["group_level"] is True
    words = dict(edge["facts"][0]["words"])
    assert words["Evidence"] == "strong (0.90); best: official source; 2 independent sources"
    assert words["Stated for"].startswith("the group as a whole")
    assert not any(k in ("strength", "n_sources", "group_level", "kind") for k in words)
