"""The checked-in reference knowledge: labels the extractor relies on, cited facts, SHACL conformance."""

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph.namespaces import CMKG, ID, WD
from graph.resources import ontology_file
from graph.validate import validate

ROOT = Path(__file__).resolve().parents[1]
DCT_SOURCE = URIRef("http://purl.org/dc/terms/source")


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


@pytest.fixture(scope="module")
def ref() -> Graph:
    g = Graph()
    for name in ("cmkg.ttl", "countries.ttl", "reference.ttl"):
        g.parse(ontology_file(name), format="turtle")
    return g


def en(text):
    return Literal(text, lang="en")


def groups_of(g, node):
    return set(g.transitive_objects(node, CMKG.memberOf)) - {node}


def test_dysprosium(ref):
    dy = iri("mineral/dysprosium")
    assert (dy, RDF.type, CMKG.Mineral) in ref
    assert (dy, SKOS.prefLabel, en("dysprosium")) in ref
    assert (dy, CMKG.elementSymbol, Literal("Dy")) in ref
    assert (dy, CMKG.wikidataId, Literal("Q1843")) in ref
    assert (dy, SKOS.exactMatch, WD.Q1843) in ref
    assert (dy, CMKG.atomicNumber, Literal(66)) in ref
    assert {iri("mineral/heavy-rare-earth-elements"), iri("mineral/rare-earth-elements")} <= groups_of(ref, dy)
    assert iri("mineral/light-rare-earth-elements") not in groups_of(ref, dy)


def test_groups_and_disputed_membership(ref):
    for group in ("rare-earth-elements", "light-rare-earth-elements", "medium-rare-earth-elements",
                  "heavy-rare-earth-elements", "platinum-group-metals"):
        assert (iri(f"mineral/{group}"), RDF.type, CMKG.MineralGroup) in ref, group
    assert (iri("mineral/heavy-rare-earth-elements"), CMKG.memberOf, iri("mineral/rare-earth-elements")) in ref
    assert (iri("mineral/neodymium"), CMKG.memberOf, iri("mineral/light-rare-earth-elements")) in ref
    assert (iri("mineral/platinum"), CMKG.memberOf, iri("mineral/platinum-group-metals")) in ref
    for disputed in ("europium", "gadolinium"):
        node = iri(f"mineral/{disputed}")
        assert iri("mineral/light-rare-earth-elements") not in groups_of(ref, node)
        assert iri("mineral/heavy-rare-earth-elements") not in groups_of(ref, node)
        assert iri("mineral/rare-earth-elements") in groups_of(ref, node)
        claimed = {ref.value(c, CMKG.group) for c in ref.subjects(CMKG.member, node)}
        assert {iri("mineral/light-rare-earth-elements"), iri("mineral/heavy-rare-earth-elements")} <= claimed
        for claim in ref.subjects(CMKG.member, node):
            assert ref.value(claim, CMKG.classificationScheme) is not None


def test_mineral_labels(ref):
    def labels(node):
        return {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in ref.objects(node, p)}
    assert {"rare earths", "REEs"} <= labels(iri("mineral/rare-earth-elements"))
    assert "heavy rare earths" in labels(iri("mineral/heavy-rare-earth-elements"))
    assert "aluminium" in labels(iri("mineral/aluminum"))
    assert "platinum group metals" in labels(iri("mineral/platinum-group-metals"))
    assert "Eu" not in labels(iri("mineral/europium"))   # "EU" is the European Union
    assert "In" not in labels(iri("mineral/indium"))     # an English word


def test_one_english_preflabel_and_no_shared_labels(ref):
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_reference import label_clashes
    assert label_clashes(ref) == []
    for s in set(ref.subjects(SKOS.prefLabel, None)):
        prefs = list(ref.objects(s, SKOS.prefLabel))
        assert len(prefs) == 1 and prefs[0].language == "en", s


def test_countries_follow_guidelines(ref):
    expect = {"US": "United States", "KR": "South Korea", "RU": "Russia", "VN": "Vietnam", "TW": "Taiwan",
              "CD": "Democratic Republic of the Congo", "MM": "Myanmar", "GB": "United Kingdom", "CN": "China",
              "BO": "Bolivia", "LA": "Laos", "TR": "Turkey"}
    for code, label in expect.items():
        (node,) = ref.subjects(CMKG.iso3166Alpha2, Literal(code))
        assert ref.value(node, SKOS.prefLabel) == en(label), code
        assert (node, RDF.type, CMKG.Country) in ref
    assert len(set(ref.subjects(RDF.type, CMKG.Country))) >= 249
    us, cn, eu = iri("country/united-states"), iri("country/china"), iri("country/european-union")
    assert {en("U.S."), en("USA"), en("US")} <= set(ref.objects(us, SKOS.altLabel))
    assert en("American") in set(ref.objects(us, CMKG.demonym))
    assert en("Washington") in set(ref.objects(us, CMKG.metonym))
    assert en("Beijing") in set(ref.objects(cn, CMKG.metonym))
    assert en("Chinese") in set(ref.objects(cn, CMKG.demonym))
    assert (eu, RDF.type, CMKG.Bloc) in ref and (eu, RDF.type, CMKG.Country) not in ref
    assert en("Brussels") in set(ref.objects(eu, CMKG.metonym))
    assert en("Europe") in set(ref.objects(eu, CMKG.looseLabel))
    assert en("Burma") in set(ref.objects(iri("country/myanmar"), SKOS.altLabel))
    assert (eu, CMKG.memberState, iri("country/germany")) in ref


def test_dependencies_reach_dysprosium_with_sources(ref):
    dy = iri("mineral/dysprosium")
    industries = {s for s in ref.subjects(RDF.type, CMKG.Industry)
                  if dy in set(ref.transitive_objects(s, CMKG.dependsOn))}
    names = {str(ref.value(s, SKOS.prefLabel)) for s in industries}
    assert {"automotive", "electric vehicles", "wind power", "electronics", "defense"} <= names
    for dep in ref.subjects(RDF.type, CMKG.Dependency):
        assert ref.value(dep, DCT_SOURCE) is not None
        assert (ref.value(dep, CMKG.dependent), CMKG.dependsOn, ref.value(dep, CMKG.requires)) in ref


def test_export_controls(ref):
    dy_measure = [m for m in ref.subjects(CMKG.covers, iri("mineral/dysprosium"))
                  if "No. 18 of 2025" in str(ref.value(m, CMKG.instrument))]
    assert len(dy_measure) == 1
    m = dy_measure[0]
    assert ref.value(m, CMKG.measureType) == CMKG.Licensing
    assert ref.value(m, CMKG.effectiveOn) == Literal("2025-04-04", datatype=XSD.date)
    assert ref.value(m, CMKG.issuedBy) == iri("country/china")
    assert ref.value(m, CMKG.suspendedOn) is None
    ho = [m for m in ref.subjects(CMKG.covers, iri("mineral/holmium"))
          if "No. 57 of 2025" in str(ref.value(m, CMKG.instrument))][0]
    assert ref.value(ho, CMKG.suspendedOn) == Literal("2025-11-07", datatype=XSD.date)
    assert ref.value(ho, CMKG.suspendedUntil) == Literal("2026-11-10", datatype=XSD.date)
    assert ref.value(ho, CMKG.status) == CMKG.Lifted
    claimed = {str(ref.value(c, CMKG.claimedDate)) for c in ref.subjects(CMKG.claimAbout, ho)}
    assert claimed == {"2025-10-09", "2025-11-08"}   # sources disagree: both kept, attributed
    ann70 = iri("policy/mofcom-gac-announcement-no-70-of-2025")
    assert (ann70, CMKG.suspends, ho) in ref


def test_production_shares(ref):
    shares = {}
    for s in ref.subjects(CMKG.mineral, iri("mineral/gallium")):
        if ref.value(s, CMKG.stage) == CMKG.Refining and ref.value(s, CMKG.country) == iri("country/china"):
            shares[str(ref.value(s, CMKG.basis))] = float(ref.value(s, CMKG.sharePercent))
            assert ref.value(s, DCT_SOURCE) is not None
    assert shares == {"computed": 98.7, "stated": 99.0}


def test_reference_conforms_to_shapes(ref):
    report = validate(ref)
    assert report.conforms, "\n".join(str(v) for v in report.violations[:20])


def test_shapes_catch_broken_share(ref):
    g = Graph().parse(data="""
        @prefix cmkg: <https://w3id.org/cmkg/ontology#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://w3id.org/cmkg/id/fact/bad> a cmkg:ProductionShare ;
            cmkg:country <https://w3id.org/cmkg/id/country/china> ;
            cmkg:mineral <https://w3id.org/cmkg/id/mineral/gallium> ;
            cmkg:stage cmkg:Refining ; cmkg:sharePercent 150.0 ; cmkg:year "2024"^^xsd:gYear .
    """, format="turtle")
    report = validate(ref + g)
    assert not report.conforms
    about_bad = [v for v in report.violations if v.focus.endswith("fact/bad")]
    paths = {v.path for v in about_bad}
    assert "cmkg:sharePercent" in paths                      # 150 is not a percentage
    assert any("provenance" in v.message for v in about_bad)  # no source
    assert "150" in str([v.value for v in about_bad])
    assert all(v.focus_type == "ProductionShare" for v in about_bad)


@pytest.mark.skipif(not (ROOT.parent / "shared" / "reference" / "minerals.csv").exists(),
                    reason="the reference CSVs (../shared/reference) are only on dev machines")
def test_checked_in_turtle_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_validate_store_reads_the_union_of_named_graphs():
    from rdflib.namespace import XSD as _XSD
    from graph.knowledge import load_knowledge
    from graph.store import KnowledgeStore
    from graph.validate import validate_store

    store = KnowledgeStore(None)
    load_knowledge(store)
    assert validate_store(store).conforms   # plain strings read back from Oxigraph still match sh:in
    bad = URIRef(ID + "fact/bad-share")
    store.replace_graph(URIRef("https://w3id.org/cmkg/graph/article/bad"), [
        (bad, RDF.type, CMKG.ProductionShare), (bad, CMKG.country, iri("country/china")),
        (bad, CMKG.mineral, iri("mineral/gallium")), (bad, CMKG.sharePercent, Literal("150", datatype=_XSD.decimal)),
        (bad, CMKG.shareQualifier, Literal("about")),
    ])
    report = validate_store(store)
    assert not report.conforms
    assert {v.path for v in report.violations if v.focus == str(bad)} >= {"cmkg:sharePercent", "cmkg:shareQualifier"}
    assert "does not conform" in report.summary()


def test_validate_command_exit_codes(tmp_path):
    from click.testing import CliRunner
    from graph.cli import cli as main

    good = CliRunner().invoke(main, ["validate", str(ontology_file("cmkg.ttl"))])
    assert good.exit_code == 0, good.output
    assert "conforms" in good.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
        @prefix cmkg: <https://w3id.org/cmkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/cmkg/id/mineral/x> a cmkg:Mineral ; skos:prefLabel "unobtainium"@en ;
            cmkg:atomicNumber 300 .
    """)
    run = CliRunner().invoke(main, ["validate", str(ontology_file("cmkg.ttl")), str(bad)])
    assert run.exit_code == 1
    assert "Mineral 'unobtainium'" in run.output and "cmkg:atomicNumber" in run.output and "1 to 118" in run.output
