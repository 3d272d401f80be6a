"""What if a country restricts some minerals: which industries are cut off, and how hard.

Severity of an industry = restricted share of supply × dependence, the largest over the restricted
minerals that reach it.
- Restricted share: the country's share of the mineral's supply, at the supply stage where it is
  largest (mining, refining or processing: a refiner's restriction cuts refined supply even when the
  ore is mined elsewhere), from the market the concentration analysis uses (one year, one source),
  falling back to the mineral's group (rare earths) when the mineral has no shares of its own.
- Dependence: along the strongest chain from the industry to the mineral, the product of each
  edge's stated share (sharePercent/100; 1 when none is stated), times the group inheritance factor
  (settings.json) when the chain reaches the mineral only through a group it belongs to.
Unknown shares leave severity unknown (None); such industries are listed last.
"""

from __future__ import annotations

import heapq
import math

from graph.analysis import as_view, settings
from graph.analysis.concentration import markets_of
from graph.analysis.depends import _goals, _path_text, chains_between, downstream, start_set
from graph.analysis.names import resolve
from graph.errors import InputError


def parse_restrictions(specs) -> list[tuple[str, list[str]]]:
    """'China:dysprosium,terbium' (one or more) → [('China', ['dysprosium', 'terbium'])]."""
    if isinstance(specs, str):
        specs = [specs]
    out = []
    for spec in specs or ():
        country, sep, items = str(spec).partition(":")
        names = [x.strip() for x in items.split(",") if x.strip()]
        if not sep or not country.strip() or not names:
            raise InputError(f"--restrict {spec!r} must look like COUNTRY:MINERAL[,MINERAL...]")
        out.append((country.strip(), names))
    if not out:
        raise InputError("give at least one restriction, e.g. --restrict China:dysprosium,terbium")
    return out


def supply_share(view, country: str, mineral: str) -> dict | None:
    """The country's largest share of the mineral's supply stages, with its stage, year, source and via."""
    best = None
    stages = set(settings()["supply_stages"])
    for m in markets_of(view, mineral):
        if m["stage"] not in stages:
            continue
        share = next((s["share"] for s in m["shares"] if s["country"] == view.nodes[country]["label"]), 0.0)
        if best is None or share > best["share"]:
            best = {"share": share, "stage": m["stage"], "year": m["year"], "source": m["source"], "via": m["via"]}
    return best


def dependence(view, industry: str, mineral: str) -> tuple[float, str]:
    """Strongest chain from `industry` down to `mineral`: (max product of edge weights 0..1, chain text)."""
    direct, inherited = start_set(view, mineral)
    goals = {n: 1.0 for n in direct}
    factor = settings()["group_inheritance_factor"]
    for g in inherited:
        goals.setdefault(g, factor)
    # Dijkstra on -log(weight): the max-product path.
    best = {industry: 0.0}
    parent = {industry: None}
    heap = [(0.0, industry)]
    result, end = 0.0, None
    while heap:
        cost, node = heapq.heappop(heap)
        if cost > best.get(node, math.inf):
            continue
        if node in goals and node != industry:
            value = math.exp(-cost) * goals[node]
            if value > result + 1e-12:
                result, end = value, node
        for _, nxt, k, data in view.out_edges(node, keys=True, data=True):
            if k != "dependsOn":
                continue
            w = data.get("share")
            w = min(max(float(w) / 100.0, 1e-9), 1.0) if w is not None else 1.0
            c = cost - math.log(w)
            if c < best.get(nxt, math.inf) - 1e-12:
                best[nxt] = c
                parent[nxt] = node
                heapq.heappush(heap, (c, nxt))
    if end is None:
        return 0.0, ""
    path = [end]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])
    path.reverse()
    return round(result, 4), _path_text(view, path, mineral, _goals(mineral, direct, inherited))


def severity_level(value: float | None) -> str:
    if value is None:
        return "unknown"
    for name, bound in sorted(settings()["severity_thresholds"].items(), key=lambda kv: -kv[1]):
        if value >= bound and value > 0:
            return name
    return "none"


def scenario(store_or_view, restrict) -> list[dict]:
    """Industries cut off when countries restrict minerals, most severely hit first.

    `restrict`: 'China:dysprosium,terbium', a list of such strings, or [(country, [minerals])].
    Rows: industry, severity (0..1 or None), level, mineral (the one that hits hardest), restricted_share,
    stage, year, source, via, dependence, minerals (every restricted mineral reaching it), chain (the
    strongest chain, the one the dependence comes from), chains (a few shortest chains), iri.
    """
    view = as_view(store_or_view)
    if restrict and isinstance(restrict, (list, tuple)) and isinstance(restrict[0], tuple):
        pairs = restrict
    else:
        pairs = parse_restrictions(restrict)
    targets = []
    for country_name, minerals in pairs:
        country = resolve(view, country_name, "country")
        for name in minerals:
            targets.append((country, resolve(view, name, "mineral or item")))
    rows: dict[str, dict] = {}
    for country, mineral in targets:
        share = supply_share(view, country, mineral)
        for node, info in downstream(view, mineral).items():
            if view.nodes[node]["type"] != "Industry":
                continue
            dep, strongest = dependence(view, node, mineral)
            sev = None if share is None else round(share["share"] / 100.0 * dep, 4)
            label = view.nodes[mineral]["label"]
            row = rows.get(node)
            if row is None:
                row = rows[node] = {"industry": view.nodes[node]["label"], "severity": None, "level": "unknown",
                                    "mineral": None, "country": None, "restricted_share": None, "stage": None,
                                    "year": None, "source": None, "via": None, "dependence": None,
                                    "minerals": [], "chain": "", "chains": [], "iri": node}
            if label not in row["minerals"]:
                row["minerals"].append(label)
            chains = chains_between(view, mineral, node, limit=3)
            row["chains"].extend(c["text"] for c in chains if c["text"] not in row["chains"])
            if row["mineral"] is None or (sev is not None and (row["severity"] is None or sev > row["severity"])):
                row.update(severity=sev, level=severity_level(sev), mineral=label,
                           country=view.nodes[country]["label"], dependence=dep,
                           restricted_share=None if share is None else share["share"],
                           stage=share and share["stage"], year=share and share["year"],
                           source=share and share["source"], via=share and share["via"],
                           chain=strongest or (chains[0]["text"] if chains else ""))
    out = list(rows.values())
    out.sort(key=lambda r: (r["severity"] is None, -(r["severity"] or 0), r["industry"].lower()))
    return out
