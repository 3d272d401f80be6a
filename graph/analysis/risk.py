"""The biggest supply risks of an industry (or product, component): which minerals it needs, and how exposed each is.

For every mineral upstream of the target (its own chains, never a use stated only for a group):
risk = the top supplier's share (the largest country share at any supply stage, from the market the
concentration analysis uses) × the target's dependence on the mineral (scenario.dependence_all).
Each row also says whether the top supplier has export controls on the mineral itself in force or
suspended on the day (graph.analysis.in_force; reference measures preferred, as in `exposure`), and
how well the chain is sourced. Minerals without shares have
unknown risk and come last.
"""

from __future__ import annotations

import networkx as nx

from graph.analysis import as_view, settings
from graph.analysis.concentration import markets_of
from graph.analysis.depends import downstream, goals_of, path_text, start_set
from graph.analysis.evidence import strength_level
from graph.analysis.exposure import as_of_default, controls_on, weigh
from graph.analysis.names import resolve
from graph.analysis.scenario import dependence_all
from graph.dates import parse_day
from graph.network import relation_view
from graph.vocabulary import subclasses


def top_supplier(view, mineral: str) -> dict | None:
    """The largest country share of the mineral's supply stages: {country, share, stage, year, via}, or None."""
    best = None
    for m in markets_of(view, mineral):
        if m["stage"] in settings()["supply_stages"] and (best is None or m["top_share"] > best["share"]):
            best = {"country": m["top_country"], "share": m["top_share"], "stage": m["stage"], "year": m["year"],
                    "via": m["via"]}
    return best


def risk(store_or_view, target: str, as_of=None) -> list[dict]:
    """The minerals `target` depends on, biggest supply risk first.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
    target : str
        An industry, product, component or material, by name.
    as_of : str or datetime.date, optional
        The day export controls are checked on; default: the newest source in the store.

    Returns
    -------
    list of dict
        mineral, risk (0..1 or None), top_country, top_share, stage, year, dependence, controls
        (status of the top supplier's export controls on the mineral: in_force, suspended or empty),
        strength and evidence (of the chain), chain, iri. Ranked by risk, then evidence.

    Examples
    --------
    >>> [(r["mineral"], r["risk"], r["controls"]) for r in risk(fixture_view(), "automotive", "2025-12-01")]
    [('terbium', 0.91, 'in_force'), ('neodymium', 0.91, ''), ('dysprosium', 0.546, 'in_force')]
    """
    view = as_view(store_or_view)
    day = parse_day(as_of, "--as-of") if as_of is not None else as_of_default(view)
    node = resolve(view, target, "entity")
    minerals = subclasses("Mineral")
    needs = nx.descendants(relation_view(view, "dependsOn"), node)
    rows = []
    for m in needs:
        if view.nodes[m]["type"] not in minerals:
            continue
        info = downstream(view, m).get(node)
        if info is None:
            continue
        dep = dependence_all(view, m).get(node, (0.0, []))[0]
        top = top_supplier(view, m)
        status = ""
        if top is not None:
            country = resolve(view, top["country"], "country")
            _, counted, _ = weigh(controls_on(view, country, day).get(m, []))
            found = {s for _, s in counted}
            status = "in_force" if "in_force" in found else "suspended" if "suspended" in found else ""
        direct, inherited = start_set(view, m)
        rows.append({
            "mineral": view.nodes[m]["label"],
            "risk": None if top is None else round(top["share"] / 100.0 * dep, 4),
            "top_country": top and top["country"], "top_share": top and top["share"],
            "stage": top and top["stage"], "year": top and top["year"], "dependence": dep,
            "controls": status, "strength": info["strength"], "evidence": strength_level(info["strength"]),
            "chain": path_text(view, info["path"], m, goals_of(m, direct, inherited)), "iri": m,
        })
    rows.sort(key=lambda r: (r["risk"] is None, -(r["risk"] or 0), r["controls"] != "in_force", -r["strength"],
                             r["mineral"]))
    return rows
