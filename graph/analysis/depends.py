"""What is downstream of a mineral: the components, products and industries that need it, through which chains, how well sourced.

Group semantics. Downstream of dysprosium is what a source ties to dysprosium itself. A use stated
for a group it belongs to (rare earths in catalysts, "robots need heavy rare earths") is not a use
of every member: it is left out unless asked for (`include_group_uses=True`), and then marked
`inherited` with the group in `via`. Downstream of a group is what depends on the group or on any of
its members. After the start, only dependsOn edges are followed (dependent → requirement, walked
backwards).

Evidence. Every dependsOn edge has a strength from its sources (graph.analysis.evidence: source
kind, independent sources, extraction confidence); a chain is as strong as its weakest edge. Each
item is reached through its strongest chain (shortest among equally strong ones), and items are
ranked by that strength, so a single article sentence never outranks a cited reference chain.
The walk is networkx's multi-source Dijkstra over a reversed view of the dependsOn edges, with a
weight that makes a weaker edge cost more than any number of stronger ones.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx

from graph.analysis import as_view, settings
from graph.analysis.evidence import strength_level
from graph.analysis.names import resolve
from graph.errors import InputError
from graph.network import relation_view

_BUCKETS = 10  # strength is compared in steps of 1/10
_BASE = 32  # more edges than this in one chain at one strength step could outweigh a weaker step (32**10 < 2**53)


def levels() -> dict[str, list[str]]:
    """The levels `depends` can keep (settings.json): component, product, industry → entity types."""
    return settings()["levels"]


def level_types(level: str | None) -> set[str] | None:
    """The entity types of one level, None for every level; InputError for an unknown level."""
    if level is None:
        return None
    table = levels()
    if level not in table:
        raise InputError(f"unknown level {level!r}; choose one of {', '.join(table)}")
    return set(table[level])


def start_set(view, node: str) -> tuple[list[str], list[str]]:
    """(direct starts, group starts): the node and its members, then the groups it belongs to.

    Examples
    --------
    >>> view = fixture_view()
    >>> [view.nodes[n]["label"] for group in start_set(view, iri("mineral/dysprosium")) for n in group]
    ['dysprosium', 'heavy rare earth elements', 'rare earth elements']
    """
    data = view.nodes[node]
    return [node, *data.get("members", ())], list(data.get("groups", ()))


def goals_of(start: str, direct: list[str], inherited: list[str]) -> dict[str, str]:
    """{node: "self" | "member" | "group"}: how each start node relates to the node asked about."""
    goals = {n: "group" for n in inherited}
    goals.update({n: "member" for n in direct[1:]})
    goals[start] = "self"
    return goals


def users_graph(view) -> nx.DiGraph:
    """The dependsOn edges reversed (requirement → dependent), the direction a walk downstream takes; cached on the view.

    A plain DiGraph (one edge per pair) whose edges carry the view edge's `strength`, `share`, `kind`
    and `n_sources`, plus the Dijkstra weights `cost` (strongest chain, see `downstream`) and
    `neglog` (-log of the stated share, for scenario.dependence_all).
    """
    cached = view.graph.get("_users")
    if cached is None:
        cached = nx.DiGraph()
        cached.add_nodes_from(view)
        for u, v, data in relation_view(view, "dependsOn").edges(data=True):
            strength = data.get("strength") or 0.0
            share = data.get("share")
            cached.add_edge(v, u, strength=strength, share=share, kind=data.get("kind"),
                            n_sources=data.get("n_sources") or 0,
                            # a weaker step costs more than any number (< _BASE) of stronger ones: Dijkstra finds
                            # the max-min chain, the shortest among equally strong ones (exact integers in a float)
                            cost=float(_BASE ** round((1.0 - strength) * _BUCKETS)),
                            neglog=-math.log(min(max(float(share) / 100.0, 1e-9), 1.0)) if share is not None else 0.0)
        view.graph["_users"] = cached
    return cached


def _strongest(view, starts: list[str]) -> dict[str, list[str]]:
    """{node: strongest path from one of `starts` up to it} over reversed dependsOn edges (starts excluded)."""
    starts = [s for s in starts if s in view]
    if not starts:
        return {}
    _, paths = nx.multi_source_dijkstra(users_graph(view), set(starts), weight="cost")
    return {n: p for n, p in paths.items() if len(p) > 1}


def edge_data(view, dependent: str, requirement: str) -> dict:
    """What `users_graph` keeps of one dependsOn edge: strength, share, kind, n_sources."""
    return users_graph(view).adj[requirement][dependent]


def chain_strength(view, nodes: list[str]) -> float:
    """Strength of a chain of dependsOn edges (dependent first): its weakest edge's."""
    return min((edge_data(view, a, b)["strength"] for a, b in zip(nodes, nodes[1:])), default=0.0)


def downstream(view, node: str, include_group_uses: bool = False) -> dict[str, dict]:
    """Every node that (transitively) depends on `node`: {node: {distance, inherited, path, strength}}.

    `path` runs from the item down to the start (the node, a member of it, or with
    `include_group_uses` a group it belongs to) along the strongest chain; `distance` is its number
    of dependsOn edges; `strength` its weakest edge's strength.

    Examples
    --------
    >>> view = fixture_view()
    >>> sorted(view.nodes[n]["label"] for n in downstream(view, iri("mineral/gallium")))
    ['GaN power chips', 'semiconductors']
    >>> reached = downstream(view, iri("mineral/dysprosium"), include_group_uses=True)
    >>> sorted(view.nodes[n]["label"] for n, info in reached.items() if info["inherited"])
    ['petroleum refining', 'rare-earth catalysts', 'robotics', 'robots']
    """
    direct, inherited = start_set(view, node)
    starts = set(direct) | set(inherited)
    succ = users_graph(view).succ
    out = {}
    for group, walk in ((False, direct), (True, inherited if include_group_uses else [])):
        paths = _strongest(view, walk)
        weakest: dict[str, float] = {}
        for n in sorted(paths, key=lambda x: len(paths[x])):  # a path's prefix is its parent's path
            path = paths[n]
            before = weakest.get(path[-2], 1.0)
            weakest[n] = min(before, succ[path[-2]][n]["strength"])
            if n in starts or n in out:
                continue
            out[n] = {"distance": len(path) - 1, "inherited": group, "path": path[::-1], "strength": weakest[n]}
    return out


def depends(store_or_view, mineral: str, level: str | None = None, why: bool = False,
            include_group_uses: bool = False) -> list[dict]:
    """Everything downstream of `mineral` (a name or IRI), optionally one level only, strongest evidence first.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
        The store, or its view (graph.network.load_view).
    mineral : str
        A mineral, group or other item, by name or IRI.
    level : {"component", "product", "industry"}, optional
        Keep only the items of that level.
    why : bool
        Add `chains`: every chain (up to max_chains_per_item) with each edge's sources.
    include_group_uses : bool
        Also list uses stated only for a group the mineral belongs to (marked `inherited`).

    Returns
    -------
    list of dict
        label, type, distance, strength (0..1, of the strongest chain), evidence (strong, moderate,
        weak), kinds (best source kind of each edge of the chain), share (the largest share a source
        states along the chain, e.g. steel takes 90% of manganese), n_sources (independent sources of its least corroborated edge),
        inherited, via (the member or group the chain goes through), chain (text), iri; with `why`,
        also chains. Ranked: own uses before group uses, then by strength, stated share, number of
        sources and distance.

    Raises
    ------
    graph.errors.InputError
        Unknown mineral or level.

    Examples
    --------
    >>> rows = depends(fixture_view(), "dysprosium", level="industry")
    >>> [(r["label"], r["evidence"]) for r in rows]
    [('automotive', 'strong'), ('electronics', 'strong'), ('wind power', 'strong'), ('defense', 'moderate')]
    >>> "petroleum refining" in [r["label"] for r in rows]
    False
    """
    view = as_view(store_or_view)
    wanted = level_types(level)
    node = resolve(view, mineral, "mineral or item")
    reached = downstream(view, node, include_group_uses)
    direct, inherited = start_set(view, node)
    goals = goals_of(node, direct, inherited)
    rows = []
    for n, info in reached.items():
        data = view.nodes[n]
        if wanted is not None and data["type"] not in wanted:
            continue
        path = info["path"]
        end = path[-1]
        steps = [edge_data(view, a, b) for a, b in zip(path, path[1:])]
        row = {
            "label": data["label"],
            "type": data["type"],
            "distance": info["distance"],
            "strength": info["strength"],
            "evidence": strength_level(info["strength"]),
            "kinds": [e["kind"] or "" for e in steps],
            "share": max((float(e["share"]) for e in steps if e["share"] is not None), default=None),
            "n_sources": min((e["n_sources"] for e in steps), default=0),
            "inherited": info["inherited"],
            "via": "" if end == node else view.nodes[end]["label"],
            "chain": path_text(view, path, node, goals),
            "iri": n,
        }
        if why:
            row["chains"] = chains_between(view, node, n, reached=reached)
        rows.append(row)
    rows.sort(key=lambda r: (r["inherited"], -r["strength"], -(r["share"] or 0), -r["n_sources"], r["distance"],
                             r["label"].lower()))
    return rows


def group_uses(store_or_view, mineral: str, level: str | None = None) -> dict[str, list[str]]:
    """Uses stated only for the groups `mineral` belongs to: {group label: [item labels]}.

    What `depends` leaves out of a member's answer unless `include_group_uses`: "uses of rare earths
    as a group, not specific to dysprosium".

    Examples
    --------
    >>> group_uses(fixture_view(), "dysprosium", level="industry")
    {'heavy rare earth elements': ['robotics'], 'rare earth elements': ['petroleum refining']}
    """
    view = as_view(store_or_view)
    wanted = level_types(level)
    node = resolve(view, mineral, "mineral or item")
    out: dict[str, list[str]] = {}
    for n, info in downstream(view, node, include_group_uses=True).items():
        if info["inherited"] and (wanted is None or view.nodes[n]["type"] in wanted):
            out.setdefault(view.nodes[info["path"][-1]]["label"], []).append(view.nodes[n]["label"])
    return {g: sorted(items, key=str.lower) for g, items in sorted(out.items())}


def path_text(view, path: list[str], start: str, goals: dict) -> str:
    """A chain (dependent first) as text: 'robotics → robots → heavy rare earth elements ⊃ dysprosium'."""
    text = " → ".join(view.nodes[n]["label"] for n in path)
    end = path[-1]
    if end != start:
        text += (" ∈ " if goals.get(end) == "member" else " ⊃ ") + view.nodes[start]["label"]
    return text


def chains_between(view, start: str, item: str, limit: int | None = None, reached: dict | None = None) -> list[dict]:
    """Dependency chains from `item` down to `start` (each step dependent → requirement), strongest first.

    A chain ends at `start`, at one of its members (then a memberOf step closes it) or, when `item`
    was reached through a group, at a group it belongs to (then an "includes" step closes it). Each
    step carries the edge's sources, best source kind and strength. Chains are searched up to two
    edges longer than the shortest; ties in strength go to the shorter chain.
    """
    limit = limit or settings()["max_chains_per_item"]
    direct, inherited = start_set(view, start)
    goals = goals_of(start, direct, inherited)
    reached = reached if reached is not None else downstream(view, start, include_group_uses=True)
    info = reached.get(item)
    if info is None:
        return []
    ends = set(direct) if not info["inherited"] else set(goals)
    allowed = set(reached) | set(goals)
    deps = nx.subgraph_view(relation_view(view, "dependsOn"), filter_node=lambda n: n in allowed)
    found = list(itertools.islice(nx.all_simple_paths(deps, item, ends, cutoff=info["distance"] + 2), 500))
    found.sort(key=lambda p: (-chain_strength(view, p), len(p), [view.nodes[n]["label"] for n in p]))
    return [_chain(view, start, path, goals) for path in found[:limit]]


def _step(view, subject: str, relation: str, obj: str, data: dict) -> dict:
    return {"subject": view.nodes[subject]["label"], "relation": relation, "object": view.nodes[obj]["label"],
            "sources": data.get("sources", []), "kind": data.get("kind"), "strength": data.get("strength")}


def _chain(view, start: str, path: list[str], goals: dict) -> dict:
    steps = [_step(view, a, "dependsOn", b, view.edges[a, b, "dependsOn"]) for a, b in zip(path, path[1:])]
    end = path[-1]
    via = ""
    if end != start:
        via = view.nodes[end]["label"]
        if goals.get(end) == "member":
            steps.append(_step(view, end, "memberOf", start, _membership(view, end, start)))
        else:
            steps.append(_step(view, end, "includes", start, _membership(view, start, end)))
    strength = chain_strength(view, path)
    return {"text": chain_text(steps), "via": via, "length": len(steps), "strength": strength,
            "evidence": strength_level(strength), "nodes": path + ([start] if end != start else []), "steps": steps}


def _membership(view, member: str, group: str) -> dict:
    if view.has_edge(member, group, "memberOf"):
        return view.edges[member, group, "memberOf"]
    return {}


def chain_text(steps: list[dict]) -> str:
    """'robotics → robots → heavy rare earth elements ⊃ dysprosium' (⊃ includes, ∈ member of)."""
    if not steps:
        return ""
    arrows = {"dependsOn": "→", "includes": "⊃", "memberOf": "∈"}
    parts = [steps[0]["subject"]]
    for s in steps:
        parts += [arrows.get(s["relation"], f"-{s['relation']}-"), s["object"]]
    return " ".join(parts)
