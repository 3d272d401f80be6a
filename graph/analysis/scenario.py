"""What if a country restricts some minerals: which industries are cut off, and how hard.

Severity of an industry = restricted share of supply × dependence, the largest over the restricted
minerals that reach it.
- Restricted share: the country's share of the mineral's supply, at the supply stage where it is
  largest (mining, refining or processing: a refiner's restriction cuts refined supply even when the
  ore is mined elsewhere), from the market the concentration analysis uses (one year, one source),
  falling back to the mineral's group (rare earths) when the mineral has no shares of its own.
- Dependence: along the chain from the industry to the mineral where it is largest, the product of
  each edge's stated share (sharePercent/100; 1 when none is stated).
Unknown shares leave severity unknown (None); such industries are listed last.

Group semantics as in `depends`: a use stated only for a group the mineral belongs to (robots need
heavy rare earths) is not counted unless `include_group_uses`, and then at the group inheritance
factor (settings.json). Each row also says how well its chain is sourced (strength, evidence, the
best source kind of each edge), and equally severe rows are ranked by that strength.
"""

from __future__ import annotations

import math

import networkx as nx

from graph.analysis import as_view, settings
from graph.analysis.concentration import markets_of
from graph.analysis.depends import chains_between, downstream, edge_data, goals_of, path_text, start_set, users_graph
from graph.analysis.evidence import strength_level
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


def dependence_all(view, mineral: str, include_group_uses: bool = False) -> dict[str, tuple[float, list[str]]]:
    """{node: (dependence 0..1, path from the node down to the mineral)} for everything downstream of `mineral`.

    The dependence of a node is the largest product of stated shares (sharePercent/100, 1 when none is
    stated) along a chain down to the mineral or one of its members; with `include_group_uses`, also
    down to a group it belongs to, times the group inheritance factor (settings.json). networkx's
    multi-source Dijkstra on -log(weight) over the reversed dependsOn edges finds the max-product chains.

    Examples
    --------
    >>> view = fixture_view()
    >>> dep, path = dependence_all(view, iri("mineral/dysprosium"))[iri("industry/automotive")]
    >>> dep, [view.nodes[n]["label"] for n in path]
    (0.6, ['automotive', 'EV traction motors', 'NdFeB permanent magnets', 'dysprosium'])
    """
    direct, inherited = start_set(view, mineral)
    users = users_graph(view)

    out: dict[str, tuple[float, list[str]]] = {}
    walks = [(direct, 1.0)]
    if include_group_uses:
        walks.append((inherited, settings()["group_inheritance_factor"]))
    starts = set(direct) | set(inherited)
    for walk, factor in walks:
        walk = [n for n in walk if n in users]
        if not walk:
            continue
        costs, paths = nx.multi_source_dijkstra(users, set(walk), weight="neglog")
        for node, c in costs.items():
            if node in starts:
                continue
            value = round(math.exp(-c) * factor, 4)
            if node not in out or value > out[node][0] + 1e-12:
                out[node] = (value, paths[node][::-1])
    return out


def severity_level(value: float | None) -> str:
    if value is None:
        return "unknown"
    for name, bound in sorted(settings()["severity_thresholds"].items(), key=lambda kv: -kv[1]):
        if value >= bound and value > 0:
            return name
    return "none"


def scenario(store_or_view, restrict, include_group_uses: bool = False) -> list[dict]:
    """Industries cut off when countries restrict minerals, most severely hit first.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
        The store, or its view (graph.network.load_view).
    restrict : str, list of str, or list of (country, [minerals])
        'China:dysprosium,terbium', a list of such strings, or pairs.
    include_group_uses : bool
        Also count uses stated only for a group a restricted mineral belongs to, at the group
        inheritance factor (settings.json).

    Returns
    -------
    list of dict
        industry, severity (0..1 or None), level, mineral (the one that hits hardest), country,
        restricted_share, stage, year, source, via, dependence, dependence_chain, strength and
        evidence (of the strongest-evidence chain), kinds (best source kind per edge of it),
        inherited, minerals (every restricted mineral reaching it), chain (the strongest-evidence
        chain), chains (a few more), iri. Ranked by severity, then evidence strength.

    Examples
    --------
    >>> rows = scenario(fixture_view(), "China:dysprosium,terbium")
    >>> [(r["industry"], r["severity"], r["evidence"]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('automotive', 0.91, 'strong'), ('wind power', 0.91, 'strong'), ('electronics', 0.91, 'strong'),
     ('defense', 0.91, 'moderate')]
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
        label = view.nodes[mineral]["label"]
        direct, inherited = start_set(view, mineral)
        goals = goals_of(mineral, direct, inherited)
        reached = downstream(view, mineral, include_group_uses)
        weights = dependence_all(view, mineral, include_group_uses)
        for node, info in reached.items():
            if view.nodes[node]["type"] != "Industry":
                continue
            dep, dep_path = weights.get(node, (0.0, []))
            sev = None if share is None else round(share["share"] / 100.0 * dep, 4)
            row = rows.get(node)
            if row is None:
                row = rows[node] = {"industry": view.nodes[node]["label"], "severity": None, "level": "unknown",
                                    "mineral": None, "country": None, "restricted_share": None, "stage": None,
                                    "year": None, "source": None, "via": None, "dependence": None,
                                    "dependence_chain": "", "strength": None, "evidence": None, "kinds": [],
                                    "inherited": None, "minerals": [], "chain": "", "chains": [], "iri": node}
            if label not in row["minerals"]:
                row["minerals"].append(label)
            chains = chains_between(view, mineral, node, limit=3, reached=reached)
            row["chains"].extend(c["text"] for c in chains if c["text"] not in row["chains"])
            better = sev is not None and (row["severity"] is None or sev > row["severity"])
            if row["mineral"] is None or better or (sev == row["severity"] and info["strength"] > row["strength"]):
                path = info["path"]
                row.update(severity=sev, level=severity_level(sev), mineral=label,
                           country=view.nodes[country]["label"], dependence=dep,
                           dependence_chain=path_text(view, dep_path, mineral, goals) if dep_path else "",
                           strength=info["strength"], evidence=strength_level(info["strength"]),
                           kinds=[edge_data(view, a, b)["kind"] or "" for a, b in zip(path, path[1:])],
                           inherited=info["inherited"],
                           restricted_share=None if share is None else share["share"],
                           stage=share and share["stage"], year=share and share["year"],
                           source=share and share["source"], via=share and share["via"],
                           chain=path_text(view, path, mineral, goals))
    out = list(rows.values())
    out.sort(key=lambda r: (r["severity"] is None, -(r["severity"] or 0), -(r["strength"] or 0), r["industry"].lower()))
    return out
