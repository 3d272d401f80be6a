#!/usr/bin/env python3
"""Benchmark `cmkg ingest`: articles per second at --jobs 1 and 2, peak memory, store size, and whether
the time per article stays flat as the store grows.

Articles are synthetic variants of the seed article (graph.synthetic.synthetic_articles: its entities,
dates and figures varied), each with its own URL, so each lands in its own named graph. Each --jobs
setting runs in its own process on a fresh store, so memory is measured for that setting alone.

For each setting the script prints the start-up time (worker processes start and load the extraction
pipeline), then, at each checkpoint (500, 1000, 2500, 5000 articles by default), the time per article
over the segment just done and over the whole run: flat segment times mean ingest does not slow down
as the store fills.

usage: python scripts/bench_ingest.py [--n 5000] [--jobs 1,2] [--checkpoints 500,1000,2500,5000]
       python scripts/bench_ingest.py --n 200 --jobs 1,2 --checkpoints 100,200      (a quick run)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class PeakRss:
    """Samples the resident memory of this process and its children (the workers); keeps the peak sum."""

    def __init__(self, interval: float = 0.25):
        self.peak = 0
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            import psutil
        except ImportError:
            return
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_one(n: int, jobs: int, checkpoints: list[int], seed: int, store_path: Path) -> dict:
    from graph.ingest import extract_article, ingest_articles
    from graph.parallel import make_executor
    from graph.store import open_store
    from graph.synthetic import synthetic_articles

    t = time.perf_counter()
    articles = synthetic_articles(n, seed=seed)
    generate = time.perf_counter() - t
    result = {"jobs": jobs, "articles": n, "generate_s": generate, "checkpoints": []}
    with PeakRss() as rss:
        with make_executor(jobs) as executor, open_store(store_path) as store:
            # start-up: workers start and load the pipeline (one warm-up extraction each, not stored)
            t = time.perf_counter()
            warm = [a for a in synthetic_articles(max(1, jobs) * 2, seed=seed + 1)]
            list(executor.map(extract_article, warm))
            result["startup_s"] = time.perf_counter() - t
            # time spent committing (store.replace_graph), apart from extraction
            commit = [0.0]
            replace_graph = store.replace_graph

            def timed_replace(*a, **k):
                t0 = time.perf_counter()
                replace_graph(*a, **k)
                commit[0] += time.perf_counter() - t0

            store.replace_graph = timed_replace
            started = time.perf_counter()
            done, last_time, last_cpu, last_commit = 0, started, time.process_time(), 0.0
            for point in checkpoints:
                report = ingest_articles(store, articles[done:point], executor=None if jobs == 1 else executor)
                now, cpu = time.perf_counter(), time.process_time()
                n_seg = point - done
                result["checkpoints"].append({
                    "articles": point, "segment_ms_per_article": 1000 * (now - last_time) / n_seg,
                    "cumulative_ms_per_article": 1000 * (now - started) / point,
                    "commit_ms_per_article": 1000 * (commit[0] - last_commit) / n_seg,
                    "main_cpu_ms_per_article": 1000 * (cpu - last_cpu) / n_seg,
                    "triples": len(store), "facts": sum(report.facts.values())})
                done, last_time, last_cpu, last_commit = point, now, cpu, commit[0]
            result["ingest_s"] = time.perf_counter() - started
            result["triples"] = len(store)
            result["graphs"] = len(store.named_graphs())
    result["articles_per_s"] = n / result["ingest_s"]
    result["peak_rss_mb"] = rss.peak / 2**20 if rss.peak else None
    result["peak_rss_main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 or None
    result["store_mb"] = dir_size(store_path) / 2**20
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="articles per run (default 5000)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs settings (default 1,2)")
    parser.add_argument("--checkpoints", default="500,1000,2500,5000",
                        help="article counts at which to report the time per article (default 500,1000,2500,5000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-store", type=Path, help="keep the store of the last run here (e.g. for bench_serve)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one --jobs setting
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    checkpoints = sorted({c for c in (int(x) for x in args.checkpoints.split(",")) if 0 < c < args.n} | {args.n})

    if args.one is not None:
        print(json.dumps(run_one(args.n, args.one, checkpoints, args.seed, args.store)))
        return 0

    results = []
    with tempfile.TemporaryDirectory(prefix="cmkg-bench-ingest-") as tmp:
        for jobs in (int(j) for j in args.jobs.split(",")):
            store = Path(tmp) / f"store-{jobs}"
            cmd = [sys.executable, __file__, "--one", str(jobs), "--n", str(args.n), "--seed", str(args.seed),
                   "--checkpoints", ",".join(map(str, checkpoints)), "--store", str(store)]
            print(f"ingesting {args.n} articles with --jobs {jobs} ...", file=sys.stderr, flush=True)
            out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            if out.returncode != 0:
                print(out.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            if args.keep_store:
                import shutil

                shutil.rmtree(args.keep_store, ignore_errors=True)
                shutil.copytree(store, args.keep_store)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"cmkg ingest benchmark: {args.n} synthetic articles, {os.cpu_count()} CPUs")
    for r in results:
        print(f"\n--jobs {r['jobs']}: {r['articles_per_s']:.2f} articles/s ({r['ingest_s']:.1f} s; start-up "
              f"{r['startup_s']:.1f} s not included), {r['triples']:,} triples in {r['graphs']} named graphs")
        peak = f"{r['peak_rss_mb']:.0f} MB all processes" if r["peak_rss_mb"] else "n/a"
        worker = f", largest worker {r['peak_rss_worker_mb']:.0f} MB" if r["peak_rss_worker_mb"] else ""
        print(f"  peak memory: {peak} (main {r['peak_rss_main_mb']:.0f} MB{worker}); store {r['store_mb']:.1f} MB "
              f"on disk")
        print("  ms per article, over the segment ending at each checkpoint (wall; of which committing to the "
              "store; CPU of the main process) and over the whole run so far")
        print("  articles    wall  commit  main-CPU   cumulative   triples")
        for c in r["checkpoints"]:
            print(f"  {c['articles']:8,}  {c['segment_ms_per_article']:6.1f}  {c['commit_ms_per_article']:6.1f}  "
                  f"{c['main_cpu_ms_per_article']:8.1f}   {c['cumulative_ms_per_article']:10.1f}   {c['triples']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
