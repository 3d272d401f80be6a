#!/usr/bin/env python
"""Build ontology/reference.ttl and ontology/countries.ttl from the cited reference CSVs.

Why a build step: the cited reference CSVs in ontology/data/reference/ hold human-compiled strings (end
uses such as "NdFeB high-power permanent magnets (Dy additive)"). The curated files in ontology/data/ map
them to a small controlled set of entities with clean labels, and this script joins the two into Turtle
that is checked in. Every reference statement keeps its source URLs, and every source its kind
(ontology/data/reference/source_kinds.csv: official, industry, trade_press, news, other).

    python scripts/build_reference.py [--from DIR] [--out DIR] [--check] [--usgs DIR]

--usgs DIR re-reads the USGS Mineral Commodity Summaries 2026 records (one JSON file per commodity)
and rewrites production_shares_mcs2026.csv (country shares of the latest year's world table, computed
from tonnages) before building; it also checks that every end_uses_curated.csv row citing an MCS 2026
chapter cites the record's own URL and restates a phrase found in the record's text (uses, events, substitutes).

It fails (exit 1, one line per problem) on any CSV row the curated mapping does not cover, on
unknown entity slugs, on source hosts without a kind, and on labels shared by two entities of the
same class, so the gazetteer the extractor reads stays unambiguous.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

import pycountry
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph.namespaces import CMKG, PREFIXES, WD, entity_iri, hashed_iri, slug  # noqa: E402

DATA = REPO / "ontology" / "data"
DEFAULT_FROM = DATA / "reference"
STATUS_AS_OF = "2025-11-30"
STALE_YEARS = 5
SOURCE_KINDS = {"official": CMKG.OfficialSource, "industry": CMKG.IndustrySource, "trade_press": CMKG.TradePressSource,
                "news": CMKG.NewsSource, "other": CMKG.OtherSource}
KIND_RANK = {"official": 5, "industry": 4, "trade_press": 3, "news": 2, "other": 1}
GROUP_IDS = ("rare_earths", "pgm")
EN = "en"

CLASS_KIND = {
    "Industry": "industry", "Material": "material", "Component": "material", "Product": "product",
    "Technology": "technology", "Mineral": "mineral", "MineralGroup": "mineral",
    "GovernmentBody": "org", "Company": "org", "ResearchOrganization": "org", "MediaOrganization": "org",
}
QUALITY = {"high": Decimal("0.9"), "medium": Decimal("0.7"), "low": Decimal("0.4")}
MEASURE_TYPES = {"licensing": CMKG.Licensing, "ban": CMKG.Ban, "quota": CMKG.Quota,
                 "tracking": CMKG.Tracking, "other": CMKG.OtherMeasure}
STAGES = {"mining": CMKG.Mining, "refining": CMKG.Refining, "processing": CMKG.Processing,
          "magnets": CMKG.MagnetMaking, "reserves": CMKG.Reserves, "exports": CMKG.Exports,
          "imports": CMKG.Imports, "consumption": CMKG.Consumption}
ISSUING_BODIES = {"MOFCOM": "ministry-of-commerce-of-china", "GAC": "general-administration-of-customs-of-china",
                  "MOST": "ministry-of-science-and-technology-of-china"}
SCHEMES = {
    # column of minerals.csv -> (scheme slug, label, source URLs)
    "group_usgs_cordier_2011": ("usgs-cordier-2011", "USGS light/heavy rare earth split (Cordier, 2011)",
                                ["https://keygroupenergies.com/mineral-resource-of-the-month-rare-earth-elements/"]),
    "group_eu_crm_2023": ("eu-crm-2023", "EU critical raw materials assessment 2023 (LREE/HREE groups)",
                          ["https://www.doganasostenibile.it/2023/03/20/eu-critical-raw-materials-assessed-for-2023/"]),
    "group_wsgs": ("wsgs", "Wyoming State Geological Survey rare earth definitions",
                   ["http://www.wsgs.uwyo.edu/Research/Minerals/REE-Defined.aspx"]),
    "group_china_mofcom_2025": ("china-mofcom-2025", "China MOFCOM 2025 export-control category 'medium and heavy rare earths'",
                                ["https://hklaw.com/en/insights/publications/2025/04/china-imposes-export-controls-on-medium-and-heavy-rare-earth-materials",
                                 "http://en.people.cn/n3/2025/1010/c90000-20374885.html"]),
}
CURATED_SCHEME = ("chinese-three-tier", "Chinese light/medium/heavy rare earth usage (curated, no cited source)")
CRITICAL_LISTS = {
    "usgs_critical_2022": ("usgs-critical-minerals-2022", "USGS critical minerals list 2022",
                           "https://www.usgs.gov/faqs/what-a-critical-mineral"),
    "usgs_critical_2025": ("usgs-critical-minerals-2025", "USGS critical minerals list 2025 (final)",
                           "https://www.einpresswire.com/article/865388069/interior-department-releases-final-2025-list-of-critical-minerals"),
    "eu_crm": ("eu-critical-raw-materials-2023", "EU critical raw materials list 2023",
               "https://www.cbs.nl/en-gb/news/2023/48/china-top-supplier-of-products-containing-critical-raw-materials/critical-raw-materials"),
}
GROUP_COLUMN = {"LREE": "light-rare-earth-elements", "HREE": "heavy-rare-earth-elements",
                "PGM": "platinum-group-metals"}


class BuildError(Exception):
    pass


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def split(value: str, sep: str = ";") -> list[str]:
    return [v.strip() for v in value.split(sep) if v.strip()]


def urls(value: str) -> list[str]:
    return split(value, "|")


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, Namespace(ns))
    return g


def add_labels(g: Graph, node: URIRef, pref: str, alts=(), *, demonyms=(), metonyms=(), loose=(), hidden=()) -> None:
    g.add((node, SKOS.prefLabel, Literal(pref, lang=EN)))
    g.add((node, RDFS.label, Literal(pref, lang=EN)))
    for prop, values in ((SKOS.altLabel, alts), (CMKG.demonym, demonyms), (CMKG.metonym, metonyms),
                         (CMKG.looseLabel, loose), (SKOS.hiddenLabel, hidden)):
        for value in values:
            if value and value != pref:
                g.add((node, prop, Literal(value, lang=EN)))


def date_literal(text: str) -> Literal | None:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", text or "")
    return Literal(match.group(1), datatype=XSD.date) if match else None


def iri(url: str) -> URIRef:
    """A source URL as a valid IRI: characters Turtle/N-Triples forbid in IRIs ("[", "]", spaces) are %-encoded."""
    return URIRef(quote(url.strip(), safe=":/?#&=%~+,;@!$'()*-._"))


def add_sources(g: Graph, node: URIRef, sources) -> None:
    for url in sources:
        g.add((node, DCTERMS.source, iri(url)))


# ---------------------------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------------------------

def build_countries() -> tuple[Graph, dict[str, URIRef]]:
    """All ISO 3166-1 countries from pycountry, named as GUIDELINES.md says, plus the EU as a bloc."""
    g = new_graph()
    curated = {row["alpha2"]: row for row in read_csv(DATA / "countries.csv")}
    index: dict[str, URIRef] = {}
    for country in pycountry.countries:
        row = curated.get(country.alpha_2, {})
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        pref = row.get("pref_label") or common or country.name
        if "," in pref and official and "," not in official:
            pref = re.sub(r"^the ", "", official)
        node = entity_iri("country", pref)
        g.add((node, RDF.type, CMKG.Country))
        alts = split(row.get("alt_labels", ""))
        if common and common != pref:
            alts.append(common)
        if official and official != pref:
            g.add((node, CMKG.officialName, Literal(official)))
            if official not in alts:
                alts.append(official)
        hidden = split(row.get("hidden_labels", ""))
        if country.name not in (pref, *alts):
            hidden.append(country.name)
        add_labels(g, node, pref, alts, demonyms=split(row.get("demonyms", "")),
                   metonyms=split(row.get("metonyms", "")), loose=split(row.get("loose_labels", "")), hidden=hidden)
        g.add((node, CMKG.iso3166Alpha2, Literal(country.alpha_2)))
        g.add((node, CMKG.iso3166Alpha3, Literal(country.alpha_3)))
        g.add((node, CMKG.iso3166Numeric, Literal(country.numeric)))
        index[country.alpha_2] = node
    eu = curated["EU"]
    node = entity_iri("country", eu["pref_label"])
    g.add((node, RDF.type, CMKG.Bloc))
    add_labels(g, node, eu["pref_label"], split(eu["alt_labels"]), demonyms=split(eu["demonyms"]),
               metonyms=split(eu["metonyms"]), loose=split(eu["loose_labels"]))
    g.add((node, CMKG.iso3166Alpha2, Literal("EU")))
    g.add((node, SKOS.definition, Literal("The European Union, a bloc of 27 member states with a common trade policy.", lang=EN)))
    index["EU"] = node
    for row in read_csv(DATA / "eu_member_states.csv"):
        g.add((index[row["bloc"]], CMKG.memberState, index[row["member_alpha2"]]))
    # A hidden label (ISO name) must not be another country's name: pycountry calls CG "Congo",
    # which news uses for the DRC.
    visible: dict[str, set] = defaultdict(set)
    for prop in GAZETTEER_PROPS:
        for s, o in g.subject_objects(prop):
            visible[str(o).lower()].add(s)
    for s, o in list(g.subject_objects(SKOS.hiddenLabel)):
        if visible.get(str(o).lower(), {s}) - {s}:
            g.remove((s, SKOS.hiddenLabel, o))
    missing = set(curated) - set(index)
    if missing:
        raise BuildError(f"countries.csv codes not in ISO 3166: {sorted(missing)}")
    return g, index


def country_resolver(g: Graph):
    names: dict[str, URIRef] = {}
    for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, CMKG.officialName):
        for s, o in g.subject_objects(prop):
            names.setdefault(str(o).lower(), s)

    def resolve(name: str) -> URIRef | None:
        return names.get(name.strip().lower())
    return resolve


# ---------------------------------------------------------------------------------------------
# Reference: minerals, entities, dependencies, shares, export controls
# ---------------------------------------------------------------------------------------------

class Reference:
    def __init__(self, src: Path, countries: dict[str, URIRef], resolve_country, country_graph: Graph):
        self.src = src
        self.country_graph = country_graph
        self.g = new_graph()
        self.countries = countries
        self.resolve_country = resolve_country
        self.entities: dict[str, URIRef] = {}   # "kind/slug" -> IRI
        self.mineral_by_id: dict[str, URIRef] = {}
        self.problems: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def entity(self, ref: str) -> URIRef:
        if ref not in self.entities:
            self.problems.append(f"unknown entity {ref!r} (define it in ontology/data/)")
            return entity_iri(*ref.split("/", 1))
        return self.entities[ref]

    def declare(self, kind: str, slug_: str, cls: URIRef) -> URIRef:
        node = entity_iri(kind, slug_)
        key = f"{kind}/{slug(slug_)}"
        if key in self.entities:
            self.problems.append(f"entity {key} defined twice")
        self.entities[key] = node
        self.g.add((node, RDF.type, cls))
        return node

    def mineral(self, mineral_id: str) -> URIRef | None:
        """A mineral by its minerals.csv id, or by the slug of a curated extra mineral (zinc, silver, ...)."""
        return self.mineral_by_id.get(mineral_id) or self.entities.get(f"mineral/{slug(mineral_id)}")

    # -- source kinds -------------------------------------------------------------------------
    def annotate_sources(self) -> None:
        """Every source IRI gets its cmkg:sourceKind; every statement the best kind among its sources."""
        kinds = {row["host"]: row["kind"] for row in read_csv(self.src / "source_kinds.csv")}
        for host, kind in kinds.items():
            if kind not in SOURCE_KINDS:
                self.problems.append(f"source_kinds.csv: unknown kind {kind!r} for {host}")
        g = self.g
        statements = {CMKG.Dependency, CMKG.Dominance, CMKG.ProductionShare, CMKG.MembershipClaim, CMKG.DateClaim,
                      CMKG.ExportControl, CMKG.PolicyAnnouncement}
        best: dict[URIRef, str] = {}
        for node, url in list(g.subject_objects(DCTERMS.source)):
            host = urlsplit(str(url)).hostname or ""
            kind = kinds.get(host)
            if kind not in SOURCE_KINDS:
                problem = f"source host {host!r} has no kind in source_kinds.csv (e.g. {url})"
                if not any(p.startswith(f"source host {host!r}") for p in self.problems):
                    self.problems.append(problem)
                continue
            g.add((url, CMKG.sourceKind, SOURCE_KINDS[kind]))
            if statements & set(g.objects(node, RDF.type)):
                if KIND_RANK[kind] > KIND_RANK.get(best.get(node, ""), 0):
                    best[node] = kind
        for node, kind in best.items():
            g.add((node, CMKG.sourceKind, SOURCE_KINDS[kind]))

    # -- minerals --------------------------------------------------------------------------
    def minerals(self) -> None:
        g = self.g
        labels = {row["id"]: row for row in read_csv(DATA / "mineral_labels.csv")}
        extra = read_csv(DATA / "extra_minerals.csv")
        rows = read_csv(self.src / "minerals.csv")
        # groups first (some come from extra_minerals.csv, the two aggregates from minerals.csv)
        for row in extra:
            node = self.declare("mineral", row["slug"], CMKG[row["class"]])
            add_labels(g, node, row["pref_label"], split(row["alt_labels"]))
            if row["definition"]:
                g.add((node, SKOS.definition, Literal(row["definition"], lang=EN)))
            if row["symbol"]:
                g.add((node, CMKG.elementSymbol, Literal(row["symbol"])))
            if row["atomic_number"]:
                g.add((node, CMKG.atomicNumber, Literal(int(row["atomic_number"]))))
            g.add((node, SKOS.note, Literal("Curated gazetteer entry; not in the cited reference data.", lang=EN)))
        for row in rows:
            lab = labels.get(row["id"])
            if lab is None:
                self.problems.append(f"minerals.csv id {row['id']!r} has no row in mineral_labels.csv")
                continue
            is_group = row["id"] in ("rare_earths", "pgm")
            node = self.declare("mineral", lab["pref_label"], CMKG.MineralGroup if is_group else CMKG.Mineral)
            self.mineral_by_id[row["id"]] = node
            alts = split(lab["alt_labels"])
            if lab["symbol_as_label"] == "yes" and row["symbol"]:
                alts.append(row["symbol"])
            add_labels(g, node, lab["pref_label"], alts)
            if row["symbol"] and row["id"] != "graphite":
                g.add((node, CMKG.elementSymbol, Literal(row["symbol"])))
            if row["atomic_number"]:
                g.add((node, CMKG.atomicNumber, Literal(int(row["atomic_number"]))))
            if row["wikidata_qid"]:
                g.add((node, CMKG.wikidataId, Literal(row["wikidata_qid"])))
                g.add((node, SKOS.exactMatch, WD[row["wikidata_qid"]]))
                conf = row["wikidata_qid_confidence"].split(" ")[0]
                if conf:
                    g.add((node, CMKG.wikidataIdConfidence, Literal(conf)))
            if row["notes"]:
                g.add((node, SKOS.note, Literal(row["notes"], lang=EN)))
            add_sources(g, node, urls(row["source_url"]))
            for column, (list_slug, _, _) in CRITICAL_LISTS.items():
                if row[column] == "yes":
                    g.add((node, CMKG.onCriticalList, entity_iri("list", list_slug)))
        missing = set(labels) - set(self.mineral_by_id)
        if missing:
            self.problems.append(f"mineral_labels.csv ids not in minerals.csv: {sorted(missing)}")
        for column, (list_slug, label, source) in CRITICAL_LISTS.items():
            node = entity_iri("list", list_slug)
            g.add((node, RDF.type, CMKG.CriticalMineralList))
            g.add((node, RDFS.label, Literal(label, lang=EN)))
            g.add((node, DCTERMS.source, iri(source)))
        self.groups(rows, extra)

    def groups(self, rows, extra) -> None:
        g = self.g
        ree = self.mineral_by_id["rare_earths"]
        pgm = self.mineral_by_id["pgm"]
        self.entities.setdefault("mineral/platinum-group-metals", pgm)
        for row in extra:
            for group in split(row["member_of"]):
                g.add((self.entities[f"mineral/{row['slug']}"], CMKG.memberOf, self.entity(f"mineral/{group}")))
        mh = self.entity("mineral/medium-and-heavy-rare-earth-elements")
        g.add((self.entity("mineral/medium-rare-earth-elements"), CMKG.memberOf, mh))
        for column, (scheme_slug, label, sources) in SCHEMES.items():
            scheme = entity_iri("scheme", scheme_slug)
            g.add((scheme, RDF.type, CMKG.ClassificationScheme))
            g.add((scheme, RDFS.label, Literal(label, lang=EN)))
            add_sources(g, scheme, sources)
        for row in rows:
            node = self.mineral_by_id.get(row["id"])
            group = row["group"]
            if node is None or row["id"] in ("rare_earths", "pgm"):
                continue
            if group in ("LREE", "HREE", "LREE/HREE-disputed", "other-REE (neither)"):
                g.add((node, CMKG.memberOf, ree))
            if group in GROUP_COLUMN:
                g.add((node, CMKG.memberOf, self.entity(f"mineral/{GROUP_COLUMN[group]}")))
            if group == "PGM":
                continue
            for column, (scheme_slug, label, sources) in SCHEMES.items():
                value = row.get(column, "")
                target = None
                if value in ("LREE", "HREE"):
                    target = GROUP_COLUMN[value]
                elif value.startswith("medium/heavy") or "medium/heavy" in value:
                    target = "medium-and-heavy-rare-earth-elements"
                if target is None:
                    continue
                self.claim(node, self.entity(f"mineral/{target}"), entity_iri("scheme", scheme_slug), sources,
                           f"{row['id']} in {target.replace('-', ' ')} ({label})")
                if target == "medium-and-heavy-rare-earth-elements":
                    g.add((node, CMKG.memberOf, self.entity(f"mineral/{target}")))
        # The medium group has no cited member list; the common Chinese usage is kept as unsourced claims.
        scheme = entity_iri("scheme", CURATED_SCHEME[0])
        g.add((scheme, RDF.type, CMKG.ClassificationScheme))
        g.add((scheme, RDFS.label, Literal(CURATED_SCHEME[1], lang=EN)))
        for element in ("samarium", "europium", "gadolinium"):
            claim = self.claim(self.mineral_by_id[element], self.entity("mineral/medium-rare-earth-elements"), scheme, [],
                               f"{element} in medium rare earth elements ({CURATED_SCHEME[1]})")
            g.add((claim, SKOS.note, Literal("Curated from common usage; no source in the reference data.", lang=EN)))

    def claim(self, member, group, scheme, sources, label) -> URIRef:
        node = hashed_iri("fact", "membership", member, group, scheme)
        g = self.g
        g.add((node, RDF.type, CMKG.MembershipClaim))
        g.add((node, RDFS.label, Literal(label, lang=EN)))
        g.add((node, CMKG.member, member))
        g.add((node, CMKG.group, group))
        g.add((node, CMKG.classificationScheme, scheme))
        add_sources(g, node, sources)
        return node

    # -- entities ---------------------------------------------------------------------------
    def curated_entities(self) -> None:
        g = self.g
        rows = read_csv(DATA / "entities.csv")
        for row in rows:
            kind = CLASS_KIND[row["class"]]
            node = self.declare(kind, row["slug"], CMKG[row["class"]])
            add_labels(g, node, row["pref_label"], split(row["alt_labels"]))
            if row["definition"]:
                g.add((node, SKOS.definition, Literal(row["definition"], lang=EN)))
        for row in rows:
            for broader in split(row["broader"]):
                kind = CLASS_KIND[row["class"]]
                target = self.entities.get(f"{kind}/{broader}") or self.entities.get(f"material/{broader}")
                if target is None:
                    self.problems.append(f"entities.csv: broader {broader!r} of {row['slug']!r} is unknown")
                    continue
                g.add((self.entities[f"{kind}/{row['slug']}"], SKOS.broader, target))
        for row in read_csv(DATA / "organizations.csv"):
            node = self.declare("org", row["slug"], CMKG[row["class"]])
            add_labels(g, node, row["pref_label"], split(row["alt_labels"]))
            g.add((node, SKOS.definition, Literal(row["definition"], lang=EN)))

    # -- dependencies -----------------------------------------------------------------------
    def dependencies(self) -> None:
        """End-use chains: end_uses.csv rows through end_use_map.csv, and end_uses_curated.csv rows (already mapped).

        A row about a group (USGS "rare earths", "platinum-group metals") is a group-level use: its edges get
        cmkg:groupLevel true unless a member-level row states the same edge, and member rows must not link into
        an intermediate that only group rows use (the check is in tests/test_reference.py)."""
        mapping = {(r["mineral"], r["intermediate"], r["product"]): r for r in read_csv(DATA / "end_use_map.csv")}
        used = set()
        self.edges: dict[tuple, dict] = defaultdict(lambda: {"sources": set(), "quality": [], "notes": [], "types": set(),
                                                             "share": None, "scope": None, "levels": set()})
        for row in read_csv(self.src / "end_uses.csv"):
            key = (row["mineral"], row["intermediate"], row["product"])
            m = mapping.get(key)
            if m is None:
                self.problems.append(f"end_uses.csv row not in end_use_map.csv: {' | '.join(key)}")
                continue
            used.add(key)
            self.end_use(row["mineral"], m["materials"], m["chain"], row, " | ".join(key))
        for key in set(mapping) - used:
            self.problems.append(f"end_use_map.csv row matches no end_uses.csv row: {' | '.join(key)}")
        for row in read_csv(self.src / "end_uses_curated.csv"):
            row.setdefault("source_type", "")
            self.end_use(row["mineral"], row["materials"], row["chain"], row, f"{row['mineral']} | {row['chain']}")
        g = self.g
        for (dep, req), e in sorted(self.edges.items()):
            node = hashed_iri("fact", "dependency", dep, req)
            g.add((dep, CMKG.dependsOn, req))
            g.add((node, RDF.type, CMKG.Dependency))
            g.add((node, CMKG.dependent, dep))
            g.add((node, CMKG.requires, req))
            g.add((node, RDFS.label, Literal(f"{self.label(dep)} depends on {self.label(req)}", lang=EN)))
            add_sources(g, node, sorted(e["sources"]))
            best = max(e["quality"], key=lambda q: QUALITY.get(q, 0))
            g.add((node, CMKG.sourceQuality, Literal(best)))
            g.add((node, CMKG.confidence, Literal(QUALITY.get(best, Decimal("0.5")), datatype=XSD.decimal)))
            g.add((node, CMKG.groupLevel, Literal(e["levels"] == {"group"})))
            for t in sorted(e["types"] - {""}):
                g.add((node, CMKG.sourceType, Literal(t)))
            for note in e["notes"]:
                g.add((node, SKOS.note, Literal(note, lang=EN)))
            if e["share"]:
                g.add((node, CMKG.sharePercent, Literal(Decimal(e["share"]), datatype=XSD.decimal)))
                g.add((node, CMKG.shareScope, Literal(e["scope"])))

    def end_use(self, mineral_id: str, materials_text: str, chain: str, row: dict, where: str) -> None:
        """One mapped end-use row: mineral <- materials <- product <- industries, each link an edge with the row's sources."""
        mineral = self.mineral(mineral_id)
        if mineral is None:
            self.problems.append(f"end use of unknown mineral {mineral_id!r}: {where}")
            return
        level = "group" if mineral_id in GROUP_IDS else "member"
        materials = [self.entity(f"material/{s}") for s in split(materials_text)]
        bottom = materials or [mineral]
        links: list[tuple] = [(mat, mineral) for mat in materials]
        end_edges: list[tuple] = []
        for link in split(chain):
            product, _, industries = link.partition(">")
            inds = [self.entity(f"industry/{s}") for s in split(industries, ",")]
            if product.strip():
                p = self.product_or_material(product.strip())
                for b in bottom:
                    if p != b:
                        links.append((p, b))
                        end_edges.append((p, b))
                links += [(i, p) for i in inds]
            else:
                for b in bottom:
                    links += [(i, b) for i in inds]
                    end_edges += [(i, b) for i in inds]
        if not urls(row["source_url"]):
            self.problems.append(f"end use without a source: {where}")
        for edge in links:
            e = self.edges[edge]
            e["sources"].update(urls(row["source_url"]))
            e["quality"].append(row["confidence"])
            e["types"].add(row["source_type"])
            e["levels"].add(level)
            if row["note"] and row["note"] not in e["notes"]:
                e["notes"].append(row["note"])
        if row["share_percent"]:
            # The share is of this mineral's use going to this end use: put it on the end-use edge, or,
            # when another mineral's share already sits there, on the material -> mineral edge.
            for edge in end_edges + [(mat, mineral) for mat in materials]:
                e = self.edges[edge]
                if e["share"] in (None, row["share_percent"]):
                    e["share"] = row["share_percent"]
                    e["scope"] = f"share of {mineral_id.replace('_', ' ')} use: {row['share_scope']}"
                    break
            else:
                self.problems.append(f"no dependency edge left for the share of {where}")

    def product_or_material(self, slug_: str) -> URIRef:
        for kind in ("product", "material"):
            if f"{kind}/{slug_}" in self.entities:
                return self.entities[f"{kind}/{slug_}"]
        return self.entity(f"product/{slug_}")

    def label(self, node: URIRef) -> str:
        value = self.g.value(node, SKOS.prefLabel) or self.country_graph.value(node, SKOS.prefLabel)
        return str(value) if value is not None else str(node).rsplit("/", 1)[-1]

    # -- production shares ----------------------------------------------------------------
    SHARE_FILES = ("production_shares.csv", "production_shares_mcs2026.csv")

    def shares(self) -> None:
        g = self.g
        made: list[tuple[URIRef, dict]] = []
        rows = [(name, row) for name in self.SHARE_FILES if (self.src / name).exists() for row in read_csv(self.src / name)]
        for name, row in rows:
            mineral = self.mineral(row["mineral"])
            if mineral is None:
                self.problems.append(f"{name}: unknown mineral {row['mineral']!r}")
                continue
            if not re.fullmatch(r"\d{4}", row["year"]):
                self.problems.append(f"{name}: share without a year: {row['mineral']} {row['country']}")
                continue
            name = row["country"]
            if "+" in name or name.lower().startswith("rest of world"):
                continue  # aggregates of several countries are not one country's share
            country = self.resolve_country(name)
            if country is None:
                self.problems.append(f"production_shares: unknown country {name!r}")
                continue
            sources = urls(row["source_url"])
            if not row["share_percent"]:
                node = hashed_iri("fact", "dominance", country, mineral, row["stage"], row["year"])
                g.add((country, CMKG.dominates, mineral))
                g.add((node, RDF.type, CMKG.Dominance))
                g.add((node, CMKG.agent, country))
                g.add((node, CMKG.item, mineral))
                g.add((node, CMKG.year, Literal(row["year"], datatype=XSD.gYear)))
                g.add((node, RDFS.label, Literal(f"{self.label(country)} dominates {self.label(mineral)} ({row['stage']}, {row['year']})", lang=EN)))
                add_sources(g, node, sources)
                if row["note"]:
                    g.add((node, SKOS.note, Literal(row["note"], lang=EN)))
                continue
            basis = "computed" if row["basis"].startswith("computed") else "stated"
            node = hashed_iri("fact", "share", mineral, country, row["stage"], row["year"], row["share_percent"], basis, *sources)
            g.add((node, RDF.type, CMKG.ProductionShare))
            g.add((node, RDFS.label, Literal(
                f"{self.label(country)} {row['stage']} share of {self.label(mineral)} {row['year']}: "
                f"{row['share_qualifier'] if row['share_qualifier'] not in ('', '=') else ''}{row['share_percent']}% ({basis})", lang=EN)))
            g.add((node, CMKG.country, country))
            g.add((node, CMKG.mineral, mineral))
            g.add((node, CMKG.stage, STAGES[row["stage"]]))
            g.add((node, CMKG.sharePercent, Literal(Decimal(row["share_percent"]), datatype=XSD.decimal)))
            g.add((node, CMKG.shareQualifier, Literal(row["share_qualifier"] or "=")))
            g.add((node, CMKG.year, Literal(row["year"], datatype=XSD.gYear)))
            g.add((node, CMKG.basis, Literal(basis)))
            g.add((node, RDFS.comment, Literal(row["basis"], lang=EN)))
            if row["note"]:
                g.add((node, SKOS.note, Literal(row["note"], lang=EN)))
            add_sources(g, node, sources)
            if row["value"] and row["unit"] and row.get("unit_class", "-") != "":
                g.add((node, CMKG.amount, self.quantity(row["value"], row["unit"], node, "amount", row.get("unit_class"))))
                if row["world_total"]:
                    g.add((node, CMKG.worldTotal, self.quantity(row["world_total"], row["unit"], node, "world", row.get("unit_class"))))
            made.append((node, dict(row, basis=basis, sources=tuple(sources), mineral_iri=mineral)))
        self.share_flags(made)

    def share_flags(self, made: list[tuple[URIRef, dict]]) -> None:
        """cmkg:stale, cmkg:preferred and cmkg:coverageNote on every share (see ontology/MODEL.md)."""
        g = self.g
        newest = max(int(r["year"]) for _, r in made)
        sets: dict[tuple, list] = defaultdict(list)   # one source's figures for one mineral, stage and year
        for node, r in made:
            g.add((node, CMKG.stale, Literal(int(r["year"]) < newest - STALE_YEARS)))
            sets[(r["mineral_iri"], r["stage"], r["year"], r["basis"], r["sources"])].append((node, r))
        best: dict[tuple, tuple] = {}
        for key, members in sets.items():
            mineral, stage, year, basis, sources = key
            rank = max(self.kind_rank(u) for u in sources) if sources else 0
            fresh = int(year) >= newest - STALE_YEARS     # a stale set is never the one to show
            score = (fresh, int(year), rank, basis == "computed", len(members))
            if (mineral, stage) not in best or score > best[(mineral, stage)][0]:
                best[(mineral, stage)] = (score, key)
        for key, members in sets.items():
            mineral, stage, year, basis, sources = key
            preferred = best[(mineral, stage)][1] == key and int(year) >= newest - STALE_YEARS
            for node, r in members:
                g.add((node, CMKG.preferred, Literal(preferred)))
                if not preferred and best[(mineral, stage)][1] == key:
                    g.add((node, SKOS.note, Literal(
                        f"Stale: {year} is more than {STALE_YEARS} years before the newest figures ({newest}); "
                        f"no newer {stage} share is in the reference data.", lang=EN)))
                elif not preferred:
                    _, pk = best[(mineral, stage)]
                    g.add((node, SKOS.note, Literal(
                        f"Kept for the record; the preferred {stage} figures for {self.label(mineral)} are the "
                        f"{pk[3]} {pk[2]} figures from {', '.join(pk[4])}.", lang=EN)))
            total = sum(Decimal(r["share_percent"]) for _, r in members)
            if total > 100:
                why = (f"These {len(members)} country shares sum to {total}%: USGS country figures are estimates rounded "
                       f"independently of the rounded world total they are divided by."
                       if basis == "computed" else
                       f"These {len(members)} stated shares sum to {total}%: the source's percentages are rounded or bounds.")
                for node, _ in members:
                    g.add((node, CMKG.coverageNote, Literal(why, lang=EN)))

    def kind_rank(self, url: str) -> int:
        if not hasattr(self, "_kinds"):
            self._kinds = {row["host"]: row["kind"] for row in read_csv(self.src / "source_kinds.csv")}
        return KIND_RANK.get(self._kinds.get(urlsplit(url).hostname or "", ""), 0)

    def quantity(self, value: str, unit_text: str, owner: URIRef, role: str, unit_class: str | None = None) -> URIRef:
        number = Decimal(value)
        text = unit_text
        if text.startswith("thousand "):
            number *= 1000
            text = text[len("thousand "):]
        if unit_class:
            unit = {"contained": CMKG.TonneContainedMetal, "gross": CMKG.TonneGrossWeight, "reo": CMKG.TonneREO,
                    "kg": CMKG.Kilogram}[unit_class]
        elif "REO" in text:
            unit = CMKG.TonneREO
        elif text.startswith("kg"):
            unit = CMKG.Kilogram
        elif text in ("t graphite", "t Ti sponge"):
            unit = CMKG.TonneGrossWeight
        elif text.startswith("t "):
            unit = CMKG.TonneContainedMetal
        else:
            raise BuildError(f"unknown unit {unit_text!r}")
        node = hashed_iri("fact", "quantity", owner, role)
        self.g.add((node, RDF.type, CMKG.Quantity))
        self.g.add((node, CMKG.numericValue, Literal(number, datatype=XSD.decimal)))
        self.g.add((node, CMKG.unit, unit))
        self.g.add((node, CMKG.unitText, Literal(unit_text)))
        return node

    # -- export controls ------------------------------------------------------------------
    def export_controls(self) -> None:
        g = self.g
        china = self.countries["CN"]
        us = self.countries["US"]
        mapping = defaultdict(list)
        for m in read_csv(DATA / "export_control_map.csv"):
            mapping[m["item_prefix"]].append(m)
        rows = read_csv(self.src / "export_controls.csv")
        announcements: dict[str, URIRef] = {}
        suspensions: dict[str, URIRef] = {}  # suspension date -> suspending announcement
        used = set()

        def announcement(instrument: str, row) -> URIRef:
            name = re.sub(r"\s*\(clause \d+\)$", "", instrument)
            node = announcements.get(name)
            if node is None:
                node = entity_iri("policy", name)
                announcements[name] = node
                g.add((node, RDF.type, CMKG.PolicyAnnouncement))
                g.add((node, RDFS.label, Literal(name, lang=EN)))
                g.add((node, CMKG.instrument, Literal(name)))
                g.add((node, CMKG.issuedBy, china))
                for code, org in ISSUING_BODIES.items():
                    if re.search(rf"\b{code}\b", row["issuer"]):
                        g.add((node, CMKG.issuingBody, self.entity(f"org/{org}")))
                if date_literal(row["announced"]) is not None:
                    g.add((node, CMKG.announcedOn, date_literal(row["announced"])))
            add_sources(g, node, urls(row["source_url"]))
            return node

        for row in rows:
            if row["measure_type"].startswith("suspension"):
                node = announcement(row["instrument"], row)
                suspensions[row["announced"]] = node
                g.add((node, SKOS.note, Literal(f"{row['mineral_or_item']}; {row['note']}", lang=EN)))
        for row in rows:
            if row["measure_type"].startswith("suspension"):
                continue
            matches = [k for k in mapping if row["mineral_or_item"].startswith(k)]
            if len(matches) != 1:
                self.problems.append(f"export_controls.csv row matches {len(matches)} prefixes in export_control_map.csv: "
                                     f"{row['mineral_or_item'][:60]!r}")
                continue
            used.add(matches[0])
            ann = announcement(row["instrument"], row)
            for m in mapping[matches[0]]:
                self.measure(row, m, ann, china, us, suspensions)
        for key in set(mapping) - used:
            self.problems.append(f"export_control_map.csv prefix matches no row: {key!r}")

    def measure(self, row, m, ann, china, us, suspensions) -> None:
        g = self.g
        node = entity_iri("measure", f"{row['instrument']} {m['measure_id']}")
        sources = urls(row["source_url"])
        g.add((node, RDF.type, CMKG.ExportControl))
        g.add((node, RDFS.label, Literal(f"China: {m['label']} ({row['instrument']})", lang=EN)))
        g.add((node, CMKG.partOf, ann))
        g.add((ann, CMKG.hasMeasure, node))
        g.add((node, CMKG.issuedBy, china))
        for code, org in ISSUING_BODIES.items():
            if re.search(rf"\b{code}\b", row["issuer"]):
                g.add((node, CMKG.issuingBody, self.entity(f"org/{org}")))
        for item in split(m["covers"]):
            g.add((node, CMKG.covers, self.entity(item)))
        target = self.resolve_country(re.split(r"[(;,]", row["target"])[0].strip()) if row["target"] else None
        if target is not None:
            g.add((node, CMKG.targets, target))
        if row["target"] and row["target"] != "all destinations":
            g.add((node, SKOS.note, Literal(f"Target: {row['target']}", lang=EN)))
        g.add((node, CMKG.measureType, MEASURE_TYPES[m["measure_type"]]))
        g.add((node, CMKG.instrument, Literal(row["instrument"])))
        g.add((node, RDFS.comment, Literal(f"Items: {row['mineral_or_item']}. Measure as reported: {row['measure_type']}.", lang=EN)))
        if row["note"]:
            g.add((node, SKOS.note, Literal(row["note"], lang=EN)))
        announced = date_literal(row["announced"])
        effective = date_literal(m["effective_override"] or row["effective"])
        if announced is not None:
            g.add((node, CMKG.announcedOn, announced))
        if effective is not None:
            g.add((node, CMKG.effectiveOn, effective))
        if "(planned)" in row["effective"]:
            g.add((node, SKOS.note, Literal("Planned effective date; the measure was suspended before or at that date.", lang=EN)))
        status = row["status_as_of_2025_11"]
        suspended = re.search(r"suspended (\d{4}-\d{2}-\d{2}).*?(?:until|to) (\d{4}-\d{2}-\d{2})", status)
        if suspended:
            on, until = suspended.groups()
            g.add((node, CMKG.suspendedOn, Literal(on, datatype=XSD.date)))
            g.add((node, CMKG.suspendedUntil, Literal(until, datatype=XSD.date)))
            by = suspensions.get(on)
            if by is None:
                self.problems.append(f"no suspension announcement dated {on}")
            else:
                g.add((node, CMKG.suspendedBy, by))
                g.add((by, CMKG.suspends, node))
                g.add((by, CMKG.suspends, ann))
                sources += [str(s) for s in g.objects(by, DCTERMS.source) if str(s) not in sources]
            g.add((node, CMKG.status, CMKG.Suspended))
        elif status.startswith("lifted"):
            g.add((node, CMKG.status, CMKG.Lifted))
            lifted = date_literal(status.split()[-1])
            if lifted is not None:
                g.add((node, CMKG.liftedOn, lifted))
        elif status.startswith("expired"):
            g.add((node, CMKG.status, CMKG.Expired))
        elif status.startswith("possible"):
            g.add((node, CMKG.status, CMKG.Possible))
        else:
            g.add((node, CMKG.status, CMKG.InForce))
        g.add((node, CMKG.statusAsOf, Literal(STATUS_AS_OF, datatype=XSD.date)))
        add_sources(g, node, sources)
        if m["alt_effective"]:
            alt_date, _, alt_url = m["alt_effective"].partition("@")
            primary = [u for u in urls(row["source_url"]) if u != alt_url]
            self.date_claim(node, "effective", effective, primary, "date given by MOFCOM/Xinhua reports")
            self.date_claim(node, "effective", Literal(alt_date, datatype=XSD.date), [alt_url],
                            "date given by a secondary source; differs from the official date")
        if m.get("alt_lifted"):
            alt_date, _, alt_url = m["alt_lifted"].partition("@")
            lifted = g.value(node, CMKG.liftedOn)
            primary = [u for u in urls(row["source_url"]) if u != alt_url]
            self.date_claim(node, "lifted", lifted, primary[:1], "end date given by Global Trade Alert")
            self.date_claim(node, "lifted", Literal(alt_date, datatype=XSD.date), [alt_url],
                            "date shipments were reported to resume (New York Times); Japan-bound cargo still delayed")

    def date_claim(self, measure, role, value, sources, note) -> None:
        g = self.g
        node = hashed_iri("fact", "date-claim", measure, role, value)
        g.add((node, RDF.type, CMKG.DateClaim))
        g.add((node, CMKG.claimAbout, measure))
        g.add((node, CMKG.dateRole, Literal(role)))
        g.add((node, CMKG.claimedDate, value))
        g.add((node, RDFS.label, Literal(f"{role} {value} per {', '.join(sources)}", lang=EN)))
        g.add((node, SKOS.note, Literal(note, lang=EN)))
        add_sources(g, node, sources)


# ---------------------------------------------------------------------------------------------
# Checks and output
# ---------------------------------------------------------------------------------------------

GAZETTEER_PROPS = (SKOS.prefLabel, SKOS.altLabel, CMKG.demonym, CMKG.metonym, CMKG.looseLabel)


def label_clashes(*graphs: Graph) -> list[str]:
    """Labels used by two entities of the same class: the extractor could not tell them apart."""
    seen: dict[tuple, set] = defaultdict(set)
    for g in graphs:
        for prop in GAZETTEER_PROPS:
            for s, o in g.subject_objects(prop):
                for cls in g.objects(s, RDF.type):
                    seen[(cls, str(o).lower())].add(s)
    return [f"label {label!r} shared by {len(nodes)} {str(cls).split('#')[-1]} entities: "
            + ", ".join(sorted(str(n).rsplit('/', 1)[-1] for n in nodes))
            for (cls, label), nodes in sorted(seen.items()) if len(nodes) > 1]


def serialize(g: Graph, path: Path, header: str) -> None:
    text = g.serialize(format="turtle")
    path.write_text(f"# {header}\n# Generated by scripts/build_reference.py; do not edit by hand.\n\n{text}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# USGS Mineral Commodity Summaries 2026 records -> production_shares_mcs2026.csv
# ---------------------------------------------------------------------------------------------

USGS_SHARES = "production_shares_mcs2026.csv"
SHARE_FIELDS = ["mineral", "stage", "country", "share_percent", "year", "source_url", "share_qualifier", "value", "unit",
                "world_total", "basis", "note", "unit_class"]
# Country names as printed in the USGS world tables that are not a country's label or hidden label.
USGS_COUNTRY_NAMES = {"Côte d’Ivoire": "Côte d'Ivoire", "Sweden (concentrate)": "Sweden"}


def usgs_shares(usgs: Path, src: Path) -> list[str]:
    """Rewrite src/production_shares_mcs2026.csv from the MCS 2026 records; return the problems found."""
    import json
    problems: list[str] = []
    records = {}
    for path in sorted(usgs.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        records[record["slug"]] = record
    if not records:
        return [f"no USGS MCS 2026 records (*.json) in {usgs}"]
    out = []
    for m in read_csv(src / "usgs_mcs2026_map.csv"):
        record = records.get(m["slug"])
        if record is None:
            problems.append(f"usgs_mcs2026_map.csv: no record {m['slug']!r} in {usgs}")
            continue
        year = record["world_production_year_latest"]
        sub = m["sub_table"]

        def amount(r):
            return r["sub_metal_production_latest"].get(sub) if sub else r["production_latest_year"]
        rows = record["world_production"]
        world = [r for r in rows if r["country"].lower().startswith("world total")]
        if len(world) != 1 or not amount(world[0]):
            problems.append(f"{m['slug']}: no world total for {year}")
            continue
        total = Decimal(str(amount(world[0])))
        listed = sum(Decimal(str(amount(r))) for r in rows if r is not world[0] and amount(r))
        rounding = ""
        if listed > total:
            # The country estimates are rounded independently of the rounded world total; when they add up to more,
            # divide by their sum so that the shares do not exceed 100% (gallium: 909,000 kg listed, 900,000 total).
            rounding = (f"USGS's rounded world total ({_number(total)}) is below the sum of the listed figures "
                        f"({_number(listed)}); shares use the sum")
            total = listed
        footnote = ""
        if world[0]["note"]:
            keys = re.findall(r"\d+", world[0]["note"])
            footnote = " ".join(record["footnotes"].get(k, "") for k in keys).strip()
        for r in rows:
            name = r["country"]
            value = amount(r)
            if r is world[0] or name.lower().startswith("other") or not value:
                continue   # aggregates, zero ("—") and withheld or unavailable ("W", "NA") figures
            share = (Decimal(str(value)) / total * 100).quantize(Decimal("0.1"))
            note = f"USGS MCS 2026, {record['world_production_label']}, {year} estimate"
            if m["table_note"]:
                note += f"; {m['table_note']}"
            if footnote:
                note += f"; world total: {footnote}"
            if rounding:
                note += f"; {rounding}"
            out.append({"mineral": m["mineral"], "stage": m["stage"],
                        "country": USGS_COUNTRY_NAMES.get(name, re.sub(r",\s*(crude|refined|ulexite).*$", "", name)),
                        "share_percent": str(share), "year": year, "source_url": record["source_url"], "share_qualifier": "=",
                        "value": _number(value), "unit": m["unit"], "world_total": _number(total),
                        "basis": "computed (country value / USGS rounded world total, or the sum of the listed "
                                 "figures where that is larger)", "note": note,
                        "unit_class": m["unit_class"]})
    with open(src / USGS_SHARES, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHARE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    # The curated end uses that cite an MCS 2026 chapter must cite the record's URL and restate its text.
    for row in read_csv(src / "end_uses_curated.csv"):
        if not row["usgs_slug"]:
            continue
        record = records.get(row["usgs_slug"])
        if record is None:
            problems.append(f"end_uses_curated.csv: no record {row['usgs_slug']!r}")
            continue
        if record["source_url"] not in urls(row["source_url"]):
            problems.append(f"end_uses_curated.csv: {row['mineral']} row does not cite {record['source_url']}")
        text = " ".join(record.get(k) or "" for k in ("domestic_use_summary", "events_trends_summary",
                                                      "substitutes_summary", "recycling_summary"))
        if not row["usgs_phrase"] or row["usgs_phrase"] not in text:
            problems.append(f"end_uses_curated.csv: {row['mineral']}: {row['usgs_phrase']!r} is not in the MCS 2026 "
                            f"text of {row['usgs_slug']}")
    print(f"wrote {len(out)} shares to {src / USGS_SHARES}")
    return problems


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def build(src: Path, out: Path) -> tuple[Graph, Graph]:
    if not (src / "minerals.csv").exists():
        raise BuildError(f"no reference CSVs in {src} (use --from DIR)")
    countries, index = build_countries()
    ref = Reference(src, index, country_resolver(countries), countries)
    ref.minerals()
    ref.curated_entities()
    ref.dependencies()
    ref.shares()
    ref.export_controls()
    ref.annotate_sources()
    problems = ref.problems + label_clashes(countries) + label_clashes(ref.g)
    if problems:
        raise BuildError("\n".join(problems))
    return countries, ref.g


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="src", type=Path, default=DEFAULT_FROM, help="folder with the reference CSVs")
    parser.add_argument("--out", type=Path, default=REPO / "ontology", help="folder to write the Turtle files to")
    parser.add_argument("--check", action="store_true", help="build and compare with the checked-in files; write nothing")
    parser.add_argument("--usgs", type=Path, metavar="DIR",
                        help="refresh production_shares_mcs2026.csv from the USGS MCS 2026 JSON records in DIR first")
    args = parser.parse_args(argv)
    if args.usgs is not None:
        if args.check:
            print("build_reference: --usgs rewrites a CSV; it cannot be combined with --check", file=sys.stderr)
            return 1
        problems = usgs_shares(args.usgs, args.src)
        if problems:
            print("build_reference: " + "\n".join(problems), file=sys.stderr)
            return 1
    try:
        countries, reference = build(args.src, args.out)
    except BuildError as err:
        print(f"build_reference: {err}", file=sys.stderr)
        return 1
    if args.check:
        from rdflib.compare import isomorphic
        ok = True
        for name, g in (("countries.ttl", countries), ("reference.ttl", reference)):
            current = Graph().parse(args.out / name)
            fresh = Graph().parse(data=g.serialize(format="turtle"), format="turtle")  # same lexical forms
            if not isomorphic(current, fresh):
                print(f"{name} is out of date: run scripts/build_reference.py", file=sys.stderr)
                ok = False
        return 0 if ok else 1
    serialize(countries, args.out / "countries.ttl",
              "ISO 3166-1 countries (pycountry) and the European Union, with the labels the extractor matches.")
    serialize(reference, args.out / "reference.ttl",
              "Cited reference knowledge: minerals, groups, end-use dependencies, production shares, China's export controls.")
    print(f"wrote {len(countries)} triples to countries.ttl and {len(reference)} triples to reference.ttl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
