"""The shortest chains between two entities, following supply (what flows from A to B).

Edges are read in the direction supply flows: a requirement feeds what depends on it (Y → X for
X dependsOn Y), a mineral feeds its group and a group its members (memberOf, both ways), a country
controls, produces or dominates an item. So `path dysprosium robotics` and `path China automotive`
both read as chains from source to user. When no chain runs from A to B, the reverse direction is
tried, then any chain over every relation (tariffs and affiliations too) ignoring direction.
"""

from __future__ import annotations

import networkx as nx

from graph.analysis import as_view, settings
from graph.analysis.names import resolve
from graph.errors import InputError
from graph.relations import flow

# relation → does supply flow along the edge (True) or against it (False), from the relation table
# (graph/relations.json `flow`). Other relations (tariff, affiliatedWith) join only the undirected
# fallback, in their own direction.
FLOW = flow()


def flow_graph(view, every_relation: bool = False) -> nx.DiGraph:
    """A simple DiGraph of supply flow over the view (or over every relation), cached on the view."""
    cache_key = "_flow_all" if every_relation else "_flow"
    g = view.graph.get(cache_key)
    if g is None:
        g = nx.DiGraph()
        for u, v, k, data in view.edges(keys=True, data=True):
            rel = data.get("relation")
            if rel not in FLOW and not every_relation:
                continue
            a, b = (u, v) if FLOW.get(rel, True) else (v, u)
            if not g.has_edge(a, b):
                g.add_edge(a, b, edges=[])
            g.edges[a, b]["edges"].append((u, v, k))
            if rel == "memberOf" and not g.has_edge(v, u):
                g.add_edge(v, u, edges=[(u, v, k)])
        view.graph[cache_key] = g
    return g


def path(store_or_view, a: str, b: str, limit: int | None = None) -> list[dict]:
    """The shortest chains between entities `a` and `b` (names or IRIs), following supply.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
    a, b : str
        Two entities, by name or IRI.
    limit : int, optional
        At most this many chains (default: settings.json `max_chains_per_item`).

    Returns
    -------
    list of dict
        chain (text), length, direction ("a→b", "b→a" or "undirected"), nodes (labels), iris,
        steps [{subject, relation, object, sources}] in the data's own direction. Empty when unconnected.

    Raises
    ------
    graph.errors.InputError
        Unknown name, or a and b the same entity.

    Examples
    --------
    >>> [row["nodes"] for row in path(fixture_view(), "dysprosium", "robotics")]
    [['dysprosium', 'heavy rare earth elements', 'robots', 'robotics']]
    >>> path(fixture_view(), "robotics", "dysprosium")[0]["direction"]
    'b→a'
    """
    view = as_view(store_or_view)
    src, dst = resolve(view, a), resolve(view, b)
    if src == dst:
        raise InputError(f"{a!r} and {b!r} are the same entity")
    limit = limit or settings()["max_chains_per_item"]
    g = flow_graph(view)
    every = flow_graph(view, every_relation=True)
    attempts = ((g, src, dst, "a→b"), (g, dst, src, "b→a"), (every.to_undirected(as_view=True), src, dst, "undirected"))
    for graph, s, t, direction in attempts:
        if s not in graph or t not in graph:
            continue
        try:
            found = []
            for nodes in nx.all_shortest_paths(graph, s, t):
                found.append(nodes)
                if len(found) >= limit:
                    break
        except nx.NetworkXNoPath:
            continue
        return [_describe(view, every, nodes, direction) for nodes in found]
    return []


def _describe(view, g, nodes: list[str], direction: str) -> dict:
    steps, parts = [], [view.nodes[nodes[0]]["label"]]
    for x, y in zip(nodes, nodes[1:]):
        edge = (g.edges[x, y] if g.has_edge(x, y) else g.edges[y, x])["edges"][0]
        u, v, k = edge
        data = view.edges[u, v, k]
        steps.append({"subject": view.nodes[u]["label"], "relation": data["relation"],
                      "object": view.nodes[v]["label"], "sources": data.get("sources", [])})
        arrow = f"-{data['relation']}→" if (u, v) == (x, y) else f"←{data['relation']}-"
        parts += [arrow, view.nodes[y]["label"]]
    return {"chain": " ".join(parts), "length": len(steps), "direction": direction,
            "nodes": [view.nodes[n]["label"] for n in nodes], "iris": nodes, "steps": steps}
