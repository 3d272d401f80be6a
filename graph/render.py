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
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

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
                title: str = DEFAULT_TITLE) -> Path:
    """Write the interactive view of `G` to `path` and return the path (see `render_view`)."""
    return render_view(G, path, focus=focus, depth=depth, types=types, as_of=as_of, title=title).path


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
                title: str = DEFAULT_TITLE, empty_notice: str | None = None) -> RenderReport:
    """Select what to show, build the page and write it atomically in UTF-8.

    focus: a node label (case-insensitive; alt labels and IRIs also work); the page then shows the
    node's dependency chain up to `depth` dependsOn steps (see `focus_nodes`). types: class names to
    keep (the focus always stays). as_of: hide export controls and tariffs not in force on that day.
    """
    day = parse_as_of(as_of)
    wanted = parse_types(G, types)
    if depth is None or depth < 0:
        raise InputError(f"--depth must be 0 or more, not {depth}")
    H, roots, notice = select_view(G, focus=focus, depth=depth, types=wanted, as_of=day)
    if empty_notice and G.number_of_nodes() == 0:
        notice = empty_notice
    payload = graph_payload(G, H, roots)
    summary = _summary(G, H, payload, roots, depth, wanted, day)
    page = page_html(payload, title=title or DEFAULT_TITLE, summary=summary, notice=notice)
    target = atomic_write(Path(path), page)
    return RenderReport(target, len(payload["nodes"]), len(payload["edges"]),
                        tuple(G.nodes[r].get("label") or str(r) for r in roots), notice)


# ------------------------------------------------------------------------------------ selection


def select_view(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 2, types: set[str] | None = None,
                as_of: dt.date | None = None) -> tuple[nx.MultiDiGraph, list, str | None]:
    """The subgraph to draw, the focus nodes, and a notice for the reader (or None)."""
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
        return H, roots, notice
    if len(keep) == G.number_of_nodes():
        return G, roots, notice
    return G.subgraph(keep), roots, notice


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
    """Nodes whose label, alt label or IRI is `name` (case-insensitive); InputError with suggestions otherwise."""
    wanted = _norm(name)
    names: dict[str, list] = {}
    for node, attrs in G.nodes(data=True):
        for key in _names(node, attrs):
            names.setdefault(key, []).append(node)
    if wanted in names:
        return list(dict.fromkeys(names[wanted]))
    labels = {_norm(attrs.get("label") or node): attrs.get("label") or str(node) for node, attrs in G.nodes(data=True)}
    close = [labels[k] for k in difflib.get_close_matches(wanted, list(labels), n=5, cutoff=0.6)]
    if len(close) < 5 and len(wanted) >= 3:
        close += [v for k, v in sorted(labels.items()) if wanted in k and v not in close][: 5 - len(close)]
    hint = "; did you mean " + ", ".join(f'"{c}"' for c in close) + "?" if close else ""
    raise InputError(f'no node is named "{name}"{hint}')


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


def _has_chain_edges(G, node) -> bool:
    return any(rel in (DEPENDS_ON, MEMBER_OF) for _, _, rel in G.in_edges(node, data="relation")) or any(
        rel in (DEPENDS_ON, MEMBER_OF) for _, _, rel in G.out_edges(node, data="relation"))


def _walk(G, root, depth: int, *, downstream: bool) -> set:
    """0-1 breadth-first walk: a dependsOn step costs 1, a memberOf step 0."""
    dist = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        d = dist[node]
        if downstream:
            steps = [(u, 1) for u, _, r in G.in_edges(node, data="relation") if r == DEPENDS_ON]
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
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = _partial_date(str(value))
    if day is None:
        raise InputError(f"--as-of {value!r} is not a date: use YYYY-MM-DD")
    return day


def policy_in_force(G: nx.MultiDiGraph, day: dt.date) -> nx.MultiDiGraph:
    """A view of G without the export controls and tariffs that were not in force on `day`."""
    hidden = {(u, v, k) for u, v, k, a in G.edges(keys=True, data=True)
              if a.get("relation") in POLICY_RELATIONS and not in_force_on(a, day)}
    if not hidden:
        return G
    return nx.subgraph_view(G, filter_edge=lambda u, v, k: (u, v, k) not in hidden)


def in_force_on(attrs: dict, day: dt.date) -> bool:
    """"In force on D" as ontology/MODEL.md defines it, from the edge attributes of the view.

    It started on or before D (effective, else announced, else the article's one date) and was
    neither lifted on or before D nor suspended on D (suspended on or before D and, if a suspension
    end is known, that end is after D). A partial date (2025, 2025-10) counts from its first day. A
    measure only reported as possible is never in force; one reported as lifted without a date is
    taken as lifted; one with neither a status nor a start date is not known to be in force.
    """
    status = attrs.get("status")
    if status == "possible":
        return False
    start = next((d for d in (_partial_date(attrs.get(k)) for k in ("effective", "announced", "date")) if d), None)
    lifted = _partial_date(attrs.get("lifted"))
    suspended = _partial_date(attrs.get("suspended"))
    until = _partial_date(attrs.get("suspended_until"))
    if start is not None and start > day:
        return False
    if lifted is not None and lifted <= day:
        return False
    if suspended is not None and suspended <= day and (until is None or until > day):
        return False
    if status == "lifted" and lifted is None:
        return False
    return status in ("in_force", "lifted", "suspended") or start is not None


def _partial_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


# ------------------------------------------------------------------------------------- payload


def graph_payload(G: nx.MultiDiGraph, H: nx.MultiDiGraph, roots: Iterable = ()) -> dict:
    """Nodes and edges of H as plain JSON data; node size from the number of neighbours in G.

    Parallel edges with the same relation between the same two nodes are drawn as one edge that
    lists every fact (e.g. two export-control measures on the same mineral).
    """
    roots = set(roots)
    index: dict = {}
    degrees = {}
    for n in H:
        degrees[n] = len(G.succ[n].keys() | G.pred[n].keys())
    top = max(degrees.values(), default=1) or 1
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
        }
        alt = _alt_labels(attrs.get("alt_labels"))
        if alt:
            item["alt"] = alt
        if n in roots:
            item["focus"] = True
        nodes.append(item)
    merged: dict[tuple, dict] = {}
    for u, v, attrs in H.edges(data=True):
        rel = _text(attrs.get("relation")) or "related"
        key = (index[u], index[v], rel)
        edge = merged.get(key)
        if edge is None:
            edge = merged[key] = {"id": len(merged), "from": key[0], "to": key[1], "relation": rel, "facts": []}
        edge["facts"].append({"attrs": _fact_attrs(attrs, G), "sources": _sources(attrs.get("sources"))})
    style = _style()
    return {"style": {k: style[k] for k in ("classes", "other_class", "relations", "other_relation")},
            "nodes": nodes, "edges": list(merged.values())}


def _fact_attrs(attrs: dict, G) -> dict:
    """The attributes shown with a fact; an attribute naming a node (a control's targets) shows its label."""
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


def _norm(text) -> str:
    return " ".join(str(text).casefold().split())


def _names(node, attrs) -> set[str]:
    names = {_norm(node)}
    if attrs.get("label"):
        names.add(_norm(attrs["label"]))
    if attrs.get("iri"):
        names.add(_norm(attrs["iri"]))
    names.update(_norm(a) for a in _alt_labels(attrs.get("alt_labels")))
    return names


def _summary(G, H, payload, roots, depth, types, day) -> str:
    parts = [f"{len(payload['nodes']):,} nodes, {len(payload['edges']):,} edges"]
    if len(payload["nodes"]) != G.number_of_nodes():
        parts[0] += f" (of {G.number_of_nodes():,} nodes)"
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
