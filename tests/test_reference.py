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
    assert {"automotive", "electric vehicles", "wind power", "electronics", "data storage"} <= names
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
    assert ref.value(ho, CMKG.status) == CMKG.Suspended      # paused for a year, not lifted
    claimed = {str(ref.value(c, CMKG.claimedDate)) for c in ref.subjects(CMKG.claimAbout, ho)}
    assert claimed == {"2025-10-09", "2025-11-08"}   # sources disagree: both kept, attributed
    ann70 = iri("policy/mofcom-gac-announcement-no-70-of-2025")
    assert (ann70, CMKG.suspends, ho) in ref


def test_production_shares(ref):
    shares = {}
    for s in ref.subjects(CMKG.mineral, iri("mineral/gallium")):
        if ref.value(s, CMKG.stage) == CMKG.Refining and ref.value(s, CMKG.country) == iri("country/china"):
            shares[(str(ref.value(s, CMKG.year)), str(ref.value(s, CMKG.basis)))] = float(ref.value(s, CMKG.sharePercent))
            assert ref.value(s, DCT_SOURCE) is not None
    # 2024 from MCS 2025; 2025 from MCS 2026, where 900,000 of a listed 909,000 kg is 99.0% (the rounded
    # world total, 900,000 kg, would have made it 100%)
    assert shares == {("2024", "computed"): 98.7, ("2024", "stated"): 99.0, ("2025", "computed"): 99.0, ("2025", "stated"): 99.0}


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


def test_checked_in_turtle_is_up_to_date():
    # The cited CSVs ship in ontology/data/reference/, so this runs on any clone.
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


# ---------------------------------------------------------------------------------------------
# The reference backbone: coverage, group semantics, evidence, share flags, policy lifecycle
# ---------------------------------------------------------------------------------------------

import csv  # noqa: E402
from collections import defaultdict  # noqa: E402
from decimal import Decimal  # noqa: E402

REFERENCE = ROOT / "ontology" / "data" / "reference"
RARE_EARTHS = iri("mineral/rare-earth-elements")


def minerals_csv():
    with open(REFERENCE / "minerals.csv", newline="", encoding="utf-8") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    with open(ROOT / "ontology" / "data" / "mineral_labels.csv", newline="", encoding="utf-8") as fh:
        labels = {row["id"]: row["pref_label"] for row in csv.DictReader(fh)}
    from graph.namespaces import slug
    return {i: iri(f"mineral/{slug(labels[i])}") for i in ids}


def upstream(g, node):
    """Everything that depends on `node`, directly or through a chain."""
    seen, todo = set(), [node]
    while todo:
        for s in g.subjects(CMKG.dependsOn, todo.pop()):
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


def shares_of(g, mineral):
    return [s for s in g.subjects(CMKG.mineral, mineral) if (s, RDF.type, CMKG.ProductionShare) in g] + \
           [s for s in g.subjects(CMKG.item, mineral) if (s, RDF.type, CMKG.Dominance) in g]


def test_every_listed_mineral_has_end_uses_and_a_dated_sourced_share(ref):
    for mineral_id, node in minerals_csv().items():
        assert node in ref.subjects(RDF.type, None), mineral_id
        assert any(ref.subjects(CMKG.dependsOn, node)), f"{mineral_id} has no end use"
        shares = shares_of(ref, node)
        if not shares:
            # USGS publishes rare-earth and PGM production only for the group: the member points to the group's
            # figures, and those are never copied onto the member.
            groups = groups_of(ref, node)
            shares = [s for grp in groups for s in shares_of(ref, grp)]
            assert groups & {RARE_EARTHS, iri("mineral/platinum-group-metals")}, f"{mineral_id} has no share"
        assert shares, mineral_id
        for s in shares:
            assert ref.value(s, CMKG.year) is not None and ref.value(s, DCT_SOURCE) is not None, (mineral_id, s)


def test_usgs_mcs_2026_covers_the_minerals_that_had_no_uses(ref):
    for name in ("beryllium", "chromium", "tin", "zinc", "silver", "silicon", "zirconium", "hafnium", "aluminum"):
        node = iri(f"mineral/{name}")
        deps = [d for d in ref.subjects(CMKG.requires, node)] + \
               [d for m in ref.subjects(CMKG.dependsOn, node) for d in ref.subjects(CMKG.requires, m)]
        cited = {str(u) for d in deps for u in ref.objects(d, DCT_SOURCE)}
        assert any("/mcs2026/" in u for u in cited), name
    tin = [s for s in ref.subjects(CMKG.mineral, iri("mineral/tin")) if ref.value(s, CMKG.year) == Literal("2025", datatype=XSD.gYear)]
    assert any(ref.value(s, CMKG.country) == iri("country/china") and ref.value(s, CMKG.basis) == Literal("computed")
               for s in tin)


def test_group_level_uses_stay_on_the_group(ref):
    group_only = {ref.value(d, CMKG.dependent) for d in ref.subjects(CMKG.groupLevel, Literal(True))
                  if ref.value(d, CMKG.requires) == RARE_EARTHS}
    assert iri("material/rare-earth-catalysts") in group_only and iri("material/rare-earth-magnets") in group_only
    members = set(ref.subjects(CMKG.memberOf, RARE_EARTHS))
    assert len(members) >= 17
    for member in members:
        leaked = upstream(ref, member) & group_only
        assert not leaked, (member, leaked)
    for d in ref.subjects(CMKG.groupLevel, Literal(True)):
        assert ref.value(d, CMKG.requires) not in members
    for element in ("dysprosium", "terbium"):   # catalysts and polishing are La/Ce uses
        names = {str(ref.value(s, SKOS.prefLabel)) for s in upstream(ref, iri(f"mineral/{element}"))}
        assert not names & {"petroleum refining", "glass and ceramics", "steel industry", "chemicals"}, (element, names)


def test_dysprosium_and_terbium_reach_wind_and_evs_through_ndfeb_magnets(ref):
    ndfeb = iri("material/ndfeb-magnets")
    for element in ("dysprosium", "terbium", "neodymium", "praseodymium"):
        (dep,) = [d for d in ref.subjects(CMKG.requires, iri(f"mineral/{element}")) if ref.value(d, CMKG.dependent) == ndfeb]
        assert ref.value(dep, CMKG.groupLevel) == Literal(False)
        assert ref.value(dep, CMKG.sourceKind) == CMKG.OfficialSource, element
    for product in ("wind-turbines", "ev-traction-motors"):
        assert (iri(f"product/{product}"), CMKG.dependsOn, ndfeb) in ref
    assert (iri("industry/wind-power"), CMKG.dependsOn, iri("product/wind-turbines")) in ref
    assert (iri("industry/electric-vehicles"), CMKG.dependsOn, iri("product/ev-traction-motors")) in ref


def test_lanthanum_and_cerium_carry_the_catalyst_uses(ref):
    fcc = iri("product/petroleum-refining-catalysts")
    assert (fcc, CMKG.dependsOn, iri("mineral/lanthanum")) in ref and (fcc, CMKG.dependsOn, iri("mineral/cerium")) in ref
    assert (fcc, CMKG.dependsOn, iri("mineral/neodymium")) not in ref


def test_gallium_solar_cells_are_gaas_not_gan(ref):
    gan, gaas = iri("material/gallium-nitride"), iri("material/gallium-arsenide")
    solar = {iri("product/solar-cells"), iri("product/multijunction-solar-cells"), iri("product/thin-film-solar-cells")}
    assert not {s for s in ref.subjects(CMKG.dependsOn, gan)} & solar
    assert (iri("product/multijunction-solar-cells"), CMKG.dependsOn, gaas) in ref
    assert (iri("product/leds"), CMKG.dependsOn, gan) in ref


def test_steel_is_manganese_largest_use(ref):
    shares = {}
    for material in ref.subjects(CMKG.dependsOn, iri("mineral/manganese")):
        for d in ref.subjects(CMKG.requires, material):
            if ref.value(d, CMKG.sharePercent) is not None:
                shares[ref.value(d, CMKG.dependent)] = float(ref.value(d, CMKG.sharePercent))
    assert max(shares, key=shares.get) == iri("material/steel") and shares[iri("material/steel")] >= 85


def test_every_source_has_a_kind_and_statements_their_best(ref):
    kinds = set(ref.subjects(RDF.type, CMKG.SourceKind))
    assert {str(ref.value(k, SKOS.notation)) for k in kinds} == {"official", "industry", "trade_press", "news", "other"}
    for node, url in ref.subject_objects(DCT_SOURCE):
        assert ref.value(url, CMKG.sourceKind) in kinds, url
    for d in ref.subjects(RDF.type, CMKG.Dependency):
        ranks = [int(ref.value(ref.value(u, CMKG.sourceKind), CMKG.evidenceRank)) for u in ref.objects(d, DCT_SOURCE)]
        assert int(ref.value(ref.value(d, CMKG.sourceKind), CMKG.evidenceRank)) == max(ranks)
    assert ref.value(URIRef("https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-tin.pdf"), CMKG.sourceKind) == CMKG.OfficialSource
    assert ref.value(URIRef("https://linkml.io/valuesets/elements/ExtractableTargetElement/"), CMKG.sourceKind) == CMKG.OtherSource
    # no magnet, catalyst or phosphor edge of a rare earth rests on an emission-factor page or a vocabulary site
    for element in ("terbium", "dysprosium", "cerium", "europium", "neodymium"):
        for d in ref.subjects(CMKG.requires, iri(f"mineral/{element}")):
            hosts = {str(u) for u in ref.objects(d, DCT_SOURCE)}
            assert not any("climatiq" in h or "linkml" in h for h in hosts), (element, hosts)


def test_shares_are_flagged_stale_preferred_and_explained(ref):
    shares = list(ref.subjects(RDF.type, CMKG.ProductionShare))
    newest = max(int(ref.value(s, CMKG.year)) for s in shares)
    assert newest == 2025
    sums = defaultdict(Decimal)
    explained = defaultdict(list)
    for s in shares:
        year = int(ref.value(s, CMKG.year))
        assert ref.value(s, CMKG.stale) == Literal(year < newest - 5), s
        if year < newest - 5:
            assert ref.value(s, CMKG.preferred) == Literal(False)
        if ref.value(s, CMKG.preferred) == Literal(True):
            key = (ref.value(s, CMKG.mineral), ref.value(s, CMKG.stage))
            sums[key] += Decimal(str(ref.value(s, CMKG.sharePercent)))
            explained[key].append(ref.value(s, CMKG.coverageNote) is not None)
    assert len(sums) > 30
    for key, total in sums.items():
        assert total <= 100 or all(explained[key]), (key, total)
    vanadium = [s for s in shares if ref.value(s, CMKG.mineral) == iri("mineral/vanadium")]
    latest = [s for s in vanadium if ref.value(s, CMKG.preferred) == Literal(True)]
    assert sum(Decimal(str(ref.value(s, CMKG.sharePercent))) for s in latest) <= 100   # fixed: divided by the listed sum
    assert all("below the sum of the listed figures" in str(ref.value(s, SKOS.note)) for s in latest)
    older = [s for s in vanadium if ref.value(s, CMKG.year) == Literal("2024", datatype=XSD.gYear)]
    assert sum(Decimal(str(ref.value(s, CMKG.sharePercent))) for s in older) > 100     # MCS 2025 set: explained
    assert all("rounded" in str(ref.value(s, CMKG.coverageNote)) for s in older)
    stale = [s for s in shares if ref.value(s, CMKG.stale) == Literal(True)]
    assert stale and all(str(ref.value(s, CMKG.year)) == "2019" for s in stale)


def test_rare_earth_shares_2025_from_usgs(ref):
    rows = {ref.value(s, CMKG.country): float(ref.value(s, CMKG.sharePercent))
            for s in ref.subjects(CMKG.mineral, RARE_EARTHS)
            if ref.value(s, CMKG.preferred) == Literal(True) and ref.value(s, CMKG.stage) == CMKG.Mining}
    assert rows[iri("country/china")] == 69.2 and rows[iri("country/united-states")] == 13.1
    (china,) = [s for s in ref.subjects(CMKG.country, iri("country/china"))
                if ref.value(s, CMKG.mineral) == RARE_EARTHS and ref.value(s, CMKG.preferred) == Literal(True)
                and ref.value(s, CMKG.stage) == CMKG.Mining]
    assert str(ref.value(china, DCT_SOURCE)) == "https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf"
    assert ref.value(china, CMKG.basis) == Literal("computed") and ref.value(china, CMKG.year) == Literal("2025", datatype=XSD.gYear)


def test_policy_lifecycle_statuses(ref):
    def measures(instrument):
        return [m for m in ref.subjects(RDF.type, CMKG.ExportControl) if instrument in str(ref.value(m, CMKG.instrument))]
    april = measures("No. 18 of 2025")
    covered = {ref.value(m, CMKG.covers) for m in april}
    assert {iri(f"mineral/{e}") for e in ("samarium", "gadolinium", "terbium", "dysprosium", "lutetium", "scandium", "yttrium")} <= covered
    assert iri("mineral/neodymium") not in covered and RARE_EARTHS not in covered
    for m in april:
        assert ref.value(m, CMKG.effectiveOn) == Literal("2025-04-04", datatype=XSD.date)
        assert ref.value(m, CMKG.status) == CMKG.InForce
    october = measures("No. 57 of 2025") + measures("No. 61 of 2025") + measures("No. 46 of 2024 (clause 2)")
    assert october
    for m in october:
        assert ref.value(m, CMKG.status) == CMKG.Suspended
        assert ref.value(m, CMKG.suspendedUntil) in {Literal("2026-11-10", datatype=XSD.date), Literal("2026-11-27", datatype=XSD.date)}
    (embargo,) = measures("embargo on Japan (2010)")
    assert ref.value(embargo, CMKG.covers) == RARE_EARTHS
    assert ref.value(embargo, CMKG.targets) == iri("country/japan")
    assert ref.value(embargo, CMKG.effectiveOn) == Literal("2010-09-21", datatype=XSD.date)
    assert ref.value(embargo, CMKG.liftedOn) == Literal("2010-11-20", datatype=XSD.date)
    assert ref.value(embargo, CMKG.status) == CMKG.Lifted
    assert ref.value(embargo, CMKG.issuedBy) == iri("country/china")
    ended = {str(ref.value(c, CMKG.claimedDate)) for c in ref.subjects(CMKG.claimAbout, embargo)}
    assert ended == {"2010-10-28", "2010-11-20"}                  # sources disagree on the end: both kept
    statuses = {ref.value(m, CMKG.status) for m in ref.subjects(RDF.type, CMKG.ExportControl)}
    assert statuses <= {CMKG.InForce, CMKG.Suspended, CMKG.Lifted, CMKG.Expired, CMKG.Possible}


def test_usgs_conversion_is_reproducible(tmp_path):
    """--usgs rewrites production_shares_mcs2026.csv from the records; without them the checked-in CSV is used."""
    records = ROOT.parent / "shared" / "reference" / "usgs-mcs-2026"
    if not records.is_dir():
        # A user's clone has no records: the committed CSV must still be complete and consistent.
        with open(REFERENCE / "production_shares_mcs2026.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) > 300 and all(r["year"] == "2025" and "/mcs2026/" in r["source_url"] for r in rows)
        return
    import shutil
    src = tmp_path / "reference"
    shutil.copytree(REFERENCE, src)
    (src / "production_shares_mcs2026.csv").unlink()
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--from", str(src),
                             "--out", str(tmp_path), "--usgs", str(records)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (src / "production_shares_mcs2026.csv").read_text() == (REFERENCE / "production_shares_mcs2026.csv").read_text()
    # a restated end use must be found in the record's text
    bad = (src / "end_uses_curated.csv").read_text().replace("tinplate, 16%", "tinplate, 61%")
    (src / "end_uses_curated.csv").write_text(bad)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference.py"), "--from", str(src),
                             "--out", str(tmp_path), "--usgs", str(records)], capture_output=True, text=True)
    assert result.returncode == 1 and "tinplate, 61%" in result.stderr
