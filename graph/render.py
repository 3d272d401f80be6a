"""The interactive HTML view of the graph: one self-contained, offline, safe file.

Why not pyvis's own output: `Network.write_html` links Bootstrap (and, by default, vis-network) from a
CDN, copies a lib/ folder into the working directory, writes without an explicit encoding and not
atomically, and `from_nx`/`add_node` are quadratic (about 20 s for 20k nodes). So the page is written
here: the node and edge JSON is built in one pass, vis-network's JS and CSS are read at run time from
the installed pyvis package (vis-network is MIT/Apache-2.0, pyvis BSD) and inlined, and the file is
written in UTF-8 through a temporary file and a rename.

Why it is safe with hostile article text: the data travels as JSON inside a
`<script type="application/json">` block with `<`, `>`, `&`, U+2028 and U+2029 escaped, and the page
script puts strings into the DOM only as text; vis-network draws labels on a canvas. A
Content-Security-Policy allows exactly the page's own inline scripts and styles (by SHA-256 hash) and
no remote load of any kind.

The input is the "view" of `graph.network.load_view`: a networkx MultiDiGraph whose nodes carry
`label`, `type` (class local name), `iri` (and optionally `alt_labels`), and whose edges carry
`relation` and `sources` (dicts with sentence, url, article, title, citation) plus relation-specific
attributes (controls: status, measure, effective, lifted; produces: stage, share, year).
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import hashlib
import html
import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

from graph.analysis.evidence import strength_level
from graph.analysis.in_force import start_of, status_on
from graph.dates import first_day, parse_day
from graph.errors import CmkgError, InputError
from graph.outputs import atomic_write

DEFAULT_TITLE = "cmkg: critical-mineral dependency graph"
VIS_VERSION = "vis-9.1.2"

#: Relations that make up a dependency chain (walked by `focus_nodes`).
DEPENDS_ON = "dependsOn"
#: Drawn edge for a dependency through nodes hidden by a class filter (see `via_edges`).
DEPENDS_ON_VIA = "dependsOnVia"
MEMBER_OF = "memberOf"
#: Relations by which an agent acts on an item; their sources join a chain one hop deep.
AGENT_RELATIONS = frozenset({"controls", "tariff", "produces", "dominates"})
#: Policy relations that `as_of` filters by their dates and status.
POLICY_RELATIONS = frozenset({"controls", "tariff"})
#: Classes whose focus view is a dependency chain; other nodes (agents) get their neighbourhood.
CHAIN_CLASSES = frozenset({"Item", "Mineral", "MineralGroup", "Material", "Component", "Technology", "Product",
                           "Industry"})
SOURCE_FIELDS = ("sentence", "url", "article", "title", "citation")
#: In the default view, a producer is drawn when it holds at least this share of a mineral's stage.
PRODUCER_MIN_SHARE = 10.0
#: Views with more nodes than this are laid out by the page's physics instead of in layers.
LAYERED_MAX = 5000
NODE_SIZE_MIN, NODE_SIZE_MAX = 8.0, 34.0
_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class RenderReport:
    """What was written: the file, what it shows, and anything the reader should be told."""

    path: Path
    nodes: int
    edges: int
    focus: tuple[str, ...] = ()
    notice: str | None = None


# ---------------------------------------------------------------------------------------------- API


def render_html(G: nx.MultiDiGraph, path: str | Path, *, focus: str | None = None, depth: int = 2,
                types: str | Iterable[str] | None = None, as_of: str | dt.date | None = None,
                title: str = DEFAULT_TITLE, show_all: bool = False) -> Path:
    """Write the interactive view of `G` to `path` and return the path (see `render_view`)."""
    return render_view(G, path, focus=focus, depth=depth, types=types, as_of=as_of, title=title,
                       show_all=show_all).path


def render_store(store, path: str | Path, **kw) -> Path:
    """Write the interactive view of everything in `store` (keywords as for `render_html`)."""
    return render_store_report(store, path, **kw).path


def render_store_report(store, path: str | Path, **kw) -> RenderReport:
    """Like `render_store`, with what was drawn. An empty store still gets a page, which says so."""
    from graph.network import load_view

    try:
        view = load_view(store)
    except InputError as err:  # load_view's only input errors: the store is empty or holds no entities
        return render_view(nx.MultiDiGraph(), path, empty_notice=f"Nothing to draw ({err}).", **kw)
    return render_view(view, path, **kw)


def render_view(G: nx.MultiDiGraph, path: str | Path, *, focus: str | None = None, depth: int = 2,
                types: str | Iterable[str] | None = None, as_of: str | dt.date | None = None,
                title: str = DEFAULT_TITLE, empty_notice: str | None = None, show_all: bool = False) -> RenderReport:
    """Select what to show, build the page and write it atomically in UTF-8.

    Without a focus the page shows the dependency backbone (`backbone_nodes`) in layers, minerals on
    the left and industries on the right; `show_all` draws every node, isolated ones included.
    focus: a node label (case-insensitive; alt labels and IRIs also work); the page then shows the
    node's dependency chain up to `depth` dependsOn steps (see `focus_nodes`). types: class names to
    keep (the focus always stays). as_of: hide export controls and tariffs not in force on that day
    (the timeline keeps every measure and shows its status on that day).
    """
    payload, summary, notice, roots = build_payload(G, focus=focus, depth=depth, types=types, as_of=as_of,
                                                   show_all=show_all)
    if empty_notice and G.number_of_nodes() == 0:
        notice = empty_notice
    page = page_html(payload, title=title or DEFAULT_TITLE, summary=summary, notice=notice)
    target = atomic_write(Path(path), page)
    return RenderReport(target, len(payload["nodes"]), len(payload["edges"]),
                        tuple(G.nodes[r].get("label") or str(r) for r in roots), notice)


def build_payload(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2,
                  types: str | Iterable[str] | None = None, as_of: str | dt.date | None = None,
                  show_all: bool = False) -> tuple[dict, str, str | None, list]:
    """What the page (and `to_pyvis`) draws: (payload, summary line, notice or None, focus nodes)."""
    day = parse_as_of(as_of)
    wanted = parse_types(G, types)
    if depth is None or depth < 0:
        raise InputError(f"--depth must be 0 or more, not {depth}")
    H, roots, notice = select_view(G, focus=focus, depth=depth, types=wanted, as_of=day, show_all=show_all)
    inherited = group_inherited(G, roots, depth) if roots else {}
    layout = "physics" if roots or H.number_of_nodes() > LAYERED_MAX else "layered"
    payload = graph_payload(G, H, roots, layout=layout, day=day, inherited=inherited)
    summary = _summary(G, H, payload, roots, depth, wanted, day, show_all)
    return payload, summary, notice, roots


def to_pyvis(G, *, focus: str | None = None, depth: int = 2, types: str | Iterable[str] | None = None,
             as_of: str | dt.date | None = None, show_all: bool = False, notebook: bool = True,
             cdn_resources: str = "remote", height: str = "640px"):
    """The same view as a `pyvis.network.Network`, for those who script it (notebooks: `net.show(...)`).

    `G` is a view (graph.network.load_view) or a store. Nodes, their shapes, colours, sizes, label sizes
    and positions (the layered default view), the focus border and the edges are those of the HTML page
    (`build_payload`); tooltips are plain text (label, class, facts in words, the first source sentence).
    The lists are filled in one pass through pyvis's public `nodes`, `edges`, `node_ids` and `node_map`,
    not with `add_node`/`from_nx`, which check membership in a list and are quadratic. Tweak it as any
    pyvis network (`show_buttons`, `toggle_physics`, `set_options`).
    """
    from pyvis.network import Network

    if not isinstance(G, nx.Graph):
        from graph.network import load_view

        G = load_view(G)
    payload, _, _, _ = build_payload(G, focus=focus, depth=depth, types=types, as_of=as_of, show_all=show_all)
    style = payload["style"]
    net = Network(height=height, width="100%", directed=True, notebook=notebook, cdn_resources=cdn_resources)
    names = {}
    nodes = []
    for n in payload["nodes"]:
        s = style["classes"].get(n["type"], style["other_class"])
        names[n["id"]] = n["label"]
        title = [n["label"], s["legend"] if n["type"] in style["classes"] else (n["type"] or "Other"),
                 f"{n['degree']} link(s)"]
        if n.get("alt"):
            title.append("also called " + ", ".join(n["alt"]))
        if n.get("inherited"):
            title.append(f"depends only on a group the focus belongs to ({n['inherited']})")
        item = {"id": n["id"], "label": "\n".join(_wrap(n["label"])), "shape": s["shape"], "size": n["size"],
                "color": {"background": s["color"], "border": "#000000" if n.get("focus") else "#444444"},
                "borderWidth": 4 if n.get("focus") else 1, "font": {"size": n["font"]}, "title": "\n".join(title),
                "opacity": 0.35 if n.get("inherited") else 1}
        if s["shape"] in _INSIDE:
            item["font"]["color"] = s.get("label_color", "#111111")
        if "x" in n:
            item.update(x=n["x"], y=n["y"], physics=False)
        nodes.append(item)
    edges = []
    for e in payload["edges"]:
        r = style["relations"].get(e["relation"], style["other_relation"])
        lines = [f"{names[e['from']]} \u2192 {r['legend']} \u2192 {names[e['to']]}"]
        for fact in e["facts"][:3]:
            lines += [f"{k}: {v}" for k, v in fact["words"]]
            sentence = next((src.get("sentence") for src in fact["sources"] if src.get("sentence")), None)
            if sentence:
                lines.append(f"\u201c{sentence}\u201d")
        supply = e["relation"] in (DEPENDS_ON, DEPENDS_ON_VIA)
        edges.append({"from": e["from"], "to": e["to"], "title": "\n".join(lines), "color": r["color"],
                      "dashes": bool(r["dashes"] or e.get("inherited")), "arrows": "from" if supply else "to"})
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    if payload["layout"] == "layered":
        net.toggle_physics(False)
    return net


# ------------------------------------------------------------------------------------ selection


def select_view(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2, types: set[str] | None = None,
                as_of: dt.date | None = None, show_all: bool = False) -> tuple[nx.MultiDiGraph, list, str | None]:
    """The subgraph to draw, the focus nodes, and a notice for the reader (or None).

    Without a focus, the default is the dependency backbone (`backbone_nodes`); `show_all` draws every
    node, isolated ones included. A node left without any edge is never drawn unless `show_all` (or
    it is the focus).
    """
    if as_of is not None:
        G = policy_in_force(G, as_of)
    if G.number_of_nodes() == 0:
        return G, [], "The graph is empty: there is nothing to draw yet. Ingest some articles first."
    roots: list = []
    keep = set(G)
    notice = None
    if focus is not None and str(focus).strip():
        roots = resolve_focus(G, focus)
        keep = focus_nodes(G, roots, depth)
        if len(keep) == len(roots):
            names = ", ".join(_label(G, r) for r in roots)
            notice = (f"Nothing is linked to {names} within {depth} step(s)"
                      + (f" as of {as_of.isoformat()}" if as_of else "") + ": only the node itself is shown.")
    elif not show_all and not types:
        keep = backbone_nodes(G)
    via: list = []
    if types:
        linked = len(keep) - len(roots)
        before = keep
        keep = {n for n in keep if G.nodes[n].get("type") in types}
        keep.update(roots)
        chosen = ", ".join(sorted(types))
        if not keep:
            notice = f"No node of the chosen types ({chosen}) is in the graph."
        elif roots and len(keep) == len(roots) and linked > 0:
            names = ", ".join(_label(G, r) for r in roots)
            notice = (f"None of the {linked} node(s) linked to {names} within {depth} step(s) is of the chosen "
                      f"types ({chosen}): only the node itself is shown.")
        via = via_edges(G, keep, before - keep)
    if via:
        H = nx.MultiDiGraph()
        H.add_nodes_from((n, G.nodes[n]) for n in G if n in keep)
        H.add_edges_from(G.subgraph(keep).edges(keys=True, data=True))
        for u, v, path in via:
            H.add_edge(u, v, relation=DEPENDS_ON_VIA, via=" \u2192 ".join(_label(G, n) for n in path), sources=[])
    elif len(keep) == G.number_of_nodes():
        H = G
    else:
        H = G.subgraph(keep)
    if not show_all:
        lonely = [n for n in H if n not in roots and not H.succ[n] and not H.pred[n]]
        if lonely:
            H = H.subgraph(set(H) - set(lonely))
            if H.number_of_nodes() == 0 and notice is None:
                notice = (f"No node of the chosen types has an edge ({len(lonely)} isolated node(s) hidden; "
                          "`cmkg render --all` draws them).")
    return H, roots, notice


def backbone_nodes(G: nx.MultiDiGraph) -> set:
    """The default full view: the dependency backbone and the agents acting on it.

    Items and industries on a dependsOn edge (minerals → materials → components → products →
    industries), the minerals of a group on it (memberOf), every issuer of an export control or tariff
    and every dominant actor on those, and the leading producers of each mineral (a share of at least
    PRODUCER_MIN_SHARE %, or the largest share of its mineral and stage). Countries, companies and
    media organisations that are only mentioned are left out; `--all` draws them.
    """
    keep = set()
    for u, v, rel in G.edges(data="relation"):
        if rel == DEPENDS_ON:
            keep.add(u)
            keep.add(v)
    for u, v, rel in G.edges(data="relation"):
        if rel == MEMBER_OF and (u in keep or v in keep):
            keep.add(u)
            keep.add(v)
    best: dict[tuple, float] = {}
    shares = []
    for u, v, a in G.edges(data=True):
        if a.get("relation") == "produces" and v in keep:
            share = a.get("share")
            share = float(share) if isinstance(share, (int, float)) else 0.0
            shares.append((u, v, a.get("stage"), share))
            best[(v, a.get("stage"))] = max(best.get((v, a.get("stage")), 0.0), share)
    agents = set()
    for u, v, stage, share in shares:
        if share >= PRODUCER_MIN_SHARE or (share > 0 and share >= best[(v, stage)]):
            agents.add(u)
    for u, v, rel in G.edges(data="relation"):
        if rel in ("controls", "tariff", "dominates") and (v in keep or rel == "tariff"):
            agents.add(u)
    for u, v, rel in G.edges(data="relation"):
        if rel == "tariff" and u in agents:
            agents.add(v)
    return keep | agents


def via_edges(G: nx.MultiDiGraph, keep: set, hidden: set, *, budget: int = 500_000) -> list[tuple]:
    """Dependencies that pass only through hidden nodes, as (u, v, path of hidden nodes).

    Hiding classes (--types Mineral,Industry) would otherwise cut every chain in two: "electric
    vehicles → motors → magnets → dysprosium" becomes one "depends on (via …)" edge. The walk leaves
    a kept node along dependsOn, crosses hidden nodes along dependsOn or from a hidden group down to
    its members (a dependency on a group reaches its members), and stops at the first kept node.
    `budget` bounds the work on huge graphs; the first path found is the one shown.
    """
    if not hidden:
        return []
    direct = {(u, v) for u, v, r in G.edges(data="relation") if r == DEPENDS_ON and u in keep and v in keep}
    found: dict[tuple, tuple] = {}

    def steps(node):
        for _, w, r in G.out_edges(node, data="relation"):
            if r == DEPENDS_ON:
                yield w
        for w, _, r in G.in_edges(node, data="relation"):
            if r == MEMBER_OF:
                yield w

    for u in (n for n in G if n in keep):
        queue = deque((w, (w,)) for _, w, r in G.out_edges(u, data="relation") if r == DEPENDS_ON and w in hidden)
        seen = {w for w, _ in queue}
        while queue and budget > 0:
            node, path = queue.popleft()
            for w in steps(node):
                budget -= 1
                if w in keep:
                    if w != u and (u, w) not in direct and (u, w) not in found:
                        found[(u, w)] = path
                elif w in hidden and w not in seen:
                    seen.add(w)
                    queue.append((w, path + (w,)))
    return [(u, v, path) for (u, v), path in found.items()]


def resolve_focus(G: nx.MultiDiGraph, name: str) -> list:
    """The node a typed name stands for (graph.analysis.names.resolve: labels, alt labels, IRIs, plurals).

    InputError with "did you mean" suggestions when no entity has that name.
    """
    from graph.analysis.names import resolve

    return [resolve(G, str(name))]


def focus_nodes(G: nx.MultiDiGraph, roots: Iterable, depth: int) -> set:
    """The dependency chain around `roots`, at most `depth` dependsOn steps away.

    Downstream: what depends on a root (dependsOn followed backwards). memberOf steps are free and go
    up to the groups, so whatever depends on "rare earth elements" is downstream of dysprosium.
    Upstream: what a root depends on (dependsOn forwards), with the members of a required group.
    Then every agent that controls, taxes, produces or dominates a node of the chain (one hop).
    A root outside the item classes (a country, a company, a person) gets its neighbourhood instead:
    every node within `depth` edges in either direction.
    """
    chain: set = set()
    around: set = set()
    for root in roots:
        if G.nodes[root].get("type") in CHAIN_CLASSES or _has_chain_edges(G, root):
            chain |= _walk(G, root, depth, downstream=True)
            chain |= _walk(G, root, depth, downstream=False)
        else:
            around |= set(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), root, cutoff=depth))
    agents = {src for node in chain for src, _, rel in G.in_edges(node, data="relation") if rel in AGENT_RELATIONS}
    return chain | agents | around


def group_inherited(G: nx.MultiDiGraph, roots: Iterable, depth: int) -> dict:
    """Nodes of a focus view that depend on a root only through a mineral group it belongs to.

    A use stated for "rare earth elements" is not a use of dysprosium (issue: group semantics): such
    nodes are drawn apart (faded, their edges dashed) and can be hidden. Returns {node: group label}.
    """
    roots = list(roots)
    direct: set = set()
    for root in roots:
        direct |= _walk(G, root, depth, downstream=True, groups=False)
    out: dict = {}
    for root in roots:
        for group in _walk(G, root, depth, downstream=True) - direct:
            if not any(r == MEMBER_OF for _, _, r in G.in_edges(group, data="relation")):
                continue  # not a group (only groups have members)
            for node in _walk(G, group, depth, downstream=True, groups=False) - direct:
                if node != group:
                    out.setdefault(node, _label(G, group))
    return out


def _has_chain_edges(G, node) -> bool:
    return any(rel in (DEPENDS_ON, MEMBER_OF) for _, _, rel in G.in_edges(node, data="relation")) or any(
        rel in (DEPENDS_ON, MEMBER_OF) for _, _, rel in G.out_edges(node, data="relation"))


def _walk(G, root, depth: int, *, downstream: bool, groups: bool = True) -> set:
    """0-1 breadth-first walk: a dependsOn step costs 1, a memberOf step 0 (none when not `groups`)."""
    dist = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        d = dist[node]
        if downstream:
            steps = [(u, 1) for u, _, r in G.in_edges(node, data="relation") if r == DEPENDS_ON]
            if groups:
                steps += [(v, 0) for _, v, r in G.out_edges(node, data="relation") if r == MEMBER_OF]
        else:
            steps = [(v, 1) for _, v, r in G.out_edges(node, data="relation") if r == DEPENDS_ON]
            steps += [(u, 0) for u, _, r in G.in_edges(node, data="relation") if r == MEMBER_OF]
        for nxt, cost in steps:
            nd = d + cost
            if nd <= depth and nd < dist.get(nxt, math.inf):
                dist[nxt] = nd
                if cost:
                    queue.append(nxt)
                else:
                    queue.appendleft(nxt)
    return set(dist)


def parse_types(G: nx.MultiDiGraph, types: str | Iterable[str] | None) -> set[str] | None:
    """Class names from "Mineral,Component" or a list, matched case-insensitively against the known classes."""
    if types is None:
        return None
    items = types.split(",") if isinstance(types, str) else list(types)
    items = [t.strip() for t in items if t and t.strip()]
    if not items:
        return None
    known = {c.lower(): c for c in _style()["classes"]}
    known.update({str(t).lower(): str(t) for _, t in G.nodes(data="type") if t})
    out = set()
    for item in items:
        if item.lower() in known:
            out.add(known[item.lower()])
            continue
        close = difflib.get_close_matches(item.lower(), list(known), n=3, cutoff=0.6)
        hint = "; did you mean " + ", ".join(known[c] for c in close) + "?" if close else ""
        raise InputError(f'unknown node type "{item}"{hint} (known: {", ".join(sorted(set(known.values())))})')
    return out


def parse_as_of(value: str | dt.date | None) -> dt.date | None:
    """The --as-of day (YYYY-MM-DD; YYYY-MM and YYYY count from their first day), or None."""
    if value is None or value == "":
        return None
    return parse_day(value, "--as-of")


def policy_in_force(G: nx.MultiDiGraph, day: dt.date) -> nx.MultiDiGraph:
    """A view of G without the export controls and tariffs that were not in force on `day`.

    "In force" is graph.analysis.in_force.status_on, the rule `cmkg exposure --as-of` uses too.
    """
    hidden = {(u, v, k) for u, v, k, a in G.edges(keys=True, data=True)
              if a.get("relation") in POLICY_RELATIONS and status_on(a, day) != "in_force"}
    if not hidden:
        return G
    return nx.subgraph_view(G, filter_edge=lambda u, v, k: (u, v, k) not in hidden)


# ------------------------------------------------------------------------------------- payload


def graph_payload(G: nx.MultiDiGraph, H: nx.MultiDiGraph, roots: Iterable = (), *, layout: str = "physics",
                  day: dt.date | None = None, inherited: dict | None = None) -> dict:
    """Nodes and edges of H as plain JSON data; node size and label size from the number of neighbours in G.

    Parallel edges with the same relation between the same two nodes are drawn as one edge that
    lists every fact (e.g. two export-control measures on the same mineral). Each fact carries its
    raw `attrs` and `words`: the same facts as a person reads them ("effective 4 April 2025").
    layout "layered" gives every node a position (`layered_positions`); "physics" leaves it to the
    page. `inherited` maps nodes reached only through a mineral group to that group's label.
    """
    roots = set(roots)
    inherited = inherited or {}
    day = day or data_day(G)
    index: dict = {}
    degrees = {}
    for n in H:
        degrees[n] = len(G.succ[n].keys() | G.pred[n].keys())
    top = max(degrees.values(), default=1) or 1
    ranked = sorted(H, key=lambda n: (-degrees[n], _label(G, n)))
    rank = {n: i for i, n in enumerate(ranked)}
    positions = layered_positions(G, H) if layout == "layered" and H.number_of_nodes() else {}
    fonts = label_sizes(H, ranked, positions, tier_sizes(positions)) if positions else {}
    nodes = []
    for i, (n, attrs) in enumerate(H.nodes(data=True)):
        index[n] = i
        deg = degrees[n]
        item = {
            "id": i,
            "label": _text(attrs.get("label")) or _tail(n),
            "type": _text(attrs.get("type")) or "",
            "iri": _text(attrs.get("iri")) or str(n),
            "size": round(NODE_SIZE_MIN + (NODE_SIZE_MAX - NODE_SIZE_MIN) * math.sqrt(deg / top), 1),
            "degree": deg,
            "font": fonts.get(n, FONT_SIZES[-1]),
        }
        if n in positions:
            item["x"], item["y"] = positions[n]
        alt = _alt_labels(attrs.get("alt_labels"))
        if alt:
            item["alt"] = alt
        if n in roots:
            item["focus"] = True
        if n in inherited and n not in roots:
            item["inherited"] = inherited[n]
        nodes.append(item)
    merged: dict[tuple, dict] = {}
    for u, v, attrs in H.edges(data=True):
        rel = _text(attrs.get("relation")) or "related"
        key = (index[u], index[v], rel)
        edge = merged.get(key)
        if edge is None:
            edge = merged[key] = {"id": len(merged), "from": key[0], "to": key[1], "relation": rel, "facts": []}
            if rel in (DEPENDS_ON, DEPENDS_ON_VIA) and (u in inherited) and u not in roots:
                edge["inherited"] = True
        if rel == DEPENDS_ON:
            if isinstance(attrs.get("strength"), (int, float)):
                edge["strength"] = max(edge.get("strength", 0.0), float(attrs["strength"]))
            if attrs.get("group_level"):
                edge["group_level"] = True  # a use stated for a group as a whole: drawn apart
        fact = {"attrs": _fact_attrs(attrs, G), "words": fact_words(attrs, G, day),
                "sources": _sources(attrs.get("sources"))}
        if rel in POLICY_RELATIONS:
            fact["status"] = STATUS_WORDS[status_on(attrs, day)]  # on the day shown, in words
        edge["facts"].append(fact)
    style = _style()
    return {"style": {k: style[k] for k in ("classes", "other_class", "relations", "other_relation")},
            "layout": "layered" if positions else "physics",
            "nodes": nodes, "edges": list(merged.values()),
            "timeline": timeline(G, H if roots else None, day)}


def label_tiers(n: int) -> tuple[int, int]:
    """How many of the most connected nodes may get the largest and the middle label size."""
    return max(8, min(14, n // 25)), max(20, min(45, n // 8))


WRAP = 22  # characters per label line (render.js wraps the same way)
_INSIDE = {"box", "ellipse", "circle", "database", "text"}


def tier_sizes(positions: dict, canvas: tuple[float, float] = (900.0, 540.0)) -> tuple[float, ...]:
    """Label sizes (canvas units) that read as about 12 px and 8.5 px on screen once the drawing is fitted
    to a canvas of about `canvas` pixels (a laptop window beside the legend), within FONT_SIZES."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    width, height = max(xs) - min(xs) + 2 * COLUMN_GAP, max(ys) - min(ys) + 2 * ROW_GAP
    scale = min(canvas[0] / width, canvas[1] / height)
    small = FONT_SIZES[-1]
    return (min(FONT_SIZES[0], max(small, 12 / scale)), min(FONT_SIZES[1], max(small, 8.5 / scale)), small)


def label_sizes(H, ranked: list, positions: dict, sizes: tuple[float, ...] | None = None) -> dict:
    """Label size per node of a laid-out view: large for the most connected of each layer, never overlapping.

    Candidates come layer by layer in turn (the most connected mineral, material, product, industry...,
    then the second of each, and so on), so every band of the drawing gets readable labels. A candidate
    gets the largest size while it is among the first few of its layer (then the middle size) when its
    label box, at that size, overlaps no label already placed. Everything else gets the small size, which
    the page draws only once the reader zooms in.
    """
    sizes = sizes or FONT_SIZES
    budget = label_tiers(len(ranked))[1]
    shapes = _style()["classes"]
    by_layer: dict[int, list] = defaultdict(list)
    for n in ranked:
        if n in positions:
            by_layer[LAYERS.get(H.nodes[n].get("type"), 3)].append(n)
    turns = []
    for depth in range(max((len(v) for v in by_layer.values()), default=0)):
        turns += [(depth, layer[depth]) for _, layer in sorted(by_layer.items()) if depth < len(layer)]
    placed: list[tuple[float, float, float, float]] = []
    out = {n: sizes[-1] for n in ranked}
    for depth, n in turns:
        if len(placed) >= budget or depth >= LABELS_PER_LAYER[1]:
            break
        x, y = positions[n]
        lines = _wrap(_label(H, n))
        inside = shapes.get(H.nodes[n].get("type"), {}).get("shape") in _INSIDE
        for size in sizes[:-1] if depth < LABELS_PER_LAYER[0] else sizes[1:-1]:
            w = max(len(line) for line in lines) * 0.56 * size
            h = len(lines) * 1.2 * size
            top = y - h / 2 if inside else y + 14
            box = (x - w / 2, top, x + w / 2, top + h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                placed.append(box)
                out[n] = round(size, 1)
                break
    return out


#: The first LABELS_PER_LAYER[0] nodes of each layer may get the largest label, up to [1] the middle one.
LABELS_PER_LAYER = (3, 8)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return (lines + [line]) if line else lines or [""]


#: Label sizes (canvas units) of the most connected nodes, the next ones, and the rest. The page draws a
#: label only when it is at least 5 px on screen, so at the first zoom of a big graph only the first two
#: tiers are readable; zooming in brings the others.
FONT_SIZES = (60, 40, 14)

#: Layers of the layered view, left to right: the supply chain reads from the agents (who produce,
#: control or tax) and the minerals to the industries that depend on them.
LAYERS = {"Country": 0, "Bloc": 0, "Polity": 0, "Company": 0, "GovernmentBody": 0, "Organization": 0,
          "MediaOrganization": 0, "ResearchOrganization": 0, "Person": 0,
          "Mineral": 1, "MineralGroup": 2, "Material": 3, "Item": 3, "Component": 4, "Technology": 5, "Product": 5,
          "Industry": 6}
COLUMN_GAP, LAYER_GAP, ROW_GAP = 210.0, 150.0, 52.0


def layered_positions(G: nx.MultiDiGraph, H: nx.MultiDiGraph, *, aspect: float = 1.5, sweeps: int = 4) -> dict:
    """x, y of every node of H: one band of columns per layer (LAYERS), nodes ordered to keep edges short.

    Within a layer, nodes are ordered by the mean position of their neighbours (a few barycentre sweeps,
    linear in the edges each), then laid out row by row over as many columns as the band needs, the
    row count chosen so the whole drawing is about `aspect` times as wide as it is tall.
    """
    layer_of = {n: LAYERS.get(H.nodes[n].get("type"), 3) for n in H}
    layers: dict[int, list] = defaultdict(list)
    for n in sorted(H, key=lambda n: (-len(G.succ[n]) - len(G.pred[n]), _label(G, n))):
        layers[layer_of[n]].append(n)
    order = sorted(layers)
    neighbours = defaultdict(set)
    for u, v in H.edges():
        if u != v and layer_of[u] != layer_of[v]:
            neighbours[u].add(v)
            neighbours[v].add(u)
    pos = {}
    for lvl in order:
        members = layers[lvl]
        for i, n in enumerate(members):
            pos[n] = (i + 0.5) / len(members)
    for sweep in range(sweeps):
        for lvl in (order if sweep % 2 == 0 else reversed(order)):
            members = layers[lvl]
            bary = {}
            for n in members:
                near = [pos[m] for m in neighbours[n]]
                bary[n] = sum(near) / len(near) if near else pos[n]
            members.sort(key=lambda n: bary[n])
            for i, n in enumerate(members):
                pos[n] = (i + 0.5) / len(members)
    sizes = [len(layers[lvl]) for lvl in order]

    def shape(rows: int) -> float:
        columns = sum(math.ceil(s / rows) for s in sizes)
        width = columns * COLUMN_GAP + (len(sizes) - 1) * LAYER_GAP
        return width / max(1.0, rows * ROW_GAP)

    biggest = max(sizes)
    rows = min(range(1, biggest + 1), key=lambda r: abs(math.log(shape(r) / aspect)))
    out = {}
    x = 0.0
    for lvl in order:
        members = layers[lvl]
        columns = math.ceil(len(members) / rows)
        used = math.ceil(len(members) / columns)
        gap = min(3 * ROW_GAP, rows * ROW_GAP / used) if used > 1 else ROW_GAP  # a short layer spreads out
        top = (rows * ROW_GAP - (used - 1) * gap) / 2
        for i, n in enumerate(members):
            col, row = i % columns, i // columns
            stagger = gap / 2 if columns > 1 and col % 2 else 0.0
            out[n] = (round(x + col * COLUMN_GAP, 1), round(top + row * gap + stagger, 1))
        x += columns * COLUMN_GAP + LAYER_GAP
    return out


def data_day(G: nx.MultiDiGraph) -> dt.date:
    """The day statuses are shown for when none is given: the newest source in the view, else the newest
    date of a measure, else today (the same default as `cmkg exposure`)."""
    newest = first_day(G.graph.get("newest_source"))
    if newest is not None:
        return newest
    days = [first_day(a.get(k)) for _, _, a in G.edges(data=True) if a.get("relation") in POLICY_RELATIONS
            for k in ("effective", "announced", "date", "suspended", "lifted")]
    days = [d for d in days if d is not None]
    return max(days) if days else dt.datetime.now(dt.timezone.utc).date()


# ------------------------------------------------------------------------------- human words

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MEASURE_WORDS = {"licensing": "export licensing", "ban": "export ban", "quota": "export quota",
                 "tracking": "export tracking", "other": "export tax or other measure"}
STATUS_WORDS = {"in_force": "in force", "suspended": "suspended", "lifted": "lifted", "expired": "expired",
                "possible": "possible", "not_yet_in_force": "not yet in force", "unknown": "status unknown"}
_QUIET_KEYS = {"relation", "sources", "measure_iri", "kind", "statement", "target_iris", "item_iris", "status",
               "measure", "instrument", "announced", "effective", "date", "suspended", "suspended_until", "lifted",
               "target", "item", "rate", "share", "stage", "year", "qualifier", "confidence", "via", "role",
               "groups", "members", "strength", "n_sources", "group_level", "preferred", "stale"}


def date_words(value) -> str | None:
    """"2025-04-04" → "4 April 2025", "2025-04" → "April 2025", "2025" → "2025"."""
    if value is None:
        return None
    return _date_words(str(value).strip()[:10])


@lru_cache(maxsize=4096)
def _date_words(text: str) -> str | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m or first_day(text) is None:
        return text or None
    if m[3]:
        return f"{int(m[3])} {MONTHS[int(m[2]) - 1]} {m[1]}"
    if m[2]:
        return f"{MONTHS[int(m[2]) - 1]} {m[1]}"
    return m[1]


def status_words(attrs: dict, day: dt.date) -> str:
    """A measure's status on `day` as a person says it: "suspended until 10 November 2026"."""
    status = status_on(attrs, day)
    start = _start_text(attrs)
    if status == "in_force":
        return "in force" + (f" since {start}" if start else "")
    if status == "suspended":
        until = date_words(attrs.get("suspended_until"))
        since = date_words(attrs.get("suspended"))
        return "suspended" + (f" since {since}" if since else "") + (f" until {until}" if until else "")
    if status in ("lifted", "expired"):
        when = date_words(attrs.get("lifted"))
        return status + (f" on {when}" if when else "")
    if status == "not_yet_in_force":
        return f"not yet in force (from {start})" if start else "not yet in force"
    if status == "possible":
        return "possible: threatened or proposed, not in force"
    return "not known to be in force (no date or status reported)"


def _start_text(attrs: dict) -> str | None:
    """The start of a measure in words, as precise as its source (the date `start_of` uses)."""
    for key in ("effective", "announced", "date"):
        if first_day(attrs.get(key)) is not None:
            return date_words(attrs[key])
    return None


def fact_words(attrs: dict, G, day: dt.date) -> list[list[str]]:
    """The facts of one edge as [name, text] pairs in plain words, for the details panel and tooltips."""
    rel = attrs.get("relation")
    out: list[list[str]] = []

    def add(name, text):
        if text not in (None, "", []):
            out.append([name, str(text)])

    if rel == DEPENDS_ON and len(attrs) <= 2:  # the common case: a bare dependency with its sources
        return out
    if rel in POLICY_RELATIONS:
        add("Status", f"{status_words(attrs, day)} (as of {date_words(day.isoformat())})")
        if rel == "tariff":
            rate = attrs.get("rate")
            add("Measure", f"tariff of {_number(rate)} %" if isinstance(rate, (int, float)) else "tariff")
            items = _labels(G, attrs.get("item"))
            add("Goods", ", ".join(items))
        else:
            add("Measure", MEASURE_WORDS.get(attrs.get("measure"), "export control"))
            targets = _labels(G, attrs.get("target"))
            add("Against", ", ".join(targets) if targets else "all destinations")
        add("Instrument", attrs.get("instrument"))
        add("Announced", date_words(attrs.get("announced")))
        add("Effective", date_words(attrs.get("effective")))
        if not attrs.get("announced") and not attrs.get("effective"):
            add("Reported for", date_words(attrs.get("date")))
        if attrs.get("suspended") or attrs.get("suspended_until"):
            since, until = date_words(attrs.get("suspended")), date_words(attrs.get("suspended_until"))
            add("Suspended", " ".join(p for p in (f"from {since}" if since else "", f"until {until}" if until else "")
                                      if p))
        add("Lifted", date_words(attrs.get("lifted")))
    elif rel == "produces":
        share, stage, year = attrs.get("share"), attrs.get("stage"), attrs.get("year")
        qualifier = {"<": "less than ", ">": "more than ", "~": "about ", ">=": "at least ", "<=": "at most "}.get(
            str(attrs.get("qualifier") or ""), "")
        if isinstance(share, (int, float)):
            add("Share", f"{qualifier}{_number(share)} % of world {stage or 'production'}"
                + (f" ({year})" if year else ""))
        else:
            add("Stage", stage)
            add("Year", year)
    elif rel == DEPENDS_ON_VIA:
        add("Through", attrs.get("via"))
    elif rel == "affiliatedWith":
        add("Role", attrs.get("role"))
    if rel == DEPENDS_ON and isinstance(attrs.get("share"), (int, float)):
        add("Share", f"{_number(attrs['share'])} % of its use")
    if rel == DEPENDS_ON and isinstance(attrs.get("strength"), (int, float)):
        n = attrs.get("n_sources")
        kind = attrs.get("kind")
        add("Evidence", f"{strength_level(attrs['strength'])} ({attrs['strength']:.2f})"
            + (f"; best: {str(kind).replace('_', ' ')} source" if kind else "")
            + (f"; {n} independent source{'' if n == 1 else 's'}" if isinstance(n, int) else ""))
    if rel == DEPENDS_ON and attrs.get("group_level"):
        add("Stated for", "the group as a whole, not for each of its members")
    if isinstance(attrs.get("confidence"), (int, float)):
        add("Confidence", f"{attrs['confidence']:.2f} (how sure the extraction is)")
    for key, value in attrs.items():
        if key in _QUIET_KEYS or key.startswith("_") or key.endswith("_iris") or value in (None, "", []):
            continue
        text = ", ".join(_labels(G, value)) if isinstance(value, (list, tuple)) else _labels(G, [value])[0]
        add(key.replace("_", " ").capitalize(), text)
    return out


def _labels(G, values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [_label(G, v) if isinstance(v, str) and v in G else str(_jsonable(v)) for v in values]


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# ------------------------------------------------------------------------------- timeline


def timeline(G: nx.MultiDiGraph, H: nx.MultiDiGraph | None, day: dt.date) -> dict:
    """Export controls and tariffs over time: one row per issuer and item, one bar per measure.

    A measure (one export control or tariff, an edge key of the view) appears on the row of every
    item it covers (a tariff: on the row of its target country, with its goods in the details).
    `H`, when given (a focused view), keeps only the rows of items drawn in it. Each measure keeps its
    dates, its status on `day` and its sources, so the page can link every bar to its evidence.
    """
    measures: dict[str, dict] = {}
    rows: dict[tuple, dict] = {}
    for u, v, k, a in G.edges(keys=True, data=True):
        rel = a.get("relation")
        if rel not in POLICY_RELATIONS:
            continue
        if H is not None and v not in H:
            continue
        key = str(a.get("measure_iri") or k)
        m = measures.get(key)
        if m is None:
            start = start_of(a)
            m = measures[key] = {
                "id": len(measures),
                "kind": "tariff" if rel == "tariff" else "export control",
                "title": _measure_title(a, rel),
                "issuer": _label(G, u),
                "items": [],
                "start": start.isoformat() if start else None,
                "suspended": _iso(a.get("suspended")),
                "until": _iso(a.get("suspended_until")),
                "lifted": _iso(a.get("lifted")),
                "status": status_on(a, day),
                "status_text": status_words(a, day),
                "words": fact_words(a, G, day),
                "sources": _sources(a.get("sources")),
            }
        m["items"].append(_label(G, v))
        row = rows.setdefault((u, v), {"issuer": _label(G, u), "item": _label(G, v), "iri": str(v),
                                       "measures": []})
        if m["id"] not in row["measures"]:
            row["measures"].append(m["id"])
    table = sorted(measures.values(), key=lambda m: m["id"])
    starts = {m["id"]: m["start"] or "9999" for m in table}
    issuers = defaultdict(int)
    for row in rows.values():
        issuers[row["issuer"]] += len(row["measures"])
    ordered = sorted(rows.values(), key=lambda r: (-issuers[r["issuer"]], r["issuer"].casefold(),
                                                   min(starts[i] for i in r["measures"]), r["item"].casefold()))
    for row in ordered:
        row["measures"].sort(key=lambda i: starts[i])
    return {"day": day.isoformat(), "day_text": date_words(day.isoformat()), "measures": table, "rows": ordered}


def _measure_title(a: dict, rel: str) -> str:
    if rel == "tariff":
        rate = a.get("rate")
        return f"tariff of {_number(rate)} %" if isinstance(rate, (int, float)) else "tariff"
    word = MEASURE_WORDS.get(a.get("measure"), "export control")
    return f"{word} ({a['instrument']})" if a.get("instrument") else word


def _iso(value) -> str | None:
    day = first_day(value)
    return day.isoformat() if day else None


def _fact_attrs(attrs: dict, G) -> dict:
    """The raw attributes of a fact (for scripts and tests); a value naming a node shows its label."""
    out = {}
    for key, value in attrs.items():
        if key in ("relation", "sources") or value is None:
            continue
        if isinstance(value, str) and value in G:
            value = _label(G, value)
        elif isinstance(value, (list, tuple)):
            value = [_label(G, v) if isinstance(v, str) and v in G else v for v in value]
        value = _jsonable(value)
        if value is not None and value != "" and value != []:
            out[str(key)] = value
    return out


def _jsonable(value):
    if isinstance(value, bool) or isinstance(value, int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


def _sources(raw) -> list[dict]:
    """The evidence of one fact: non-empty fields only, duplicates dropped, non-http(s) URLs kept as text."""
    out, seen = [], set()
    if isinstance(raw, dict):
        raw = [raw]
    for src in raw or ():
        if not isinstance(src, dict):
            src = {"citation": src}
        item = {}
        for key in SOURCE_FIELDS:
            value = src.get(key)
            if value is not None:
                value = (value if isinstance(value, str) else str(value)).strip()
                if value:
                    item[key] = value
        url = item.get("url")
        if url is not None and not _HTTP_URL.match(url):
            item["url_text"] = item.pop("url")  # shown as text, never as a link
        marker = tuple(item.items())
        if item and marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


def _alt_labels(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    return sorted({_text(v) for v in value if _text(v)})


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _tail(node) -> str:
    text = str(node)
    return re.split(r"[/#]", text.rstrip("/#"))[-1] or text


def _label(G, node) -> str:
    return G.nodes[node].get("label") or _tail(node)


def _summary(G, H, payload, roots, depth, types, day, show_all=False) -> str:
    parts = [f"{len(payload['nodes']):,} nodes, {len(payload['edges']):,} edges"]
    if len(payload["nodes"]) != G.number_of_nodes():
        parts[0] += f" (of {G.number_of_nodes():,} nodes)"
    if not roots and not types and not show_all:
        parts.append("the dependency backbone with the producers and policies acting on it (`--all`: everything)")
    if roots:
        parts.append("chain of " + ", ".join(_label(G, r) for r in roots) + f", depth {depth}")
    if types:
        parts.append("types: " + ", ".join(sorted(types)))
    if day:
        parts.append(f"export controls and tariffs in force on {day.isoformat()}")
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------- page


def script_json(data) -> str:
    """JSON that can sit inside a <script> element: no '<', '>', '&' or JS line separators left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    # A lone surrogate cannot be written as UTF-8; as a JSON escape it survives intact.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def page_html(payload: dict, *, title: str = DEFAULT_TITLE, summary: str = "", notice: str | None = None) -> str:
    """The whole page. Every inline script and style is allowed by its hash in the page's CSP."""
    vis_js, vis_css = _vis_assets()
    page_js, page_css = _template("render.js"), _template("render.css")
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_csp_hash(s) for s in (vis_js, page_js)),
        "style-src " + " ".join(_csp_hash(s) for s in (vis_css, page_css)),
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    values = {
        "CSP": html.escape(csp, quote=False).replace('"', "&quot;"),
        "TITLE": _html_text(title),
        "SUMMARY": _html_text(summary),
        "NOTICE": _html_text(notice or ""),
        "NOTICE_HIDDEN": "" if notice else " hidden",
        "VIS_CSS": vis_css,
        "PAGE_CSS": page_css,
        "DATA": script_json(payload),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
    }
    # One pass, so text substituted for one placeholder is never searched for another.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m[1]], _template("render.html"))


def _html_text(text: str) -> str:
    return html.escape(_SURROGATE.sub("\ufffd", str(text)))


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=None)
def _template(name: str) -> str:
    text = resources.files("graph").joinpath("templates", name).read_text(encoding="utf-8")
    return _inline_safe(text, name)


@lru_cache(maxsize=None)
def _style() -> dict:
    return json.loads(_template("render_style.json"))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the installed pyvis package, ready to inline."""
    try:
        lib = resources.files("pyvis").joinpath("lib", VIS_VERSION)
        js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
        css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as err:
        raise CmkgError(f"cannot read vis-network from the pyvis package ({err}); reinstall pyvis>=0.3.2") from None
    # A source-map comment would make developer tools fetch a file that is not there.
    js = re.sub(r"^\s*//[#@] sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    css = re.sub(r"/\*[#@] sourceMappingURL=.*?\*/", "", css)
    return _inline_safe(js, "vis-network.min.js"), _inline_safe(css, "vis-network.css")


def _inline_safe(text: str, name: str) -> str:
    """Text as the HTML parser will see it (LF line ends: CSP hashes are over the parsed text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if name.endswith((".js", ".css")) and re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise CmkgError(f"{name} cannot be inlined: it contains a closing tag or comment opener")
    return text
