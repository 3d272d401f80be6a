"""Crash safety: `cmkg ingest` killed with SIGKILL half-way leaves exactly the articles that finished, each
complete; running the same command again completes the rest, and the result equals a clean run.

The reference is a clean serial ingest of the same articles into another store (the library call the
CLI makes). The killed run is a real `cmkg` process; its progress is watched by opening its store
read-only, which never blocks the writer, and it is killed as soon as a few articles are committed.
The rerun goes through the same CLI command, in this process (the extractor is already warm here).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from graph.errors import CmkgError

from tests.test_reliability_support import (CMKG, article_graphs, base_env, cmkg_inproc, read_only,
                                            shared_corpus, snapshot)

N_ARTICLES = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """200 variants of the seed article; the store and article graphs of a clean serial run of them."""
    paths = shared_corpus(tmp_path_factory, N_ARTICLES)
    graphs = article_graphs(paths["reference"])
    assert len(graphs) == N_ARTICLES
    return paths["articles"], paths["reference"], graphs


def count_articles(store) -> int:
    from graph.namespaces import ARTICLE_GRAPH_PREFIX

    if not (store / "CURRENT").exists():
        return 0
    try:
        ro = read_only(store)
    except CmkgError:
        return 0
    return sum(1 for g in ro.named_graphs() if g.value.startswith(ARTICLE_GRAPH_PREFIX))


def kill_when(proc: subprocess.Popen, store, at_least: int, timeout: float = 90) -> int:
    """SIGKILL `proc` as soon as its store holds `at_least` article graphs; returns how many were seen."""
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = count_articles(store)
        if seen >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            return seen
        time.sleep(0.005)
    proc.kill()
    proc.wait(10)
    pytest.fail(f"the ingest ended (code {proc.returncode}) before {at_least} articles were seen (saw {seen})")


def leftover_processes(pgid: int) -> list[str]:
    """Processes still in the killed command's process group (worker processes it started), killed."""
    deadline = time.monotonic() + 3.0  # workers notice their parent is gone within about a second
    while True:
        time.sleep(0.3)
        pids = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True).stdout.split()
        if not pids or time.monotonic() > deadline:
            break
    for pid in pids:  # clean up before failing, so a leak does not outlive the test
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    return pids


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigkill_mid_ingest_leaves_whole_articles_and_rerun_completes(corpus, tmp_path, jobs):
    folder, reference, reference_graphs = corpus
    store = tmp_path / "store"
    argv = CMKG + ["--store", str(store), "ingest", "--jobs", str(jobs), str(folder)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=base_env(),
                            start_new_session=True)
    try:
        kill_when(proc, store, at_least=3)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    leftover = leftover_processes(proc.pid)
    graphs = article_graphs(store)
    # exactly the articles that finished: each one complete, none partial
    assert 0 < len(graphs) < N_ARTICLES, f"the kill did not land mid-run: {len(graphs)} articles"
    for name, triples in graphs.items():
        assert name in reference_graphs, f"unknown graph {name}"
        assert triples == reference_graphs[name], f"article graph {name} is partial or differs from a clean run"
    assert not leftover, f"processes of the killed ingest are still running: {leftover}"
    if jobs > 1:
        return  # the rerun is the same code path as with --jobs 1 (below); the kill was the point here
    # the same command again completes the rest
    run = cmkg_inproc("ingest", str(folder), store=store)
    assert run.code == 0, run.err
    assert f"Ingested {N_ARTICLES} article" in run.out
    assert snapshot(store) == snapshot(reference), f"after the rerun (killed at {len(graphs)}) the store differs"
