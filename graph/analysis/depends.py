"""What is downstream of a mineral: the components, products and industries that need it, and through which chains.

Group membership is applied at the start of the walk. Downstream of dysprosium is what depends on
dysprosium, plus what depends on a group it belongs to (robots need heavy rare earth elements, so
robots reach dysprosium); such items are marked `inherited`, because the source names the group,
not the element. Downstream of a group is what depends on the group or on any of its members.
After the start, only dependsOn edges are followed (dependent → requirement, walked backwards).
"""

from __future__ import annotations

from collections import deque

from graph.analysis import as_view, settings
from graph.analysis.names import resolve
from graph.errors import InputError
from graph.network import dependents_index


def levels() -> dict[str, list[str]]:
    return settings()["levels"]


def level_types(level: str | None) -> set[str] | None:
    if level is None:
        return None
    table = levels()
    if level not in table:
        raise InputError(f"unknown level {level!r}; choose one of {', '.join(table)}")
    return set(table[level])


def start_set(view, node: str) -> tuple[list[str], list[str]]:
    """(direct starts, inherited starts): the node and its members, then the groups it belongs to."""
    data = view.nodes[node]
    return [node, *data.get("members", ())], list(data.get("groups", ()))


def _bfs(index: dict, starts: list[str]) -> dict[str, tuple[int, str | None]]:
    """{node: (distance, the node it was reached from)} over the reversed dependsOn edges."""
    seen = {s: (0, None) for s in starts}
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        d = seen[node][0] + 1
        for dep in index.get(node, ()):
            if dep not in seen:
                seen[dep] = (d, node)
                queue.append(dep)
    return seen


def downstream(view, node: str) -> dict[str, dict]:
    """Every node that (transitively) depends on `node`: {node: {"distance", "inherited", "parent"}}.

    distance counts dependsOn edges from the nearest start (the node, a member, or a group of it);
    parent is the next node of one shortest chain towards the start.
    """
    index = dependents_index(view)
    direct, inherited = start_set(view, node)
    near = _bfs(index, direct)
    far = _bfs(index, inherited)
    starts = set(direct) | set(inherited)
    out = {}
    for n, (d, parent) in near.items():
        if n not in starts:
            out[n] = {"distance": d, "inherited": False, "parent": parent}
    for n, (d, parent) in far.items():
        if n not in starts and n not in out:
            out[n] = {"distance": d, "inherited": True, "parent": parent}
    return out


def depends(store_or_view, mineral: str, level: str | None = None, why: bool = False) -> list[dict]:
    """Everything downstream of `mineral` (a name or IRI), optionally only one level, ranked.

    Rows: label, type, iri, distance, inherited (reached only through a group the mineral belongs
    to), via (the member or group the chain goes through), chain (one shortest chain as text); with
    `why`, also `chains`: every chain (up to max_chains_per_item) with each edge's sources.
    Raises InputError for an unknown mineral or level.
    """
    view = as_view(store_or_view)
    wanted = level_types(level)
    node = resolve(view, mineral, "mineral or item")
    reached = downstream(view, node)
    nodes = view.nodes
    direct, inherited = start_set(view, node)
    goals = _goals(node, direct, inherited)
    rows = []
    for n, info in reached.items():
        data = nodes[n]
        if wanted is not None and data["type"] not in wanted:
            continue
        path = [n]
        while path[-1] in reached:
            path.append(reached[path[-1]]["parent"])
        end = path[-1]
        row = {
            "label": data["label"],
            "type": data["type"],
            "distance": info["distance"],
            "inherited": info["inherited"],
            "via": "" if end == node else nodes[end]["label"],
            "chain": _path_text(view, path, node, goals),
            "iri": n,
        }
        if why:
            row["chains"] = chains_between(view, node, n, reached=reached)
        rows.append(row)
    rows.sort(key=lambda r: (r["inherited"], r["distance"], r["label"].lower()))
    return rows


def _goals(start: str, direct: list[str], inherited: list[str]) -> dict[str, str]:
    goals = {n: "group" for n in inherited}
    goals.update({n: "member" for n in direct[1:]})
    goals[start] = "self"
    return goals


def _path_text(view, path: list[str], start: str, goals: dict) -> str:
    """The shortest chain as text, without building its steps (fast: one per row of `depends`)."""
    labels = [view.nodes[n]["label"] for n in path]
    text = " → ".join(labels)
    end = path[-1]
    if end != start:
        text += (" ∈ " if goals.get(end) == "member" else " ⊃ ") + view.nodes[start]["label"]
    return text


def chains_between(view, start: str, item: str, limit: int | None = None, reached: dict | None = None) -> list[dict]:
    """Dependency chains from `item` down to `start` (each step dependent → requirement), shortest first.

    A chain ends at `start`, at one of its members (then a memberOf step closes it) or at a group it
    belongs to (then an "includes" step closes it). Each step carries the edge's sources.
    """
    limit = limit or settings()["max_chains_per_item"]
    direct, inherited = start_set(view, start)
    goals = _goals(start, direct, inherited)
    reached = reached if reached is not None else downstream(view, start)
    allowed = set(reached) | set(goals)
    found: list[list[str]] = []
    # Breadth-first over paths, so the shortest chains come first; paths never revisit a node.
    queue = deque([[item]])
    while queue and len(found) < limit:
        path = queue.popleft()
        last = path[-1]
        if last in goals and len(path) > 1:
            found.append(path)
            continue
        for nxt in _requirements(view, last):
            if nxt in allowed and nxt not in path:
                queue.append(path + [nxt])
    return [_chain(view, start, path, goals) for path in found]


def _requirements(view, node: str) -> list[str]:
    return [v for _, v, k in view.out_edges(node, keys=True) if k == "dependsOn"]


def _step(view, subject: str, relation: str, obj: str, sources: list) -> dict:
    return {"subject": view.nodes[subject]["label"], "relation": relation, "object": view.nodes[obj]["label"],
            "sources": sources}


def _chain(view, start: str, path: list[str], goals: dict) -> dict:
    steps = [_step(view, a, "dependsOn", b, view.edges[a, b, "dependsOn"]["sources"]) for a, b in zip(path, path[1:])]
    end = path[-1]
    via = ""
    if end != start:
        via = view.nodes[end]["label"]
        if goals.get(end) == "member":
            steps.append(_step(view, end, "memberOf", start, _membership_sources(view, end, start)))
        else:
            steps.append(_step(view, end, "includes", start, _membership_sources(view, start, end)))
    return {"text": chain_text(steps), "via": via, "length": len(steps), "nodes": path + ([start] if end != start else []),
            "steps": steps}


def _membership_sources(view, member: str, group: str) -> list:
    if view.has_edge(member, group, "memberOf"):
        return view.edges[member, group, "memberOf"]["sources"]
    return []


def chain_text(steps: list[dict]) -> str:
    """'robotics → robots → heavy rare earth elements ⊃ dysprosium' (⊃ includes, ∈ member of)."""
    if not steps:
        return ""
    arrows = {"dependsOn": "→", "includes": "⊃", "memberOf": "∈"}
    parts = [steps[0]["subject"]]
    for s in steps:
        parts += [arrows.get(s["relation"], f"-{s['relation']}-"), s["object"]]
    return " ".join(parts)


def format_sources(sources: list[dict]) -> str:
    """One line per edge: the sentence (quoted) and its citation, or the citation URL."""
    bits = []
    for s in sources:
        if s.get("sentence"):
            bits.append(f"\"{s['sentence']}\" ({s.get('url') or s.get('citation') or s.get('article')})")
        else:
            bits.append(s.get("citation") or s.get("url") or "")
    return " | ".join(b for b in bits if b) or "(no source recorded)"
