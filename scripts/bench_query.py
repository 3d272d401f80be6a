#!/usr/bin/env python3
"""Benchmark the analysis path: load the networkx view of a large store, then answer `depends` queries.

On a synthetic dependency graph (graph.synthetic, minerals → components → products → industries) of
N triples, bulk-loaded into an on-disk store, it times:
- loading the view (`graph.network.load_view`, a few bulk SELECTs) — target < 15 s at 1M triples;
- `depends` per query, once the view is loaded (all levels, and --level industry) — target < 50 ms;
- the SPARQL twin (graph/queries/analysis-depends.rq, property paths in Oxigraph) on the same minerals,
  and the bare property path `?x cmkg:dependsOn+ ?mineral`, for comparison;
and checks that networkx and SPARQL return the same items.

usage: python scripts/bench_query.py [--triples 1000000] [--queries 50] [--sparql-queries 5] [--json]
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_LOAD_S = 15.0
TARGET_QUERY_MS = 50.0
# The property-path equivalent of `depends MINERAL --level industry` on a graph without groups.
PROPERTY_PATH = "SELECT DISTINCT ?mineral ?x WHERE { ?x cmkg:dependsOn+ ?mineral . ?x a cmkg:Industry }"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50, help="depends queries to time (networkx)")
    parser.add_argument("--sparql-queries", type=int, default=2, help="SPARQL twin queries to time")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    from graph.analysis.depends import depends
    from graph.network import clear_cache, load_view
    from graph.resources import queries_dir
    from graph.store import open_store
    from graph.synthetic import write_ntriples

    out = {"triples_requested": args.triples}
    with tempfile.TemporaryDirectory(prefix="cmkg-bench-query-") as tmp:
        work = Path(tmp)
        nt = work / "synthetic.nt"
        t = time.perf_counter()
        write_ntriples(nt, args.triples, seed=args.seed)
        out["generate_s"] = time.perf_counter() - t
        with open_store(work / "store") as store:
            t = time.perf_counter()
            store.bulk_load(str(nt), ox.RdfFormat.N_TRIPLES, URIRef("https://w3id.org/cmkg/graph/bench"))
            out["store_load_s"] = time.perf_counter() - t
            out["triples"] = len(store)

            clear_cache()
            t = time.perf_counter()
            view = load_view(store)
            out["view_load_s"] = time.perf_counter() - t
            out["view_nodes"] = view.number_of_nodes()
            out["view_edges"] = view.number_of_edges()

            rng = random.Random(args.seed)
            minerals = sorted(n for n, d in view.nodes(data=True) if d["type"] == "Mineral")
            sample = [rng.choice(minerals) for _ in range(args.queries)]
            labels = [view.nodes[m]["label"] for m in sample]
            depends(view, labels[0])  # warm the per-view indexes (name index, dependents)
            for level, key in ((None, "depends_all"), ("industry", "depends_industry")):
                times, sizes = [], []
                for name in labels:
                    t = time.perf_counter()
                    rows = depends(view, name, level=level)
                    times.append((time.perf_counter() - t) * 1000)
                    sizes.append(len(rows))
                out[f"{key}_ms_median"] = statistics.median(times)
                out[f"{key}_ms_max"] = max(times)
                out[f"{key}_rows_median"] = statistics.median(sizes)

            twin = (queries_dir() / "analysis-depends.rq").read_text(encoding="utf-8")
            sparql_times, path_times, agree = [], [], True
            for m in sample[: args.sparql_queries]:
                t = time.perf_counter()
                result = store.query(twin, {"mineral": URIRef(m), "level": Literal("industry")})
                sparql_times.append((time.perf_counter() - t) * 1000)
                sparql_items = {str(r[result.vars.index("item")]) for r in result.rows}
                agree &= sparql_items == {r["iri"] for r in depends(view, m, level="industry")}
                t = time.perf_counter()
                result = store.query(PROPERTY_PATH, {"mineral": URIRef(m)})
                path_times.append((time.perf_counter() - t) * 1000)
                agree &= {str(r[1]) for r in result.rows} == sparql_items
            out["sparql_twin_industry_ms_median"] = statistics.median(sparql_times)
            out["sparql_property_path_ms_median"] = statistics.median(path_times)
            out["sparql_agrees_with_networkx"] = agree

    out["view_load_ok"] = out["view_load_s"] < TARGET_LOAD_S
    out["depends_ok"] = max(out["depends_all_ms_median"], out["depends_industry_ms_median"]) < TARGET_QUERY_MS
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"synthetic graph: {out['triples']:,} triples ({out['view_nodes']:,} nodes, {out['view_edges']:,} edges in the view)")
        print(f"  generate {out['generate_s']:.1f} s, bulk load into the store {out['store_load_s']:.1f} s")
        print(f"view load (bulk SELECTs → networkx): {out['view_load_s']:.2f} s  (target < {TARGET_LOAD_S:g} s: "
              f"{'ok' if out['view_load_ok'] else 'MISSED'})")
        print(f"depends, all levels    : median {out['depends_all_ms_median']:.2f} ms, max {out['depends_all_ms_max']:.2f} ms"
              f" ({out['depends_all_rows_median']:.0f} rows median)")
        print(f"depends --level industry: median {out['depends_industry_ms_median']:.2f} ms, "
              f"max {out['depends_industry_ms_max']:.2f} ms ({out['depends_industry_rows_median']:.0f} rows median)"
              f"  (target < {TARGET_QUERY_MS:g} ms: {'ok' if out['depends_ok'] else 'MISSED'})")
        print(f"SPARQL twin (analysis-depends.rq, industry): median {out['sparql_twin_industry_ms_median']:.1f} ms; "
              f"property path ?x dependsOn+ ?mineral (industries): median {out['sparql_property_path_ms_median']:.1f} ms; "
              f"same answers: {out['sparql_agrees_with_networkx']}")
    return 0 if out["view_load_ok"] and out["depends_ok"] and out["sparql_agrees_with_networkx"] else 1


if __name__ == "__main__":
    sys.exit(main())
