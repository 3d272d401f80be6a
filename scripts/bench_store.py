#!/usr/bin/env python3
"""Benchmark cmkg's store against rdflib's in-memory store on a synthetic dependency graph.

Times, for the same N-Triples file: load, Turtle export, and a property-path query
(`?x cmkg:dependsOn+ <mineral>`). Each side runs in its own process so that peak memory (max RSS)
is measured for that side alone.

usage: python scripts/bench_store.py [--triples 1000000] [--skip-rdflib]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = ("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x <https://w3id.org/cmkg/ontology#dependsOn>+ "
         "<https://w3id.org/cmkg/id/mineral/syn-0> }")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cmkg(nt: Path, work: Path, in_memory: bool = False) -> dict:
    import pyoxigraph as ox
    from rdflib import URIRef

    from graph.store import KnowledgeStore, open_store

    out = {}
    with (KnowledgeStore(None) if in_memory else open_store(work / "store")) as store:
        t = time.perf_counter()
        store.bulk_load(str(nt), ox.RdfFormat.N_TRIPLES, URIRef("https://w3id.org/cmkg/graph/bench"))
        out["load"] = time.perf_counter() - t
        out["triples"] = len(store)
        t = time.perf_counter()
        store.export(str(work / "cmkg.ttl"), "turtle")
        out["export"] = time.perf_counter() - t
        rows = store.query(QUERY).rows
        out["query"] = best_of(lambda: store.query(QUERY))
        out["answer"] = int(rows[0][0])
    out["peak_mb"] = peak_mb()
    return out


def best_of(fn, repeat: int = 3) -> float:
    """Warm-query time: the best of a few runs after a first, untimed one."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run_rdflib(nt: Path, work: Path) -> dict:
    from rdflib import Graph

    out = {}
    g = Graph()
    t = time.perf_counter()
    g.parse(str(nt), format="nt")
    out["load"] = time.perf_counter() - t
    out["triples"] = len(g)
    t = time.perf_counter()
    g.serialize(str(work / "rdflib.ttl"), format="turtle")
    out["export"] = time.perf_counter() - t
    rows = list(g.query(QUERY))
    out["query"] = best_of(lambda: list(g.query(QUERY)))
    out["answer"] = int(rows[0][0])
    out["peak_mb"] = peak_mb()
    return out


def child(side: str, nt: str, work: str) -> None:
    if side == "rdflib":
        result = run_rdflib(Path(nt), Path(work))
    else:
        result = run_cmkg(Path(nt), Path(work), in_memory=side == "cmkg-memory")
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--side", choices=["cmkg", "cmkg-memory", "rdflib"], help=argparse.SUPPRESS)
    ap.add_argument("--nt", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.side:
        child(args.side, args.nt, args.work)
        return

    from graph.synthetic import write_ntriples

    with tempfile.TemporaryDirectory(prefix="cmkg-bench-") as tmp:
        work = Path(tmp)
        nt = work / "synthetic.nt"
        t = time.perf_counter()
        n = write_ntriples(nt, args.triples)
        print(f"generated {n:,} triples in {time.perf_counter() - t:.1f} s ({nt.stat().st_size / 1e6:.0f} MB N-Triples)")
        results = {}
        for side in ("cmkg", "cmkg-memory", "rdflib"):
            if side == "rdflib" and args.skip_rdflib:
                continue
            proc = subprocess.run([sys.executable, __file__, "--side", side, "--nt", str(nt), "--work", str(work)],
                                  capture_output=True, text=True, check=True)
            results[side] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{side}: {results[side]}", flush=True)
    print()
    print("cmkg = persistent on-disk store (the default); cmkg-memory = the same KnowledgeStore with no path")
    print(f"{'step':10} {'cmkg':>10} {'cmkg-memory':>12} {'rdflib':>10} {'rdflib/cmkg':>12} {'rdflib/memory':>14}")
    for step in ("load", "export", "query"):
        c, m = results["cmkg"][step], results["cmkg-memory"][step]
        r = results.get("rdflib", {}).get(step)
        cells = f"{c:9.2f}s {m:11.2f}s " + (f"{r:9.2f}s {r / c:11.1f}x {r / m:13.1f}x" if r else f"{'n/a':>10}")
        print(f"{step:10} {cells}")
    peaks = [results[k]["peak_mb"] for k in ("cmkg", "cmkg-memory")] + [results.get("rdflib", {}).get("peak_mb", 0)]
    print(f"{'peak RSS':10} {peaks[0]:7.0f} MB {peaks[1]:9.0f} MB {peaks[2]:7.0f} MB")
    answers = {k: v["answer"] for k, v in results.items()}
    if len(set(answers.values())) != 1:
        print(f"WARNING: the stores disagree on the query answer: {answers}")

if __name__ == "__main__":
    main()
