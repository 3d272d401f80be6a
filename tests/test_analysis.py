"""The analyses on the fixture graph: depends, exposure, concentration, scenario, path, ask, names, CLI."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from graph.analysis.ask import UnknownQuestion, ask, examples, parse
from graph.analysis.concentration import concentration
from graph.analysis.depends import depends, group_uses
from graph.analysis.evidence import best_kind, edge_strength, strength_level
from graph.analysis.exposure import as_of_default, exposure
from graph.analysis.in_force import in_force_on, status_on
from graph.analysis.names import resolve, suggestions
from graph.analysis.paths import path
from graph.analysis.scenario import parse_restrictions, scenario
from graph.dates import parse_day
from graph.errors import InputError
from graph.network import load_view
from tests.test_network import fixture_store, fixture_store_graphs, iri


@pytest.fixture(scope="module")
def view():
    return load_view(fixture_store())


# -- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("dysprosium", "mineral/dysprosium"), ("Dy", "mineral/dysprosium"), ("DYSPROSIUM", "mineral/dysprosium"),
    ("heavy rare earths", "mineral/heavy-rare-earth-elements"), ("Chinese", "country/china"),
    ("Beijing", "country/china"), ("robot", "product/robots"), ("neodymium magnet", "material/ndfeb-magnets"),
    ("defence", "industry/defense"), ("mineral/gallium", "mineral/gallium"), (iri("industry/robotics"), "industry/robotics"),
])
def test_names_resolve_through_labels(view, name, expected):
    assert resolve(view, name) == iri(expected)


def test_near_miss_gets_did_you_mean(view):
    with pytest.raises(InputError, match=r"unknown mineral 'dysprosim'; did you mean dysprosium\?"):
        resolve(view, "dysprosim", "mineral")
    assert suggestions(view, "teribum", "mineral")[0] == "terbium"


def test_name_of_the_wrong_kind_says_what_it_is(view):
    with pytest.raises(InputError, match="'China' is a Country, not a mineral"):
        resolve(view, "China", "mineral")
    with pytest.raises(InputError, match="unknown country 'Atlantis'"):
        resolve(view, "Atlantis", "country")


# -- depends -------------------------------------------------------------------------------------

def test_industries_downstream_of_dysprosium(view):
    rows = depends(view, "dysprosium", level="industry")
    labels = [r["label"] for r in rows]
    # group uses (robots need "heavy rare earths", catalysts need "rare earths") are not dysprosium's uses
    assert set(labels) == {"automotive", "wind power", "electronics", "defense"}
    assert all(r["type"] == "Industry" and not r["inherited"] for r in rows)
    # ranked by evidence: the chains cited to IEA/USGS and a state survey before the one cited to a vendor page
    assert labels[-1] == "defense" and rows[-1]["evidence"] == "moderate" and rows[0]["evidence"] == "strong"
    assert rows[0]["kinds"] == ["official", "official", "industry"]


def test_group_uses_only_when_asked(view):
    assert group_uses(view, "dysprosium", level="industry") == {
        "heavy rare earth elements": ["robotics"], "rare earth elements": ["petroleum refining"]}
    rows = depends(view, "dysprosium", level="industry", include_group_uses=True)
    labels = [r["label"] for r in rows]
    assert {"robotics", "petroleum refining"} <= set(labels)
    robotics = next(r for r in rows if r["label"] == "robotics")
    assert robotics["inherited"] and robotics["via"] == "heavy rare earth elements"
    assert robotics["chain"] == "robotics → robots → heavy rare earth elements ⊃ dysprosium"
    # own uses rank before uses stated for a group
    assert max(labels.index(x) for x in ("automotive", "defense")) < labels.index("robotics")


@pytest.mark.parametrize("mineral", ["dysprosium", "terbium"])
def test_terbium_and_dysprosium_reach_wind_and_evs_directly(view, mineral):
    rows = {r["label"]: r for r in depends(view, mineral, level="industry")}
    for industry in ("wind power", "automotive"):
        assert not rows[industry]["inherited"] and rows[industry]["via"] == ""
        assert rows[industry]["chain"].endswith("NdFeB permanent magnets → " + mineral)
    assert "petroleum refining" not in rows


def test_a_single_article_sentence_never_outranks_a_cited_chain(view):
    rows = depends(view, "manganese", level="industry")
    assert [r["label"] for r in rows] == ["construction", "steel industry", "semiconductors"]
    semis = rows[-1]
    assert semis["distance"] == 1 and semis["evidence"] == "weak" and semis["kinds"] == ["news"]
    assert rows[0]["strength"] > 0.5 > semis["strength"]


@pytest.mark.parametrize("level, expected", [
    ("component", {"NdFeB permanent magnets", "Terfenol-D"}),
    ("product", {"EV traction motors", "wind turbine generators", "hard disk drives", "sonar"}),
])
def test_depends_by_level(view, level, expected):
    assert {r["label"] for r in depends(view, "Dy", level=level)} == expected


def test_depends_of_a_group_reaches_what_needs_its_members(view):
    labels = {r["label"] for r in depends(view, "heavy rare earth elements", level="industry")}
    assert {"automotive", "defense", "robotics"} <= labels
    assert "petroleum refining" not in labels  # a use of the whole group, not of heavy rare earths
    assert "petroleum refining" in {r["label"] for r in depends(view, "rare earths", level="industry")}
    assert {r["label"] for r in depends(view, "gallium")} == {"GaN power chips", "semiconductors"}


def test_why_gives_every_chain_with_sources(view):
    rows = depends(view, "dysprosium", level="industry", why=True, include_group_uses=True)
    auto = next(r for r in rows if r["label"] == "automotive")
    [chain] = auto["chains"]
    assert [s["relation"] for s in chain["steps"]] == ["dependsOn"] * 3
    assert chain["steps"][-1]["sources"][0]["url"] == "http://www.wsgs.uwyo.edu/research/minerals/REE-Uses.aspx"
    assert [s["kind"] for s in chain["steps"]] == ["official", "official", "industry"]
    robotics = next(r for r in rows if r["label"] == "robotics")
    steps = robotics["chains"][0]["steps"]
    assert steps[-1]["relation"] == "includes"
    assert "medium and heavy rare earths" in steps[0]["sources"][0]["sentence"]
    defense = next(r for r in rows if r["label"] == "defense")
    assert defense["chains"][0]["text"] == "defense → sonar → Terfenol-D → dysprosium"


def test_depends_bad_input(view):
    with pytest.raises(InputError, match="unknown level 'planet'; choose one of component, product, industry"):
        depends(view, "dysprosium", level="planet")
    with pytest.raises(InputError, match="did you mean dysprosium"):
        depends(view, "dysprosum")


# -- evidence ------------------------------------------------------------------------------------

def test_edge_strength_from_source_kind_count_and_confidence():
    official = {"url": "https://pubs.usgs.gov/a.pdf", "article": None, "kind": None, "confidence": None}
    vendor = {"url": "https://example.com/x", "article": None, "kind": None, "confidence": None}
    article = {"url": "https://www.reuters.com/a", "article": "urn:a1", "kind": None, "confidence": 0.9}
    other_article = dict(article, article="urn:a2")
    trade = dict(article, article="urn:a3", kind="trade_press")
    assert edge_strength([official]) == 1.0
    assert edge_strength([vendor]) == pytest.approx(0.6)
    assert edge_strength([article]) < edge_strength([trade]) < edge_strength([vendor])
    # two independent articles are stronger than one; the same article twice is not
    assert edge_strength([article, other_article]) > edge_strength([article]) == edge_strength([article, article])
    assert edge_strength([]) == 0.0 and strength_level(0.0) == "unsourced"
    assert best_kind([vendor, official]) == "official"


# -- exposure ------------------------------------------------------------------------------------

def test_exposure_on_a_day(view):
    rows = exposure(view, "China", "2025-06-01")
    assert [r["item"] for r in rows] == ["dysprosium", "terbium", "gallium", "heavy rare earth elements"]
    dy = rows[0]
    assert dy["measures"] == ["MOFCOM Announcement No. 18 of 2025 (since 2025-04-04)"] and dy["since"] == "2025-04-04"
    assert dy["status"] == "in_force" and dy["basis"] == "reference"
    assert dy["n_industries"] == 4 and "robotics" not in dy["industries"]
    # only an article reports a control on the whole group: kept, but marked and ranked after the reference
    hree = rows[-1]
    assert hree["basis"] == "articles" and hree["members"] == ["dysprosium", "terbium"]
    # robots need heavy rare earths only by an article sentence: listed apart, not counted in the reach
    assert hree["weakly_linked"] == ["robotics"] and "robotics" not in hree["industries"]
    assert "titanium" not in [r["item"] for r in exposure(view, "China", "2030-01-01")]  # only "possible"


def test_exposure_in_2010_lists_the_rare_earth_embargo(view):
    [row] = exposure(view, "China", "2010-10-15")
    assert row["item"] == "rare earth elements" and row["status"] == "in_force" and row["since"] == "2010-09-01"
    assert exposure(view, "China", "2010-12-01") == []  # expired in November 2010


@pytest.mark.parametrize("day, status", [("2025-10-01", None), ("2025-11-08", "suspended"),
                                         ("2025-12-01", "suspended"), ("2026-11-09", "suspended"),
                                         ("2026-11-10", "in_force")])
def test_suspended_measure_is_marked_until_the_suspension_ends(view, day, status):
    rows = {r["item"]: r for r in exposure(view, "China", day)}
    magnets = rows.get("NdFeB permanent magnets")
    assert (magnets and magnets["status"]) == status
    if status == "suspended":
        assert magnets["measures"] == ["MOFCOM Announcement No. 56 of 2025 (suspended until 2026-11-10)"]
        assert list(rows)[-1] == "NdFeB permanent magnets"  # in force first


def test_as_of_defaults_to_the_newest_source(view):
    assert as_of_default(view).isoformat() == "2025-06-09"
    assert exposure(view, "China") == exposure(view, "China", "2025-06-09")


def test_before_any_control_nothing_is_exposed(view):
    assert exposure(view, "Beijing", "2023-07-31") == []
    assert [r["item"] for r in exposure(view, "China", "2023-08-01")] == ["gallium"]


# One case table for "in force on D": graph.analysis.in_force.status_on and the SPARQL twins.
STATUS_CASES = [
    # (reported status, dates, day, expected status on the day)
    ("in_force", {"effective": "2025-04-04"}, "2025-06-01", "in_force"),
    ("in_force", {"effective": "2025-04-04"}, "2025-04-03", "not_yet_in_force"),
    ("in_force", {"date": "2025-04"}, "2025-04-01", "in_force"),
    ("in_force", {}, "2020-01-01", "in_force"),
    (None, {}, "2020-01-01", "unknown"),
    ("suspended", {"effective": "2025-11-08", "suspended": "2025-11-10", "suspended_until": "2026-11-10"},
     "2025-12-01", "suspended"),
    ("suspended", {"effective": "2025-11-08", "suspended": "2025-11-10", "suspended_until": "2026-11-10"},
     "2026-11-10", "in_force"),  # suspension over
    ("lifted", {"effective": "2025-10-09", "suspended": "2025-11-07", "suspended_until": "2026-11-10"},
     "2025-10-20", "in_force"),  # before the suspension
    ("suspended", {"effective": "2025-10-09"}, "2025-12-01", "suspended"),
    ("lifted", {"effective": "2024-01-01", "lifted": "2024-06"}, "2024-06-01", "lifted"),
    ("lifted", {"effective": "2024-01-01", "lifted": "2024-06"}, "2024-05-31", "in_force"),
    ("lifted", {"effective": "2024-01-01"}, "2025-01-01", "lifted"),
    ("possible", {"effective": "2020-01-01"}, "2025-01-01", "possible"),
    ("expired", {"effective": "2010-09", "lifted": "2010-11"}, "2010-10-15", "in_force"),
    ("expired", {"effective": "2010-09", "lifted": "2010-11"}, "2011-01-01", "expired"),
    ("expired", {"effective": "2010-09"}, "2011-01-01", "expired"),
]
_DATE_PROPS = {"effective": "effectiveOn", "announced": "announcedOn", "date": "date", "suspended": "suspendedOn",
               "suspended_until": "suspendedUntil", "lifted": "liftedOn"}


def _case_store(cases):
    """One reference measure per case, each covering its own item, issued by China."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

    from graph.dates import precision
    from graph.knowledge import knowledge_files, read_triples
    from graph.namespaces import CMKG, ID, ONTOLOGY_GRAPH
    from graph.store import KnowledgeStore

    store = KnowledgeStore(None)
    store.replace_graphs({ONTOLOGY_GRAPH: read_triples(knowledge_files()[ONTOLOGY_GRAPH])})
    china = URIRef(f"{ID}country/china")
    triples = [(china, RDF.type, CMKG.Country), (china, SKOS.prefLabel, Literal("China", lang="en"))]
    for i, (reported, dates, _, _) in enumerate(cases):
        m, item = URIRef(f"{ID}measure/case-{i}"), URIRef(f"{ID}mineral/case-{i}")
        triples += [(item, RDF.type, CMKG.Mineral), (item, SKOS.prefLabel, Literal(f"case {i}", lang="en")),
                    (m, RDF.type, CMKG.ExportControl), (m, CMKG.issuedBy, china), (m, CMKG.covers, item),
                    (m, DCTERMS.source, URIRef("https://example.org/case"))]
        if reported:
            triples.append((m, CMKG.status, CMKG[{"in_force": "InForce"}.get(reported, reported.title())]))
        for key, value in dates.items():
            triples.append((m, CMKG[_DATE_PROPS[key]], Literal(value, datatype=XSD[precision(value)])))
    store.replace_graphs({URIRef("https://w3id.org/cmkg/graph/cases"): triples})
    return store


@pytest.mark.parametrize("case", range(len(STATUS_CASES)))
def test_status_on_case_table(case):
    reported, dates, day, expected = STATUS_CASES[case]
    assert status_on({"status": reported, **dates}, day) == expected
    assert in_force_on({"status": reported, **dates}, day) is (expected == "in_force")


def test_status_case_table_in_sparql_and_in_exposure():
    """The SPARQL twins compute the same status for every case; exposure lists exactly the in force and suspended."""
    from graph.queries import run_named

    store = _case_store(STATUS_CASES)
    view = load_view(store)
    for day in sorted({c[2] for c in STATUS_CASES}):
        names, rows = run_named(store, "export-controls-as-of", {"country": "China", "asOf": day})
        sparql = {str(r[names.index("item")]).rsplit("-", 1)[-1]: str(r[names.index("statusOn")]) for r in rows}
        python = {str(i): status_on({"status": c[0], **c[1]}, day) for i, c in enumerate(STATUS_CASES)}
        assert {k: python[k] for k in sparql} == sparql, day
        names, rows = run_named(store, "analysis-exposure", {"issuer": "China", "asOf": day})
        twin = {str(r[names.index("item")]).rsplit("-", 1)[-1]: str(r[names.index("status")]) for r in rows}
        listed = {r["iri"].rsplit("-", 1)[-1]: r["status"] for r in exposure(view, "China", day)}
        assert listed == twin == {k: v for k, v in python.items() if v in ("in_force", "suspended")}, day


@pytest.mark.parametrize("text", ["2025-13-01", "yesterday", "2025/06/01", "2025-02-30"])
def test_malformed_date(view, text):
    with pytest.raises(InputError, match="malformed --as-of '.*': not a date"):
        exposure(view, "China", text)
    assert parse_day("2025-06").isoformat() == "2025-06-01"


# -- concentration -------------------------------------------------------------------------------

def test_concentration_of_every_market(view):
    rows = concentration(view)
    assert [(r["mineral"], r["stage"]) for r in rows] == [
        ("gallium", "refining"), ("rare earth elements", "refining"), ("rare earth elements", "mining")]
    ga = rows[0]
    assert ga["hhi"] == pytest.approx(98.7 ** 2 + 0.6 ** 2, abs=0.1) and ga["level"] == "highly concentrated"


def test_concentration_uses_one_year_and_one_source(view):
    [mining] = concentration(view, "rare earths", stage="mining")
    # the 2023 IEA figure (62%) is another year and source: not mixed into the 2024 USGS market
    assert (mining["year"], mining["source"]) == (2024, "https://pubs.usgs.gov/mcs2025-rare-earths.pdf")
    assert [s["country"] for s in mining["shares"]] == ["China", "United States", "Burma", "Australia"]
    assert mining["hhi"] == pytest.approx(69.2 ** 2 + 11.5 ** 2 + 7.9 ** 2 + 3.3 ** 2, abs=0.1)


def test_concentration_of_an_element_falls_back_to_its_group(view):
    rows = concentration(view, "dysprosium")
    assert {r["stage"] for r in rows} == {"mining", "refining"}
    assert all(r["mineral"] == "dysprosium" and r["via"] == "rare earth elements" for r in rows)


def test_stages_are_ontology_notations():
    from graph.analysis import settings
    from graph.vocabulary import notations

    assert set(settings()["concentration_stages"]) | set(settings()["supply_stages"]) <= set(notations("SupplyStage"))


def test_concentration_bad_input(view):
    with pytest.raises(InputError, match="unknown stage 'smelting'"):
        concentration(view, "gallium", stage="smelting")
    with pytest.raises(InputError, match="no production shares for titanium"):
        concentration(view, "titanium")
    with pytest.raises(InputError, match="did you mean gallium"):
        concentration(view, "galium")


# -- scenario ------------------------------------------------------------------------------------

def test_scenario_ranks_industries_by_share_times_dependence(view):
    rows = scenario(view, "China:dysprosium,terbium")
    by = {r["industry"]: r for r in rows}
    assert set(by) == {"automotive", "wind power", "electronics", "defense"}  # no group uses
    # China refines 91% of rare earths (2024); magnets need terbium with no stated share: dependence 1
    assert by["automotive"]["severity"] == pytest.approx(0.91) and by["automotive"]["stage"] == "refining"
    assert by["automotive"]["mineral"] == "terbium" and by["automotive"]["evidence"] == "strong"
    # equally severe: the chain cited to a vendor page ranks last
    assert rows[-1]["industry"] == "defense" and rows[-1]["evidence"] == "moderate"
    assert by["defense"]["minerals"] == ["dysprosium", "terbium"]


def test_scenario_with_group_uses(view):
    by = {r["industry"]: r for r in scenario(view, "China:dysprosium", include_group_uses=True)}
    # robots need "heavy rare earths": applied to dysprosium at the group inheritance factor
    assert by["robotics"]["dependence"] == pytest.approx(0.5) and by["robotics"]["inherited"]
    assert by["robotics"]["chain"].endswith("⊃ dysprosium")
    # magnets need dysprosium at a stated 60%
    assert by["automotive"]["dependence"] == pytest.approx(0.6)
    assert by["automotive"]["severity"] == pytest.approx(0.91 * 0.6)


@pytest.mark.parametrize("spec", ["China", "China:", ":dysprosium", ""])
def test_scenario_bad_restriction(spec):
    with pytest.raises(InputError, match="COUNTRY:MINERAL|at least one restriction"):
        parse_restrictions(spec)


def test_scenario_unknown_names(view):
    with pytest.raises(InputError, match="unknown country 'Chna'; did you mean China"):
        scenario(view, "Chna:dysprosium")


# -- path ----------------------------------------------------------------------------------------

def test_path_follows_supply(view):
    [row] = path(view, "dysprosium", "robotics")
    assert row["direction"] == "a→b" and row["nodes"] == ["dysprosium", "heavy rare earth elements", "robots", "robotics"]
    assert [s["relation"] for s in row["steps"]] == ["memberOf", "dependsOn", "dependsOn"]
    [back] = path(view, "robotics", "dysprosium")
    assert back["direction"] == "b→a"
    rows = path(view, "China", "automotive")
    assert rows and all(r["length"] == 3 and r["nodes"][0] == "China" for r in rows)


def test_path_unconnected_and_same(view):
    assert path(view, "Andrew Gilholm", "gallium") == []
    with pytest.raises(InputError, match="same entity"):
        path(view, "China", "Beijing")


# -- ask -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, command, args", [
    ("which industries depend on dysprosium?", "depends", {"mineral": "dysprosium", "level": "industry"}),
    ("Which products rely on the heavy rare earths?", "depends", {"mineral": "heavy rare earths", "level": "product"}),
    ("what depends on gallium", "depends", {"mineral": "gallium"}),
    ("What is under China's export controls on 2025-06-01?", "exposure", {"issuer": "China", "as_of": "2025-06-01"}),
    ("what does China control?", "exposure", {"issuer": "China"}),
    ("how concentrated is gallium refining?", "concentration", {"mineral": "gallium", "stage": "refining"}),
    ("who mines rare earths?", "concentration", {"mineral": "rare earths", "stage": "mining"}),
    ("which markets are highly concentrated?", "concentration", {}),
    ("what if China restricts dysprosium and terbium?", "scenario", {"restrict": [["China", ["dysprosium", "terbium"]]]}),
    ("how is China connected to robotics?", "path", {"a": "China", "b": "robotics"}),
    ("why does robotics depend on dysprosium?", "path", {"a": "dysprosium", "b": "robotics"}),
    ("What is dysprosium used for?", "depends", {"mineral": "dysprosium"}),
    ("what are the main uses of gallium?", "depends", {"mineral": "gallium"}),
    ("which export controls apply to gallium?", "controls", {"item": "gallium"}),
    ("is dysprosium subject to export controls?", "controls", {"item": "dysprosium"}),
    ("who processes most rare earths?", "concentration", {"mineral": "rare earths", "stage": "processing"}),
    ("who produces most of the world's cobalt?", "concentration", {"mineral": "cobalt"}),
    ("who is the largest refiner of gallium?", "concentration", {"mineral": "gallium", "stage": "refining"}),
    ("what is under China's export controls today?", "exposure", {"issuer": "China"}),
    ("what is under China's export restrictions right now?", "exposure", {"issuer": "China"}),
    ("what happens if China cuts off gallium?", "scenario", {"restrict": [["China", ["gallium"]]]}),
    ("what would happen if China halts exports of dysprosium?", "scenario", {"restrict": [["China", ["dysprosium"]]]}),
    ("what is the biggest risk for wind power?", "risk", {"target": "wind power"}),
    ("what are the greatest risks to the automotive industry?", "risk", {"target": "automotive"}),
])
def test_questions_map_to_commands(question, command, args):
    template, parsed = parse(question)
    assert template["command"] == command and parsed == args


def test_ask_answers_with_the_command_rows(view):
    answer = ask(view, "which industries depend on dysprosium?")
    assert answer["command"] == "depends" and answer["rows"] == depends(view, "dysprosium", level="industry")
    assert ask(view, "what if China restricts dysprosium and terbium?")["rows"] == scenario(view, "China:dysprosium,terbium")


def test_every_example_question_is_understood_and_answered(view):
    for question in examples():
        assert ask(view, question)["rows"], question


def test_unknown_question_lists_the_questions_understood(view):
    with pytest.raises(UnknownQuestion) as err:
        ask(view, "what is the weather in Lianyungang?")
    assert "which industries depend on dysprosium?" in err.value.examples


def test_new_question_forms_are_answered(view):
    assert ask(view, "what is dysprosium used for?")["rows"][0]["label"] == "NdFeB permanent magnets"
    rows = ask(view, "which export controls apply to dysprosium on 2025-12-01?")["rows"]
    assert rows[0]["measure"] == "MOFCOM Announcement No. 18 of 2025" and rows[0]["status"] == "in_force"
    assert ask(view, "who refines most gallium?")["rows"][0]["top_country"] == "China"
    assert {r["item"] for r in ask(view, "what is under China's export controls today?")["rows"]} >= {"dysprosium"}
    assert ask(view, "what happens if China cuts off gallium?")["rows"][0]["industry"] == "semiconductors"
    top = ask(view, "what is the biggest risk for automotive?")["rows"][0]
    assert top["mineral"] == "terbium" and top["controls"] == "in_force" and top["risk"] == pytest.approx(0.91)
    assert ask(view, "which industries depend on titanium?") == {
        "question": "which industries depend on titanium?", "template": "depends-level", "command": "depends",
        "args": {"mineral": "titanium", "level": "industry"}, "subject": "titanium", "rows": []}


def test_ask_with_a_misspelt_name(view):
    with pytest.raises(InputError, match="did you mean dysprosium"):
        ask(view, "which industries depend on dysprosum?")


# -- CLI -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from graph.store import open_store

    path = tmp_path_factory.mktemp("analysis") / "store"
    with open_store(path) as store:
        store.replace_graphs(fixture_store_graphs())
    return path


def run(store_path, *args):
    from graph.cli import cli

    return CliRunner().invoke(cli, ["--store", str(store_path), *args])


def test_cli_depends_formats(store_path):
    result = run(store_path, "depends", "dysprosium", "--level", "industry", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["label"] for r in json.loads(result.output)} >= {"automotive", "defense"}
    result = run(store_path, "depends", "dysprosium", "--level", "industry", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0].keys() >= {"label", "type", "chain", "evidence"} and len(rows) == 4
    result = run(store_path, "depends", "dysprosium", "--level", "industry", "--why")
    assert result.exit_code == 0 and "medium and heavy rare earths" not in result.output
    assert "Uses of rare earth elements as a group, not specific to dysprosium" in result.output
    assert "petroleum refining" in result.output and "[official]" in result.output
    result = run(store_path, "depends", "dysprosium", "--level", "industry", "--why", "--include-group-uses")
    assert result.exit_code == 0 and "medium and heavy rare earths" in result.output
    assert "http://www.wsgs.uwyo.edu/research/minerals/REE-Uses.aspx" in result.output


@pytest.mark.parametrize("args, message", [
    (["depends", "dysprosim"], "did you mean dysprosium?"),
    (["depends", "dysprosium", "--level", "planet"], "unknown level 'planet'"),
    (["exposure", "--as-of", "2025-13-01"], "malformed --as-of '2025-13-01': not a date"),
    (["exposure", "--measure", "embargo"], "unknown measure 'embargo'"),
    (["concentration", "gallium", "--stage", "smelting"], "unknown stage 'smelting'"),
    (["scenario", "--restrict", "China"], "must look like COUNTRY:MINERAL"),
    (["path", "China", "Narnia"], "unknown entity 'Narnia'"),
])
def test_cli_bad_input_is_one_line_and_non_zero(store_path, args, message):
    result = run(store_path, *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in result.output


def test_cli_commands_answer(store_path):
    out = run(store_path, "exposure", "--issuer", "China", "--as-of", "2025-06-01", "--format", "json")
    assert [r["item"] for r in json.loads(out.output)][:2] == ["dysprosium", "terbium"]
    out = run(store_path, "exposure", "--issuer", "China", "--as-of", "2025-12-01")
    assert out.exit_code == 0 and "suspended" in out.output and "…" not in out.output
    out = run(store_path, "exposure")
    assert "as of 2025-06-09, the date of the newest source in the store" in out.output
    out = run(store_path, "concentration", "--stage", "mining", "--format", "csv")
    assert out.exit_code == 0 and "highly concentrated" in out.output and "refining" not in out.output
    out = run(store_path, "concentration", "rare earths", "--format", "csv")
    assert "Burma" in out.output
    out = run(store_path, "scenario", "--restrict", "China:dysprosium,terbium", "--format", "json")
    assert json.loads(out.output)[0]["industry"] == "automotive"
    out = run(store_path, "path", "China", "robotics")
    assert out.exit_code == 0 and "robots" in out.output
    out = run(store_path, "ask", "which industries depend on dysprosium?", "--format", "json")
    assert json.loads(out.output)["command"] == "depends"


def test_cli_ask_says_no_data_and_prints_sources(store_path):
    out = run(store_path, "ask", "which industries depend on titanium?")
    assert out.exit_code == 0 and "no data on titanium" in out.output and "(no results)" not in out.output
    out = run(store_path, "ask", "why does automotive depend on dysprosium?")
    assert out.exit_code == 0
    assert "NdFeB permanent magnets dependsOn dysprosium: http://www.wsgs.uwyo.edu/research/minerals/REE-Uses.aspx" in out.output
    out = run(store_path, "ask", "what is under China's export controls today?")
    assert "# as of 2025-06-09, the date of the newest source in the store" in out.output
    help_text = run(store_path, "ask", "--help").output
    assert all(q in help_text for q in ("what is dysprosium used for?", "what is the biggest risk for wind power?"))


def test_cli_controls_and_risk(store_path):
    out = run(store_path, "controls", "dysprosium", "--as-of", "2025-12-01", "--format", "json")
    rows = json.loads(out.output)
    assert [r["status"] for r in rows] == ["in_force", "expired"]
    # the article's account of the April 2025 controls (on the group, dated 2025-04) sits beside the reference
    assert rows[0]["reported"] == ["in_force since 2025-04-01 per China's success in the rare earth supply chain "
                                   "has changed the balance of power in trade negotiations"]
    out = run(store_path, "risk", "automotive", "--format", "csv")
    assert out.exit_code == 0 and out.output.splitlines()[1].startswith("terbium,0.91,China")


def test_tables_wrap_instead_of_cutting():
    from graph.cli.common import render_rows

    long = "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf and more words to wrap"
    text = render_rows([{"a": "x", "b": long}, {"a": "y", "b": "short"}], columns=["a", "b"], width=40)
    assert all(len(line) <= 40 for line in text.splitlines()) and "…" not in text
    assert "".join(line[3:].strip() for line in text.splitlines()[2:5]).replace(" ", "") == long.replace(" ", "")


# -- docstring examples ----------------------------------------------------------------------------

DOCTEST_MODULES = ["graph.dates", "graph.vocabulary", "graph.analysis.in_force", "graph.analysis.evidence",
                   "graph.analysis.depends", "graph.analysis.exposure", "graph.analysis.scenario",
                   "graph.analysis.risk", "graph.analysis.ask", "graph.analysis.concentration",
                   "graph.analysis.paths"]


@pytest.mark.parametrize("module", DOCTEST_MODULES)
def test_docstring_examples_run_on_the_fixture(module):
    """The Examples sections of the analysis functions run against tests/data/analysis_fixture.trig."""
    import doctest
    import importlib

    fixture = load_view(fixture_store())
    mod = importlib.import_module(module)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(mod, module, extraglobs={"fixture_view": lambda: fixture, "iri": iri})
    assert any(t.examples for t in tests), f"{module} has no examples"
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} example(s) failed in {module}"


def test_cli_unknown_question_lists_questions(store_path):
    result = run(store_path, "ask", "what is the meaning of life?")
    assert result.exit_code == 1
    assert "Questions I understand" in result.output and "which industries depend on dysprosium?" in result.output


def test_cli_empty_store(tmp_path):
    from graph.store import open_store

    with open_store(tmp_path / "empty"):
        pass
    result = run(tmp_path / "empty", "depends", "dysprosium")
    assert result.exit_code != 0
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1


# -- the issue's done-when, on the shipped reference data plus an article ------------------------------

@pytest.fixture(scope="module")
def shipped():
    """The ontology and reference data, plus one article graph whose loose sentence ties manganese to chips."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, SDO, XSD

    from graph.knowledge import load_knowledge
    from graph.namespaces import CMKG
    from graph.store import KnowledgeStore

    store = KnowledgeStore(None)
    load_knowledge(store)
    article, ev = URIRef("https://w3id.org/cmkg/article/test-loose"), URIRef(iri("evidence/test-loose"))
    semis = URIRef(iri("industry/semiconductor-industry"))
    triples = [(article, RDF.type, CMKG.Article), (article, DCTERMS.date, Literal("2025-11-01", datatype=XSD.date)),
               (article, SDO.url, URIRef("https://www.example-news.com/minerals")),
               (ev, RDF.type, CMKG.Evidence), (ev, DCTERMS.isPartOf, article),
               (ev, CMKG.sentence, Literal("Lithium, manganese and cobalt are important in batteries and chips.")),
               (ev, CMKG.confidence, Literal("0.7", datatype=XSD.decimal))]
    for i, mineral in enumerate(("manganese", "lithium")):
        dep = URIRef(iri(f"fact/test-loose-{i}"))
        triples += [(semis, CMKG.dependsOn, URIRef(iri(f"mineral/{mineral}"))), (dep, RDF.type, CMKG.Dependency),
                    (dep, CMKG.dependent, semis), (dep, CMKG.requires, URIRef(iri(f"mineral/{mineral}"))),
                    (dep, PROV.wasDerivedFrom, ev)]
    store.replace_graph(URIRef("https://w3id.org/cmkg/graph/article/test-loose"), triples)
    yield load_view(store)
    store.close()


LA_CE_USES = {"petroleum refining", "glass and ceramics", "steel industry", "metallurgy", "chemicals"}


@pytest.mark.parametrize("mineral", ["dysprosium", "terbium"])
def test_no_lanthanum_or_cerium_use_in_the_headline_answer(shipped, mineral):
    rows = depends(shipped, mineral, level="industry")
    assert not LA_CE_USES & {r["label"] for r in rows}
    assert not any("catalyst" in r["chain"] or "polish" in r["chain"] for r in depends(shipped, mineral))
    # the group's uses are still there when asked for, marked as such
    with_group = depends(shipped, mineral, level="industry", include_group_uses=True)
    assert {r["label"] for r in with_group if r["inherited"]} & LA_CE_USES


@pytest.mark.parametrize("mineral", ["dysprosium", "terbium"])
def test_heavy_rare_earths_reach_wind_and_evs_directly(shipped, mineral):
    rows = {r["label"]: r for r in depends(shipped, mineral, level="industry")}
    for industry in ("wind power", "electric vehicles"):
        assert not rows[industry]["inherited"] and rows[industry]["evidence"] == "strong", industry


def test_steel_leads_manganese_even_after_a_loose_article_sentence(shipped):
    rows = depends(shipped, "manganese", level="industry")
    assert rows[0]["label"] == "steel industry" and rows[0]["evidence"] == "strong"
    loose = next(r for r in rows if r["label"] == "semiconductor industry")
    assert loose["evidence"] == "weak" and loose["kinds"] == ["news"] and rows.index(loose) > 3
    lithium = [r["label"] for r in depends(shipped, "lithium", level="industry")]
    assert lithium.index("semiconductor industry") > lithium.index("battery manufacturing")


def test_exposure_on_2010_10_15_lists_rare_earths(shipped):
    rows = {r["item"]: r for r in exposure(shipped, "China", "2010-10-15")}
    assert rows["rare earth elements"]["status"] == "in_force"


def test_october_2025_controls_are_suspended_on_2025_12_01(shipped):
    rows = {r["item"]: r for r in exposure(shipped, "China", "2025-12-01")}
    assert rows["dysprosium"]["status"] == "in_force"
    for element in ("holmium", "erbium", "thulium", "europium", "ytterbium"):
        assert rows[element]["status"] == "suspended", element
        assert any("suspended until 2026-11-10" in m for m in rows[element]["measures"])
    assert as_of_default(shipped).isoformat() >= "2025-11-01"


@pytest.mark.parametrize("question", [
    "what is gallium used for?", "which export controls apply to gallium?", "who refines most gallium?",
    "who produces most cobalt?", "what is under China's export controls today?",
    "what happens if China cuts off gallium?", "what is the biggest risk for wind power?",
    "which industries depend on beryllium?", "why does wind power depend on dysprosium?",
])
def test_questions_are_answered_on_the_reference_data(shipped, question):
    assert ask(shipped, question)["rows"], question
