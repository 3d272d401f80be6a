"""Two writers at once, and readers during a write.

One scenario, run once: a real `cmkg ingest` process (A) writes 200 articles; while it holds the store,
- a second `cmkg ingest` (B, run by this test process) with a short lock wait fails with one "store is
  busy" line, exit 3 (scripts/check_reliability.py runs B as a separate `cmkg` process too);
- an ingest of a binary file fails at once, without waiting for the lock;
- `cmkg stats` and `cmkg sparql` answer, and a read-only look sees only whole articles;
- a third writer (C, the library call `cmkg ingest` makes, in a thread) with a long lock wait waits
  for A, then completes.
At the end the store equals a clean serial run of both sets: nothing lost, nothing corrupted.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field

import pytest

from tests.test_reliability_support import (BAD, CMKG, Run, article_graphs, base_env, cmkg_inproc,
                                            one_clean_error, shared_corpus, snapshot)


@dataclass
class Scenario:
    a_code: int = -1
    a_err: str = ""
    busy: Run | None = None
    busy_overlapped: bool = False
    bad: Run | None = None
    bad_seconds: float = 0.0
    stats: Run | None = None
    count: Run | None = None
    seen_during: dict = field(default_factory=dict)
    readers_overlapped: bool = False
    waiter_started_during: bool = False
    waiter_seconds: float = 0.0
    waiter_articles: int = 0
    waiter_error: str | None = None
    final: list | None = None
    reference: list | None = None
    reference_graphs: dict = field(default_factory=dict)


def _with_lock_timeout(seconds: str, fn):
    saved = os.environ.get("CMKG_LOCK_TIMEOUT")
    os.environ["CMKG_LOCK_TIMEOUT"] = seconds
    try:
        return fn()
    finally:
        if saved is None:
            os.environ.pop("CMKG_LOCK_TIMEOUT", None)
        else:
            os.environ["CMKG_LOCK_TIMEOUT"] = saved


def _wait_and_ingest(store, folder, sc: Scenario) -> None:
    from graph.ingest import ingest
    from graph.store import open_store

    started = time.monotonic()
    try:
        with open_store(store, lock_timeout=120) as s:
            sc.waiter_seconds = time.monotonic() - started
            sc.waiter_articles = len(ingest(s, [folder]).articles)
    except Exception as err:  # noqa: BLE001 - reported by the test
        sc.waiter_error = f"{type(err).__name__}: {err}"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    paths = shared_corpus(tmp_path_factory)
    first, second = paths["articles"], paths["extra"]
    store = tmp_path_factory.mktemp("concurrency") / "store"
    sc = Scenario(reference=snapshot(paths["reference_both"]), reference_graphs=article_graphs(paths["reference_both"]))
    a = subprocess.Popen(CMKG + ["--store", str(store), "ingest", str(first)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=base_env())
    try:
        deadline = time.monotonic() + 90
        while not article_graphs(store):
            if a.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the first ingest never was seen writing: {a.stderr.read().decode()[-500:]}")
            time.sleep(0.01)
        # B: a second writer (this process, through the same CLI command) that will not wait long
        sc.busy = _with_lock_timeout("0.3", lambda: cmkg_inproc("ingest", str(second), store=store))
        sc.busy_overlapped = a.poll() is None
        # C: a third writer (the library call the command makes, in a thread) that waits for A's lock
        sc.waiter_started_during = a.poll() is None
        waiter = threading.Thread(target=_wait_and_ingest, args=(store, second, sc), daemon=True)
        waiter.start()
        # a bad file fails at once even though the store is busy
        started = time.monotonic()
        sc.bad = _with_lock_timeout("60", lambda: cmkg_inproc("ingest", str(BAD / "binary.txt"), store=store))
        sc.bad_seconds = time.monotonic() - started
        # readers
        sc.stats = cmkg_inproc("stats", "--format", "json", store=store)
        sc.count = cmkg_inproc("sparql", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                               store=store)
        sc.seen_during = article_graphs(store)
        sc.readers_overlapped = a.poll() is None
        waiter.join(180)
    finally:
        try:
            _, err = a.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            a.kill()
            _, err = a.communicate()
        sc.a_code, sc.a_err = a.returncode, err.decode("utf-8", "replace")
    sc.final = snapshot(store)
    return sc


def test_first_writer_completes(scenario):
    assert scenario.a_code == 0, scenario.a_err


def test_second_writer_fails_with_store_is_busy(scenario):
    assert scenario.busy_overlapped, "the first ingest had finished before the second one tried"
    run = scenario.busy
    assert run.code == 3, (run.code, run.err)
    assert one_clean_error(run) is None, run.err
    assert "store is busy" in run.err


def test_bad_input_does_not_wait_for_a_busy_store(scenario):
    assert one_clean_error(scenario.bad) is None and "binary" in scenario.bad.err, scenario.bad.err
    assert scenario.bad_seconds < 10, f"waited {scenario.bad_seconds:.1f} s for the lock before reading the file"


def test_readers_answer_during_a_write_and_see_whole_articles(scenario):
    assert scenario.readers_overlapped, "the write finished before the readers ran"
    assert scenario.stats.code == 0, scenario.stats.err
    assert scenario.count.code == 0, scenario.count.err
    assert scenario.seen_during, "the readers saw no article"
    for name, triples in scenario.seen_during.items():
        assert triples == scenario.reference_graphs[name], f"a reader saw a partial article graph {name}"


def test_waiting_writer_completes_after_the_first(scenario):
    assert scenario.waiter_started_during, "the first ingest had finished before the third one tried"
    assert scenario.waiter_error is None, scenario.waiter_error
    assert scenario.waiter_seconds > 0.1, "the third writer did not have to wait"
    assert scenario.waiter_articles == 5


def test_store_equals_a_clean_serial_run(scenario):
    assert scenario.final == scenario.reference
