"""Hostile text: random Unicode, very long lines and huge repeated lists must not crash the extractor,
every fact must point into the text, the article's graph must be writable to a store, and the time
taken must grow linearly with the input (measured at N, 2N, 4N, 8N; quadratic would be 64x)."""

from __future__ import annotations

import time
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.articles import article_from_text
from graph.errors import InputError

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

WORDS = ["gallium", "germanium", "dysprosium", "rare earths", "China", "United States", "export controls",
         "magnets", "semiconductors", "depends on", "produces 90%", "of global", "refining", "2025", "tariff",
         "Ministry of Commerce", "lithium", "cobalt", "Japan", "wind turbines", "—", "\n", ".", ",", ";", "(", ")"]


def _extract(text: str, name: str = "x.txt"):
    from graph.extract import extract

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "date ... is not a date": expected for random headers
            article = article_from_text(text, name)
    except InputError:
        return None, []
    return article, extract(article)


def _check_facts(article, facts):
    """Every fact has evidence that points into the article's text."""
    for fact in facts:
        ev = fact.evidence
        if ev is None:
            continue
        assert 0 <= ev.start <= ev.end <= len(article.text), (ev.start, ev.end, len(article.text))
        assert ev.sentence, fact


def _writable(article, facts, tmp_store):
    """The article's graph goes into a store without an error (no invalid IRI or literal)."""
    from graph.article_rdf import article_graph

    g = article_graph(article, facts)
    tmp_store.replace_graph(article.graph_iri, list(g))


@pytest.fixture(scope="module")
def mem_store():
    from graph.store import KnowledgeStore

    return KnowledgeStore(None)


@SETTINGS
@given(st.text(max_size=3000))
def test_random_unicode_never_crashes(text):
    article, facts = _extract(text)
    if article is not None:
        _check_facts(article, facts)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=300).map(" ".join))
def test_mineral_soup_never_crashes_and_facts_point_into_the_text(text):
    article, facts = _extract(text)
    if article is not None:
        _check_facts(article, facts)


@SETTINGS
@given(title=st.text(max_size=80), url=st.text(max_size=80), source=st.text(max_size=40),
       date=st.text(max_size=12), body=st.lists(st.sampled_from(WORDS), min_size=1, max_size=80).map(" ".join))
def test_hostile_header_still_gives_a_writable_graph(mem_store, title, url, source, date, body):
    """Whatever a header says (a URL with spaces, quotes or `<script>`, a title with braces), the graph
    of the article can be stored: nothing raises from the store, and the evidence is in the text."""
    clean = lambda s: s.replace("\n", " ").replace("\r", " ")  # noqa: E731 - a header value is one line
    text = f"title: {clean(title)}\nsource: {clean(source)}\nurl: {clean(url)}\ndate: {clean(date)}\n---\n{body}\n"
    article, facts = _extract(text)
    if article is None:
        return
    _check_facts(article, facts)
    _writable(article, facts, mem_store)


def test_script_tags_and_injection_in_url_are_stored_safely(mem_store):
    from tests.test_reliability_support import BAD

    text = (BAD / "hostile.txt").read_text(encoding="utf-8")
    article, facts = _extract(text, "hostile.txt")
    assert facts, "the hostile article still names gallium and China"
    _writable(article, facts, mem_store)
    evil = ("title: x\nurl: http://e.org/a> } ; DROP ALL ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } } #\n"
            "---\nChina restricted exports of gallium.\n")
    article, facts = _extract(evil)
    before = len(mem_store)
    _writable(article, facts, mem_store)
    assert not list(mem_store.oxigraph.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode("urn:g")))
    assert len(mem_store) >= before


def test_very_long_line_and_huge_list_do_not_crash():
    line = "gallium germanium " * 5000  # 90 kB, one line, no punctuation
    article, facts = _extract("China restricted exports of " + line)
    _check_facts(article, facts)
    listing = "China restricted exports of " + "gallium, germanium, " * 1000 + "and antimony."
    article, facts = _extract(listing)
    _check_facts(article, facts)
    assert len(facts) < 20 * 1000, "facts grow with the distinct pairs, not with the repetitions squared"


# -- time grows linearly ---------------------------------------------------------------------------------

SHAPES = {
    # one huge sentence, a list of the same two minerals
    "list in one sentence": lambda n: "China restricted exports of " + "gallium, germanium, " * n + "and antimony.",
    # many short sentences, each with an entity (sentence lookups per mention must not be quadratic)
    "many sentences": lambda n: "China produces gallium. Japan depends on germanium. " * n,
    # one line with no sentence end at all
    "one endless line": lambda n: "China gallium germanium magnets " * n,
    # many distinct country-mineral pairs in one sentence (pairwise rules are the risk)
    "countries and minerals": lambda n: "China, Japan, gallium, Russia, germanium, Chile, lithium, " * n + "depend.",
}


def _seconds(text: str, repeats: int = 2) -> float:
    from graph.extract import extract

    article = article_from_text(text, "x.txt")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        extract(article)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("shape", list(SHAPES))
def test_time_grows_linearly(shape):
    make = SHAPES[shape]
    _seconds(make(10), repeats=1)  # warm up: the pipeline and the gazetteer load once
    n = 100
    # pick N so the smallest run is long enough to measure (>= 25 ms) and a quadratic term shows
    while _seconds(make(n), repeats=1) < 0.025 and n < 3200:
        n *= 2
    times = {}
    for k in (1, 2, 4, 8):
        times[k] = _seconds(make(k * n))
        # linear: ~k x; quadratic: ~k^2 x. 2.5k leaves room for noise on a busy machine (stop early when
        # the growth is already clearly quadratic, so a regression fails fast instead of running long).
        if k > 1 and times[k] / max(times[1], 1e-3) > 2.5 * k:
            break
    report = f"{shape}: N={n}: " + ", ".join(f"{k}N {t * 1000:.0f} ms" for k, t in times.items())
    assert 8 in times and times[8] / max(times[1], 1e-3) < 20, "time grows faster than linearly: " + report
    assert times[8] < 8.0, report


def test_render_escapes_script_and_img_tags(tmp_path):
    """An article carrying `<script>` and `<img onerror>` in its title, source, URL and text: the HTML view
    shows them as text, never as live tags."""
    from graph.cli import cli
    from tests.test_reliability_support import BAD, cmkg_inproc, fresh_seeded_store

    if "render" not in cli.commands:
        pytest.fail("`cmkg render` is missing")
    store = fresh_seeded_store(tmp_path / "store", tmp_path)
    run = cmkg_inproc("ingest", str(BAD / "hostile.txt"), store=store)
    assert run.code == 0, run.err
    out = tmp_path / "g.html"
    run = cmkg_inproc("render", "-o", str(out), store=store)
    assert run.code == 0, run.err
    html = out.read_text(encoding="utf-8")
    assert "alert(1)" in html, "the hostile article's text is not in the view: nothing was tested"
    for live in ("<script>alert(1)</script>", "<script>alert(2)</script>", "<img src=x onerror=alert(1)>",
                 "</script><script>"):
        assert live not in html, f"{live!r} is live in the HTML view"
