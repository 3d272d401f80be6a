"""Benchmark of the HTML view: `graph.render.render_html` against pyvis's `Network.from_nx`.

Random view graphs (the shape `graph.network.load_view` returns) of 1k, 5k and 20k nodes, about two
edges per node, one evidence sentence per edge. "ours" is the whole job (select, build JSON, inline
vis-network, write the file) for the whole graph (`show_all`: every node, as pyvis draws them);
"pyvis from_nx" is only pyvis's graph-building step, without writing any HTML, so the comparison
favours pyvis; "to_pyvis" is `graph.render.to_pyvis`, the same view as a pyvis Network.

    .venv/bin/python scripts/bench_render.py [--sizes 1000,5000,20000] [--skip-pyvis-above 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

TYPES = ["Mineral", "MineralGroup", "Material", "Component", "Technology", "Product", "Industry", "Country",
         "Company", "Person"]
RELATIONS = ["dependsOn", "dependsOn", "dependsOn", "memberOf", "controls", "produces", "dominates",
             "affiliatedWith"]


def random_view(nodes: int, edges_per_node: float = 2.0, seed: int = 7) -> nx.MultiDiGraph:
    """A random MultiDiGraph with the node and edge attributes of the view contract."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    iris = []
    for i in range(nodes):
        kind = rng.choice(TYPES)
        iri = f"https://w3id.org/cmkg/id/{kind.lower()}/n{i}"
        iris.append(iri)
        G.add_node(iri, label=f"{kind.lower()} {i}", type=kind, iri=iri)
    for j in range(int(nodes * edges_per_node)):
        u, v = rng.choice(iris), rng.choice(iris)
        rel = rng.choice(RELATIONS)
        attrs = {"relation": rel, "sources": [{
            "sentence": f"Sentence {j}: {G.nodes[u]['label']} {rel} {G.nodes[v]['label']} according to the article.",
            "url": f"https://news.example.com/article/{j % 997}", "article": None,
            "title": f"Article {j % 997}", "citation": None}]}
        if rel == "controls":
            attrs.update(status=rng.choice(["in_force", "possible", "lifted"]), measure="licensing",
                         effective="2025-04-04", lifted=None)
        elif rel == "produces":
            attrs.update(stage="mining", share=round(rng.uniform(1, 90), 1), year="2024")
        G.add_edge(u, v, **attrs)
    return G


def time_ours(G, path: Path, repeat: int) -> tuple[float, int]:
    from graph.render import render_html

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        render_html(G, path, show_all=True)  # every node, as pyvis would draw them
        best = min(best, time.perf_counter() - started)
    return best, path.stat().st_size


def time_to_pyvis(G) -> float:
    """`graph.render.to_pyvis`: the same view as a pyvis Network, filled in one pass."""
    from graph.render import to_pyvis

    started = time.perf_counter()
    to_pyvis(G, show_all=True, notebook=False)
    return time.perf_counter() - started


def time_pyvis(G) -> float:
    from pyvis.network import Network

    started = time.perf_counter()
    net = Network(directed=True, cdn_resources="remote")
    net.from_nx(G)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="node counts, comma-separated")
    parser.add_argument("--skip-pyvis-above", type=int, default=None, metavar="N",
                        help="do not time pyvis for graphs of more than N nodes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per size (the best is shown)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            G = random_view(n)
            ours, size = time_ours(G, Path(tmp) / f"graph-{n}.html", args.repeat)
            if args.skip_pyvis_above is not None and n > args.skip_pyvis_above:
                pyvis = None
            else:
                pyvis = time_pyvis(G)
            rows.append((n, G.number_of_edges(), ours, size, pyvis, time_to_pyvis(G)))
            print(f"  {n} nodes done", file=sys.stderr, flush=True)
    print(f"{'nodes':>7} {'edges':>7} {'ours (s)':>9} {'html (MB)':>10} {'pyvis from_nx (s)':>18} {'speed-up':>9}"
          f" {'to_pyvis (s)':>13}")
    for n, m, ours, size, pyvis, ours_pyvis in rows:
        pv = f"{pyvis:18.2f}" if pyvis is not None else f"{'skipped':>18}"
        ratio = f"{pyvis / ours:8.0f}x" if pyvis is not None and ours > 0 else f"{'':>9}"
        print(f"{n:>7} {m:>7} {ours:9.2f} {size / 1e6:10.1f} {pv} {ratio} {ours_pyvis:13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
