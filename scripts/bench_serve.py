#!/usr/bin/env python3
"""Benchmark `cmkg serve`: a bounded number of concurrent clients for a bounded time on loopback.

Starts `cmkg serve` (read-only, its own process) over a store — the one given with --store, or a fresh
one holding --articles synthetic articles — and runs --clients threads for --duration seconds. Each
client keeps one HTTP/1.1 connection and cycles through a mix of typical cmkg questions (SELECT as
JSON and CSV, a lookup with a bound value, a cross-graph join, ASK, a small CONSTRUCT), GET and
POST alternately. Prints queries per second, median / p95 / p99 latency, and the number of errors
(anything but a 200, or a failed connection): the goal is zero.

usage: python scripts/bench_serve.py [--store PATH | --articles 200] [--clients 8] [--duration 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

PREFIX = "PREFIX cmkg: <https://w3id.org/cmkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
MIX = [  # (name, query, Accept)
    ("classes", "SELECT ?c (COUNT(?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
     "application/sparql-results+json"),
    ("dominates", PREFIX + "SELECT ?agent ?item WHERE { ?agent cmkg:dominates ?item } LIMIT 100", "text/csv"),
    ("controls-on-dysprosium", PREFIX + "SELECT DISTINCT ?m ?date WHERE { ?m a cmkg:ExportControl ; cmkg:covers ?i . "
     "?i skos:prefLabel \"dysprosium\"@en . OPTIONAL { ?m cmkg:announcedOn ?date } } LIMIT 100",
     "application/sparql-results+json"),
    ("article-mentions", PREFIX + "SELECT ?title (COUNT(?e) AS ?n) WHERE { ?a a cmkg:Article ; cmkg:mentions ?e . "
     "OPTIONAL { ?a <http://purl.org/dc/terms/title> ?title } } GROUP BY ?title ORDER BY DESC(?n) LIMIT 10",
     "text/tab-separated-values"),
    ("ask", PREFIX + "ASK { ?x cmkg:dependsOn ?y }", "application/sparql-results+xml"),
    ("construct", PREFIX + "CONSTRUCT { ?p cmkg:affiliatedWith ?o } WHERE { ?p cmkg:affiliatedWith ?o } LIMIT 50",
     "text/turtle"),
]


def build_store(path: Path, n: int) -> None:
    from graph.ingest import ingest_articles
    from graph.knowledge import load_knowledge
    from graph.store import open_store
    from graph.synthetic import synthetic_articles

    with open_store(path) as store:
        try:
            load_knowledge(store)
        except Exception as err:  # noqa: BLE001 - the benchmark still runs on the articles alone
            print(f"(knowledge graphs not loaded: {err})", file=sys.stderr)
        ingest_articles(store, synthetic_articles(n))


def start_server(store: Path, workers: int, timeout: float) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "graph", "--store", str(store), "serve", "--port", "0", "--timeout", str(timeout)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = proc.stdout.readline()
    if " at http://" not in line:
        proc.kill()
        raise SystemExit(f"cmkg serve did not start: {line}{proc.stderr.read()}")
    return proc, line.rsplit(" at ", 1)[1].strip()


def client(url: str, deadline: float, index: int, latencies: list, errors: list, counts: dict) -> None:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    i = index
    while time.monotonic() < deadline:
        name, query, accept = MIX[i % len(MIX)]
        use_get = (i // len(MIX)) % 2 == 0
        i += 1
        t = time.perf_counter()
        try:
            if use_get:
                conn.request("GET", parts.path + "?" + urllib.parse.urlencode({"query": query}),
                             headers={"Accept": accept})
            else:
                conn.request("POST", parts.path, body=query.encode(),
                             headers={"Accept": accept, "Content-Type": "application/sparql-query"})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - t
            if response.status != 200 or not body:
                errors.append(f"{name}: HTTP {response.status} {body[:120]!r}")
                continue
        except (OSError, http.client.HTTPException) as err:
            errors.append(f"{name}: {type(err).__name__}: {err}")
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            continue
        latencies.append(elapsed)
        counts.setdefault(name, []).append(elapsed)
    conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store to serve (default: a fresh one of --articles articles)")
    parser.add_argument("--articles", type=int, default=200, help="synthetic articles for a fresh store (default 200)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load (default 20)")
    parser.add_argument("--workers", type=int, default=0, help="query workers of the server (default: its own)")
    parser.add_argument("--timeout", type=float, default=30, help="server time limit per query (default 30 s)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cmkg-bench-serve-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            print(f"building a store of {args.articles} synthetic articles ...", file=sys.stderr, flush=True)
            build_store(store, args.articles)
        proc, url = start_server(store, args.workers, args.timeout)
        try:
            latencies: list[float] = []
            errors: list[str] = []
            counts: dict[str, list[float]] = {}
            deadline = time.monotonic() + args.duration
            started = time.perf_counter()
            threads = [threading.Thread(target=client, args=(url, deadline, i, latencies, errors, counts))
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    result = {
        "clients": args.clients, "duration_s": round(wall, 2), "queries": len(latencies),
        "qps": len(latencies) / wall, "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p95_ms": 1000 * percentile(latencies, 95) if latencies else None,
        "p99_ms": 1000 * percentile(latencies, 99) if latencies else None,
        "errors": len(errors), "cpus": os.cpu_count(),
        "per_query": {k: {"n": len(v), "p50_ms": 1000 * statistics.median(v)} for k, v in sorted(counts.items())},
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"cmkg serve benchmark: {args.clients} clients for {wall:.1f} s on loopback ({os.cpu_count()} CPUs)")
        print(f"  {len(latencies):,} queries, {result['qps']:.0f} queries/s, latency p50 {result['p50_ms']:.1f} ms, "
              f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, errors {len(errors)}")
        print("  per query (count, median ms): " + ", ".join(f"{k} {v['n']} / {v['p50_ms']:.1f}"
                                                          for k, v in result["per_query"].items()))
    for line in errors[:5]:
        print(f"  error: {line}", file=sys.stderr)
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
