"""How strongly the sources back an edge, and a chain: the evidence ranking `depends`, `scenario` and the view share.

Each source of an edge has a kind (cmkg:sourceKind: official > industry > trade_press > news > other,
ranked 5..1 by cmkg:evidenceRank in ontology/cmkg.ttl). Where the data does not mark a source, its
kind comes from the host of its URL (source_kinds.json), else a default (news for articles, other for
cited URLs). One source's strength, with rank r of 5 (settings.json "evidence"):

- a cited reference source (dcterms:source, no article): reference_floor + (1 - reference_floor) * r/5,
  so from 0.6 (other) to 1.0 (official);
- an article sentence (prov:wasDerivedFrom Evidence): article_scale * r/5 * extraction confidence
  (0.5 when none is recorded), so at most article_scale (0.45).

Independent sources (different URLs or articles; the strongest sentence per article) combine as
1 - prod(1 - s): two sources are stronger than one. A chain is as strong as its weakest dependsOn
edge. So a single article sentence (at most 0.45) never outranks a chain whose every edge has a cited
reference (at least 0.6); several independent articles together can.

Examples
--------
>>> official = {"url": "https://pubs.usgs.gov/x.pdf", "article": None, "kind": None, "confidence": None}
>>> source_kind(official)
'official'
>>> edge_strength([official])
1.0
>>> news = {"url": "https://www.reuters.com/a", "article": "https://w3id.org/cmkg/article/1", "kind": None,
...         "confidence": 0.8}
>>> edge_strength([news])
0.144
>>> strength_level(0.144)
'weak'
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from graph.analysis import settings
from graph.vocabulary import evidence_ranks


@lru_cache(maxsize=None)
def _host_table() -> dict:
    return json.loads(resources.files("graph.analysis").joinpath("source_kinds.json").read_text(encoding="utf-8"))


def kind_of_url(url: str | None, article: bool = False) -> str:
    """The source kind a URL's host suggests (source_kinds.json), else the default for articles or citations.

    Examples
    --------
    >>> kind_of_url("https://www.iea.org/reports/global-critical-minerals-outlook-2025")
    'official'
    >>> kind_of_url("https://example.com/page"), kind_of_url("https://example.com/page", article=True)
    ('other', 'news')
    """
    table = _host_table()
    host = (urlsplit(url).hostname or "").lower() if url and "://" in str(url) else ""
    if host:
        best = None
        for kind, hosts in table["hosts"].items():
            for h in hosts:
                if (host == h or host.endswith("." + h)) and (best is None or len(h) > len(best[1])):
                    best = (kind, h)
        if best is not None:
            return best[0]
    return table["article_default" if article else "reference_default"]


def source_kind(source: dict) -> str:
    """The kind of one source record of the view: as the data marks it, else from its URL."""
    return source.get("kind") or kind_of_url(source.get("url") or source.get("citation"), article=bool(source.get("article")))


def _rank(kind: str) -> float:
    ranks = evidence_ranks()
    return ranks.get(kind, 1) / max(ranks.values(), default=5)


def source_strength(source: dict) -> float:
    """The strength (0..1) one source lends an edge."""
    cfg = settings()["evidence"]
    r = _rank(source_kind(source))
    if source.get("article"):
        conf = source.get("confidence")
        conf = cfg["default_confidence"] if conf is None else float(conf)
        return cfg["article_scale"] * r * conf
    return cfg["reference_floor"] + (1 - cfg["reference_floor"]) * r


def _key(source: dict) -> str:
    return source.get("article") or source.get("url") or source.get("citation") or ""


def edge_strength(sources: list[dict]) -> float:
    """Strength of an edge from all its sources: the strongest per independent source, combined 1 - prod(1 - s)."""
    best: dict[str, float] = {}
    for s in sources or ():
        k = _key(s)
        best[k] = max(best.get(k, 0.0), source_strength(s))
    missing = 1.0
    for value in best.values():
        missing *= 1.0 - value
    return round(1.0 - missing, 3)


def best_kind(sources: list[dict]) -> str | None:
    """The strongest kind among an edge's sources (None when it has none)."""
    kinds = [source_kind(s) for s in sources or ()]
    return max(kinds, key=_rank) if kinds else None


def independent_sources(sources: list[dict]) -> int:
    """How many independent sources (distinct articles or URLs) back an edge."""
    return len({_key(s) for s in sources or ()})


def strength_level(value: float | None) -> str:
    """strong / moderate / weak (thresholds in settings.json), or unsourced for an edge without sources."""
    if not value:
        return "unsourced"
    for name, bound in sorted(settings()["evidence"]["levels"].items(), key=lambda kv: -kv[1]):
        if value >= bound:
            return name
    return "weak"


def annotate(view) -> None:
    """Put `strength`, `kind` (best source kind) and `n_sources` on every dependsOn edge of a view (in place)."""
    for _, _, key, data in view.edges(keys=True, data=True):
        if key == "dependsOn":
            sources = data.get("sources") or []
            data["strength"] = edge_strength(sources)
            data["kind"] = best_kind(sources)
            data["n_sources"] = independent_sources(sources)
