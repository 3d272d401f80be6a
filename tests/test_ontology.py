"""The ontology parses, every term is labelled and defined, and it stays on the OWL 2 DL side."""

from collections import defaultdict

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.namespaces import CMKG
from graph.resources import ontology_file

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file("cmkg.ttl"), format="turtle")


def declared(g: Graph) -> dict[URIRef, set]:
    kinds = defaultdict(set)
    for kind in KINDS:
        for s in g.subjects(RDF.type, kind):
            if isinstance(s, URIRef):
                kinds[s].add(kind)
    return kinds


def test_ontology_header(onto):
    assert (URIRef("https://w3id.org/cmkg/ontology"), RDF.type, OWL.Ontology) in onto


def test_every_term_has_label_and_definition(onto):
    missing = [str(t) for t in declared(onto)
               if onto.value(t, RDFS.label) is None or onto.value(t, SKOS.definition) is None]
    assert missing == []


def test_model_md_terms_exist(onto):
    kinds = declared(onto)
    for name in ("Country", "Bloc", "Polity", "Mineral", "MineralGroup", "Material", "Component", "Technology",
                 "Product", "Industry", "Item", "Organization", "Company", "GovernmentBody", "MediaOrganization",
                 "ResearchOrganization", "Person", "PolicyAnnouncement", "PolicyMeasure", "ExportControl", "Tariff",
                 "MeasureType", "PolicyStatus", "ProductionShare", "SupplyStage", "Quantity", "Unit", "Dependency",
                 "Dominance", "Affiliation", "Statement", "MembershipClaim", "Article", "Evidence"):
        assert OWL.Class in kinds[CMKG[name]], name
    for name in ("memberOf", "dependsOn", "dominates", "affiliatedWith", "mentions", "issuedBy", "covers", "targets",
                 "measureType", "status", "hasMeasure", "partOf", "country", "mineral", "stage", "amount", "unit",
                 "member", "group", "classificationScheme", "dependent", "requires", "agent", "item", "person",
                 "organization"):
        assert OWL.ObjectProperty in kinds[CMKG[name]], name
    for name in ("elementSymbol", "atomicNumber", "wikidataId", "iso3166Alpha2", "iso3166Alpha3", "announcedOn",
                 "effectiveOn", "suspendedOn", "suspendedUntil", "liftedOn", "date", "instrument", "ratePercent",
                 "sharePercent", "shareQualifier", "year", "numericValue", "sentence", "startOffset", "endOffset",
                 "rule", "confidence", "fileName", "role"):
        assert OWL.DatatypeProperty in kinds[CMKG[name]], name
    for name in ("demonym", "metonym"):
        assert OWL.AnnotationProperty in kinds[CMKG[name]], name
        assert (CMKG[name], RDFS.subPropertyOf, SKOS.altLabel) in onto
    assert (CMKG.memberOf, RDF.type, OWL.TransitiveProperty) in onto
    notations = {str(onto.value(i, SKOS.notation)) for i in onto.subjects(RDF.type, CMKG.MeasureType)}
    assert notations == {"licensing", "ban", "quota", "tracking", "other"}
    notations = {str(onto.value(i, SKOS.notation)) for i in onto.subjects(RDF.type, CMKG.PolicyStatus)}
    assert notations == {"in_force", "suspended", "lifted", "expired", "possible"}
    stages = {str(onto.value(i, SKOS.notation)) for i in onto.subjects(RDF.type, CMKG.SupplyStage)}
    assert {"mining", "refining", "processing", "magnets"} <= stages


def test_owl_dl_no_property_punning(onto):
    """No IRI is two kinds of property, or a class and a property (OWL 2 DL forbids these puns)."""
    props = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term, kinds in declared(onto).items():
        assert len(kinds & set(props)) <= 1, term
        assert not (OWL.Class in kinds and kinds & set(props)), term


def test_every_used_property_is_declared(onto):
    """Borrowed vocabulary (SKOS, PROV, DCTERMS, schema.org) is declared too, so Protégé sees one kind per IRI."""
    kinds = declared(onto)
    builtin = (str(RDF), str(RDFS), str(OWL))
    used = {p for p in onto.predicates() if not str(p).startswith(builtin)}
    assert [str(p) for p in used if p not in kinds] == []
    for cls in set(onto.objects(None, RDFS.subClassOf)) | set(onto.objects(None, RDFS.domain)) | set(onto.objects(None, RDFS.range)):
        if isinstance(cls, URIRef) and not str(cls).startswith(("http://www.w3.org/2001/XMLSchema#",) + builtin):
            assert OWL.Class in kinds[cls], cls


def test_datatype_properties_have_literal_ranges(onto):
    for p in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in onto.objects(p, RDFS.range):
            assert str(rng).startswith("http://www.w3.org/2001/XMLSchema#") or rng == RDFS.Literal, (p, rng)
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        for rng in onto.objects(p, RDFS.range):
            assert not str(rng).startswith("http://www.w3.org/2001/XMLSchema#") and rng != RDFS.Literal, (p, rng)


def _java() -> bool:
    import shutil

    return shutil.which("java") is not None


@pytest.mark.skipif(not _java(), reason="HermiT needs Java (17 or later) on PATH")
def test_hermit_classifies_the_tbox(tmp_path):
    """A standard OWL 2 reasoner accepts the ontology: consistent, and no class is unsatisfiable.

    HermiT refuses datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear): MODEL.md, "Dates".
    """
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 is part of the test extra")
    path = tmp_path / "cmkg.nt"
    Graph().parse(ontology_file("cmkg.ttl"), format="turtle").serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:  # raises OwlReadyInconsistentOntologyError if inconsistent, OwlReadyJavaError if refused
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    mineral = world[str(CMKG.Mineral)]
    assert world[str(CMKG.Item)] in mineral.ancestors()
    assert len(list(world.classes())) > 30  # the TBox was really loaded


def test_no_owl_range_outside_the_owl2_datatype_map(onto):
    """The cause HermiT stops on, checked without Java: xsd:date, gYear, gYearMonth are not OWL 2 datatypes."""
    from rdflib.namespace import XSD

    outside = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.time, XSD.duration}
    assert [str(p) for p, r in onto.subject_objects(RDFS.range) if r in outside] == []


USED_TERM = [r"(?<![\w/#-])cmkg:([A-Za-z_]\w*)", r"\bCMKG\.([A-Za-z_]\w*)", r"\bCMKG\[[\"']([A-Za-z_]\w*)[\"']\]"]


def _cmkg_terms_used() -> dict[str, set[str]]:
    """term -> the files using it, over the code, saved queries, shapes, data, templates and MODEL.md."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [p for folder in ("graph", "scripts", "notebooks") for p in (root / folder).rglob("*")
             if p.suffix in (".py", ".rq", ".json", ".js", ".html", ".ipynb", ".ttl")]
    files += [p for p in (root / "ontology").glob("*.ttl") if p.name != "cmkg.ttl"] + [root / "ontology" / "MODEL.md"]
    used: dict[str, set[str]] = defaultdict(set)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in USED_TERM:
            for name in re.findall(pattern, text):
                used[name].add(str(path.relative_to(root)))
    return used


def test_every_cmkg_term_used_is_defined():
    """Code, .rq files, shapes, data and docs name only terms cmkg.ttl defines (the CMKG namespace is closed)."""
    used = _cmkg_terms_used()
    assert len(used) > 60  # the scan found the vocabulary
    undefined = {name: sorted(where) for name, where in used.items() if name not in CMKG}
    assert undefined == {}


def test_cmkg_namespace_is_closed():
    assert CMKG.Mineral == URIRef("https://w3id.org/cmkg/ontology#Mineral")
    assert CMKG["ProductionShare"] in CMKG
    with pytest.raises(AttributeError):
        CMKG.Minerl  # noqa: B018 - a typo fails instead of minting a new IRI
