#!/usr/bin/env python
"""Reliability report: "nothing lost, no one in", case by case, through the real `cmkg` in subprocesses.

Every case runs `python -m graph ...` (the `cmkg` command) on a store of its own under a temporary
folder and prints one row: case, expected, seen, ok. The exit status is 1 if any case fails.

    .venv/bin/python scripts/check_reliability.py              # the table
    .venv/bin/python scripts/check_reliability.py --markdown   # the same, as a Markdown table
    .venv/bin/python scripts/check_reliability.py -k crash     # only cases whose name contains "crash"

Groups: bad input (one `Error:` line, non-zero exit, no traceback, store unchanged: N-Quads compared
before and after), crash safety (SIGKILL half-way through an ingest), concurrency (two writers, a
reader during a write), hostile text (random Unicode, endless lines, huge lists, script tags; time
linear in the input) and service safety (`cmkg serve`, names typed by users). The pytest suite
(tests/test_reliability_*.py) checks the same properties; this script is the readable summary.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BAD = ROOT / "tests" / "data" / "bad"
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]
CMKG = [sys.executable, "-m", "graph"]
ARTICLE_GRAPH_PREFIX = "https://w3id.org/cmkg/graph/article/"


# -- running cmkg -------------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float = 0.0

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    @property
    def error_line(self) -> str:
        return next((x for x in self.err_lines if x.startswith("Error:")), "")


def env(**extra) -> dict:
    e = dict(os.environ)
    e.pop("CMKG_STORE", None)
    e.setdefault("CMKG_LOCK_TIMEOUT", "2")
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.update({k: str(v) for k, v in extra.items()})
    return e


def cmkg(*args, store: Path | None = None, environ: dict | None = None, timeout: float = 180) -> Run:
    argv = CMKG + (["--store", str(store)] if store is not None else []) + [str(a) for a in args]
    started = time.monotonic()
    try:
        p = subprocess.run(argv, capture_output=True, env=environ or env(), cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(-1, "", f"timed out after {timeout:g} s", time.monotonic() - started)
    return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
               time.monotonic() - started)


def clean_error(run: Run) -> str | None:
    """None when the failure is what a user should see, else what is wrong with it."""
    if run.code == 0:
        return "exit 0"
    if "Traceback" in run.err or "Traceback" in run.out:
        return "traceback"
    errors = [x for x in run.err_lines if not x.startswith("Warning:")]
    if len(errors) != 1 or not errors[0].startswith("Error:"):
        return f"{len(errors)} stderr lines: {' | '.join(errors)[:100]}"
    return None


def commands() -> set[str]:
    from graph.cli import cli

    return set(cli.commands)


# -- stores ---------------------------------------------------------------------------------------------


from graph.errors import CmkgError  # noqa: E402
from tests.test_reliability_support import article_graphs, read_only, snapshot  # noqa: E402  (one copy of the store probes)


def count_articles(store: Path) -> int:
    try:
        ro = read_only(store)
        return sum(1 for g in ro.named_graphs() if g.value.startswith(ARTICLE_GRAPH_PREFIX))
    except CmkgError:
        return 0


def variants(folder: Path, n: int, start: int = 0, paragraphs: int = 2) -> Path:
    """`n` copies of the seed article (its header and first paragraphs: about 40 triples each) with their
    own URL and title: `n` named graphs."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    head, body = text.split("---\n", 1)
    text = head + "---\n" + "\n\n".join(body.split("\n\n")[:paragraphs]).rstrip() + "\n"
    for i in range(start, start + n):
        body = re.sub(r"^url:.*$", f"url: https://example.org/reliability/{i:04d}", text, count=1, flags=re.M)
        body = re.sub(r"^title:(.*)$", rf"title:\1 (variant {i})", body, count=1, flags=re.M)
        (folder / f"a{i:04d}.txt").write_text(body, encoding="utf-8")
    return folder


class Workspace:
    """Temporary folders, a seeded store to copy, reference stores of clean runs."""

    def __init__(self, root: Path):
        self.root = root
        self._n = 0
        self.template = root / "template-store"
        self._seed_template()
        self.files = self._bad_files()
        self._refs: dict[str, Path] = {}

    def _seed_template(self) -> None:
        from graph.knowledge import load_knowledge
        from graph.store import open_store

        arts = variants(self.root / "seed-articles", 2, start=900)
        with open_store(self.template) as store:
            try:
                load_knowledge(store)
            except SyntaxError as err:
                print(f"note: the shipped knowledge does not load ({err}); cases run without it", file=sys.stderr)
        run = cmkg("ingest", arts, store=self.template)
        if run.code != 0:
            print(f"note: seeding the template store failed: {run.error_line or run.err[-200:]}", file=sys.stderr)

    def dir(self, name: str) -> Path:
        self._n += 1
        d = self.root / f"{self._n:03d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())[:40]}"
        d.mkdir()
        return d

    def store(self, name: str) -> Path:
        d = self.dir(name)
        shutil.copytree(self.template, d / "store")
        return d / "store"

    def _bad_files(self) -> dict[str, Path]:
        d = self.root / "inputs"
        d.mkdir()
        huge = d / "huge.txt"
        with open(huge, "wb") as fh:
            fh.truncate(21 * 1024 * 1024)
        (d / "paper.pdf").write_bytes(b"%PDF-1.4 gallium")
        (d / "no-articles").mkdir()
        (d / "no-articles" / "notes.json").write_text("{}")
        (d / "mixed").mkdir()
        (d / "mixed" / "a_good.txt").write_text("China restricted exports of gallium.\n")
        shutil.copy(BAD / "binary.txt", d / "mixed" / "b_binary.txt")
        (d / "a-file").write_text("not a folder")
        return {"tmp": d, "bad": BAD, "huge": huge, "pdf": d / "paper.pdf", "no_articles": d / "no-articles",
                "mixed": d / "mixed", "a_file": d / "a-file"}

    def fill(self, text: str) -> str:
        for key, value in self.files.items():
            text = text.replace("{" + key + "}", str(value))
        return text

    def reference(self, folder: Path) -> Path:
        """The store of a clean serial `cmkg ingest` of `folder` (made once)."""
        key = str(folder)
        if key not in self._refs:
            ref = self.dir("reference") / "store"
            run = cmkg("ingest", folder, store=ref)
            if run.code != 0:
                raise RuntimeError(f"the reference ingest failed: {run.err[-300:]}")
            self._refs[key] = ref
        return self._refs[key]


# -- cases ----------------------------------------------------------------------------------------------


@dataclass
class Row:
    group: str
    case: str
    expected: str
    seen: str
    ok: bool


CASES: list = []


def case(group: str, name: str, expected: str, needs: str | None = None, alone: bool = False):
    def register(fn):
        CASES.append((group, name, expected, needs, alone, fn))
        return fn

    return register


# Bad input: (name, needed command, argv, words the error line must contain)
BAD_INPUT = [
    ("ingest: missing file", "ingest", ["ingest", "{tmp}/nowhere.txt"], ["no such file"]),
    ("ingest: empty file", "ingest", ["ingest", "{bad}/empty.txt"], ["empty"]),
    ("ingest: header but no text", "ingest", ["ingest", "{bad}/header_only.md"], ["empty"]),
    ("ingest: binary file", "ingest", ["ingest", "{bad}/binary.txt"], ["binary"]),
    ("ingest: huge file (21 MB)", "ingest", ["ingest", "{huge}"], ["too large"]),
    ("ingest: unsupported type (.pdf)", "ingest", ["ingest", "{pdf}"], ["unsupported"]),
    ("ingest: folder with no articles", "ingest", ["ingest", "{no_articles}"], ["no articles"]),
    ("ingest: good + binary file", "ingest", ["ingest", "{mixed}"], ["binary"]),
    ("ingest: bad --date", "ingest", ["ingest", "--date", "2025-13-45", "{bad}/latin1.txt"], ["not a date"]),
    ("ingest: --jobs 0", "ingest", ["ingest", "--jobs", "0", "{bad}/latin1.txt"], ["jobs"]),
    ("ingest: unknown option", "ingest", ["ingest", "--jbos", "2", "{bad}/latin1.txt"], ["did you mean"]),
    ("unknown command", "ingest", ["ingset", "{bad}/latin1.txt"], ["did you mean"]),
    ("ingest: unreachable Dask scheduler", "ingest", ["ingest", "--scheduler", "tcp://127.0.0.1:1", "{bad}/latin1.txt"],
     ["cannot reach"]),
    ("store path is a file", "ingest", ["--store", "{a_file}", "ingest", "{bad}/latin1.txt"], ["not a store"]),
    ("sparql: malformed query", "sparql", ["sparql", "SELECT * WHERE { ?s ?p }"], ["malformed sparql", "1:"]),
    ("sparql: malformed .rq file", "sparql", ["sparql", "-f", "{bad}/malformed.rq"], ["malformed sparql", "error at"]),
    ("sparql: missing .rq file", "sparql", ["sparql", "-f", "{tmp}/nowhere.rq"], ["nowhere.rq"]),
    ("sparql: binary .rq file", "sparql", ["sparql", "-f", "{bad}/binary.txt"], ["binary.txt"]),
    ("sparql: INSERT DATA refused", "sparql", ["sparql", "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"],
     ["refused"]),
    ("sparql: DROP ALL refused", "sparql", ["sparql", "DROP ALL"], ["refused"]),
    ("sparql: unknown saved query", "sparql", ["sparql", "--query", "analysis-depend"], ["did you mean"]),
    ("export: unknown format", "export", ["export", "--format", "yaml"], ["yaml"]),
    ("export: unwritable output", "export", ["export", "-o", "{a_file}/sub/graph.ttl"], ["cannot write"]),
    ("validate: malformed Turtle", "validate", ["validate", "{bad}/malformed.ttl"], ["malformed.ttl"]),
    ("validate: binary file as Turtle", "validate", ["validate", "{bad}/binary.txt"], ["binary.txt"]),
    ("validate: malformed JSON-LD", "validate", ["validate", "{bad}/malformed.json"], ["malformed.json"]),
    ("push: nothing listening", "push", ["push", "--endpoint", "http://127.0.0.1:1/sparql", "--timeout", "2"],
     ["cannot reach"]),
    ("push: not an http URL", "push", ["push", "--endpoint", "notaurl"], ["notaurl"]),
    ("facts: binary file", "facts", ["facts", "{bad}/binary.txt"], ["binary"]),
    ("facts: folder with no articles", "facts", ["facts", "{no_articles}"], ["no articles"]),
    ("depends: typo", "depends", ["depends", "dysprosim"], ["did you mean", "dysprosium"]),
    ("depends: bad --level", "depends", ["depends", "dysprosium", "--level", "galaxy"], ["galaxy"]),
    ("path: unknown name", "path", ["path", "dysprosim", "wind power"], ["dysprosim"]),
    ("exposure: bad --as-of", "exposure", ["exposure", "--as-of", "2025-02-30"], ["2025-02-30"]),
    ("concentration: bad --stage", "concentration", ["concentration", "gallium", "--stage", "baking"], ["baking"]),
    ("render: bad --as-of", "render", ["render", "-o", "{tmp}/g.html", "--as-of", "someday"], ["someday"]),
    ("render: unwritable output", "render", ["render", "-o", "{a_file}/sub/g.html"], []),
    ("build: output folder not writable", "build", ["build", "-o", "{a_file}/out", "{bad}/latin1.txt"], ["a-file"]),
    ("build: binary source", "build", ["build", "-o", "{tmp}/out", "{bad}/binary.txt"], ["binary"]),
    ("build: folder with no articles", "build", ["build", "-o", "{tmp}/out", "{no_articles}"], ["no articles"]),
]


def _bad_input_case(name, needs, argv, words):
    def run_case(ws: Workspace):
        store = ws.store(name)
        before = snapshot(store)
        args = [ws.fill(a) for a in argv]
        if args[0] == "--store":
            run = cmkg(*args)
        else:
            run = cmkg(*args, store=store)
        problems = []
        wrong = clean_error(run)
        if wrong:
            problems.append(wrong)
        line = run.error_line.lower()
        missing = [w for w in words if ws.fill(w).lower() not in line]
        if missing and not wrong:
            problems.append(f"no {missing[0]!r} in the message")
        if snapshot(store) != before:
            problems.append("STORE CHANGED")
        message = run.error_line[7:] or (run.err_lines[-1] if run.err_lines else "")
        if problems:
            return f"{'; '.join(problems)} — exit {run.code}: {message}", False
        return f"exit {run.code}: {message}", True

    return run_case


for _name, _needs, _argv, _words in BAD_INPUT:
    case("bad input", _name, "1 line, exit≠0, store same", needs=_needs)(_bad_input_case(_name, _needs, _argv, _words))


@case("bad input", "ingest: latin-1 article", "read, 1 warning, exit 0", needs="ingest")
def latin1(ws: Workspace):
    store = ws.store("latin1")
    run = cmkg("ingest", BAD / "latin1.txt", store=store)
    warns = [x for x in run.err_lines if x.startswith("Warning:")]
    ok = run.code == 0 and len(warns) == 1 and "not UTF-8" in warns[0] and "Traceback" not in run.err
    return f"exit {run.code}, {len(warns)} warning(s): {(warns or [''])[0][9:80]}", ok


@case("bad input", "ingest: bad date in a header", "read, 1 warning, exit 0", needs="ingest")
def bad_header_date(ws: Workspace):
    store = ws.store("bad header date")
    run = cmkg("ingest", BAD / "bad_date.txt", store=store)
    warns = [x for x in run.err_lines if x.startswith("Warning:")]
    ok = run.code == 0 and len(warns) == 1 and "31/02/2025" in warns[0]
    return f"exit {run.code}, {len(warns)} warning(s): {(warns or [''])[0][9:80]}", ok


@case("bad input", "ingest --keep-going: good + binary", "good one stored, 1 'Skipped' line", needs="ingest")
def keep_going(ws: Workspace):
    store = ws.store("keep going")
    before = len(article_graphs(store))
    run = cmkg("ingest", "--keep-going", ws.files["mixed"], store=store)
    after = len(article_graphs(store))
    skipped = [x for x in run.err_lines if x.startswith("Skipped:")]
    ok = run.code == 0 and len(skipped) == 1 and after == before + 1
    return f"exit {run.code}, {len(skipped)} skipped, articles {before}→{after}", ok


@case("bad input", "failed ingest into a new store", "no store created", needs="ingest")
def no_store_created(ws: Workspace):
    target = ws.dir("no store") / "store"
    run = cmkg("ingest", BAD / "binary.txt", store=target)
    ok = clean_error(run) is None and not target.exists()
    return f"exit {run.code}, store {'created' if target.exists() else 'not created'}", ok


@case("bad input", "failed build into a new store", "no store created", needs="build")
def build_no_store(ws: Workspace):
    d = ws.dir("build no store")
    target = d / "store"
    run = cmkg("build", "-o", d / "out", BAD / "binary.txt", store=target)
    wrote = snapshot(target) is not None
    ok = clean_error(run) is None and not wrote
    return f"exit {run.code}, store {'CREATED, knowledge written' if wrote else 'not created'}", ok


@case("bad input", "--debug shows the traceback", "traceback with --debug only", needs="ingest")
def debug_flag(ws: Workspace):
    store = ws.store("debug")
    plain = cmkg("ingest", BAD / "binary.txt", store=store)
    debug = cmkg("--debug", "ingest", BAD / "binary.txt", store=store)
    ok = clean_error(plain) is None and "Traceback" in debug.err and debug.code != 0
    return f"plain: {'traceback' if 'Traceback' in plain.err else 'one line'}; --debug: " \
           f"{'traceback' if 'Traceback' in debug.err else 'no traceback'}", ok


# -- crash safety ---------------------------------------------------------------------------------------


def _kill_mid_ingest(ws: Workspace, jobs: int):
    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    ref = ws.reference(folder)
    ref_graphs = article_graphs(ref)
    store = ws.dir(f"crash jobs {jobs}") / "store"
    proc = subprocess.Popen(CMKG + ["--store", str(store), "ingest", "--jobs", str(jobs), str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env(), start_new_session=True)
    deadline = time.monotonic() + 120
    seen = 0
    while proc.poll() is None and time.monotonic() < deadline:
        if (store / "CURRENT").exists():
            seen = count_articles(store)
            if seen >= 3:
                proc.send_signal(signal.SIGKILL)
                break
        time.sleep(0.01)
    proc.wait(30)
    deadline = time.monotonic() + 3.0  # workers notice their parent is gone within about a second
    while True:
        time.sleep(0.3)
        leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
        if not leftover or time.monotonic() > deadline:
            break
    for pid in leftover:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    graphs = article_graphs(store)
    partial = [g for g, t in graphs.items() if t != ref_graphs.get(g)]
    rerun = cmkg("ingest", "--jobs", jobs, folder, store=store)
    same = snapshot(store) == snapshot(ref)
    ok = 0 < len(graphs) < 200 and not partial and rerun.code == 0 and same and not leftover
    seen_text = (f"killed at {len(graphs)}/200, {len(partial)} partial; rerun exit {rerun.code}, "
                 f"{'= clean run' if same else '≠ clean run'}")
    if leftover:
        seen_text += f"; {len(leftover)} worker(s) left running"
    return seen_text, ok


@case("crash safety", "SIGKILL mid-ingest, then rerun", "whole articles only; rerun = clean run",
      needs="ingest", alone=True)
def crash_serial(ws: Workspace):
    return _kill_mid_ingest(ws, 1)


@case("crash safety", "SIGKILL mid-ingest --jobs 2, then rerun", "whole articles only; rerun = clean run",
      needs="ingest", alone=True)
def crash_parallel(ws: Workspace):
    return _kill_mid_ingest(ws, 2)


def _interrupt(ws: Workspace, jobs: int):
    """Ctrl+C as a terminal sends it: SIGINT to the whole process group (the workers too)."""
    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    ref_graphs = article_graphs(ws.reference(folder))
    store = ws.dir(f"sigint jobs {jobs}") / "store"
    proc = subprocess.Popen(CMKG + ["--store", str(store), "ingest", "--jobs", str(jobs), str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(), start_new_session=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if (store / "CURRENT").exists() and count_articles(store) >= 3:
            os.killpg(proc.pid, signal.SIGINT)
            break
        time.sleep(0.01)
    _, err = proc.communicate(timeout=60)
    err = err.decode("utf-8", "replace")
    graphs = article_graphs(store)
    partial = [g for g, t in graphs.items() if t != ref_graphs.get(g)]
    lines = [x for x in err.splitlines() if x.strip() and not x.startswith("Ingesting")]
    ok = proc.returncode == 130 and "Interrupted." in err and "Traceback" not in err and not partial \
        and 0 < len(graphs) < 200
    return f"exit {proc.returncode}, '{lines[-1][:30] if lines else ''}', {len(graphs)} articles, " \
           f"{len(partial)} partial" + (f", {err.count('Traceback')} TRACEBACKS" if "Traceback" in err else ""), ok


@case("crash safety", "Ctrl+C (SIGINT) mid-ingest", "'Interrupted.', exit 130; whole articles only",
      needs="ingest", alone=True)
def interrupted(ws: Workspace):
    return _interrupt(ws, 1)


@case("crash safety", "Ctrl+C (SIGINT) mid-ingest --jobs 2", "'Interrupted.', exit 130, no traceback",
      needs="ingest", alone=True)
def interrupted_parallel(ws: Workspace):
    return _interrupt(ws, 2)


# -- concurrency ----------------------------------------------------------------------------------------


def _start_writer(store: Path, folder: Path, **extra) -> subprocess.Popen:
    return subprocess.Popen(CMKG + ["--store", str(store), "ingest", str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(**extra))


def _wait_writing(store: Path, proc: subprocess.Popen, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if (store / "CURRENT").exists() and count_articles(store) > 0:
            return True
        time.sleep(0.01)
    return False


@case("concurrency", "second writer, short lock wait", "'store is busy', exit 3; store intact",
      needs="ingest", alone=True)
def busy(ws: Workspace):
    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    second = variants(ws.root / "second-articles", 5, start=500)
    store = ws.dir("busy") / "store"
    a = _start_writer(store, folder)
    writing = _wait_writing(store, a)
    b = cmkg("ingest", second, store=store, environ=env(CMKG_LOCK_TIMEOUT="0.3"))
    overlapped = a.poll() is None
    a.communicate(timeout=300)
    ref_graphs = article_graphs(ws.reference(folder))
    intact = article_graphs(store) == ref_graphs
    ok = writing and overlapped and b.code == 3 and clean_error(b) is None and "store is busy" in b.err \
        and a.returncode == 0 and intact
    return f"exit {b.code}: {b.error_line[7:60]}; first writer exit {a.returncode}, store " \
           f"{'intact' if intact else 'DIFFERS'}", ok


@case("concurrency", "second writer, long lock wait", "waits, then both complete", needs="ingest", alone=True)
def waits(ws: Workspace):
    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    second = variants(ws.root / "second-articles", 5, start=500)
    store = ws.dir("waits") / "store"
    a = _start_writer(store, folder)
    _wait_writing(store, a)
    b = _start_writer(store, second, CMKG_LOCK_TIMEOUT="300")
    b_out, b_err = b.communicate(timeout=300)
    a.communicate(timeout=300)
    graphs = article_graphs(store)
    expected = {**article_graphs(ws.reference(folder)), **article_graphs(ws.reference(second))}
    ok = a.returncode == 0 and b.returncode == 0 and graphs == expected
    return f"exits {a.returncode}/{b.returncode}; {len(graphs)} articles, " \
           f"{'all complete' if graphs == expected else 'MISMATCH'}", ok


@case("concurrency", "readers during a write", "answers; only whole articles seen", needs="ingest", alone=True)
def readers(ws: Workspace):
    """`cmkg sparql` in a loop (two at a time) while an ingest writes, plus read-only looks at the graphs."""
    import threading

    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    ref_graphs = article_graphs(ws.reference(folder))
    store = ws.dir("readers") / "store"
    a = _start_writer(store, folder)
    answers: list[tuple[int, str]] = []
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def read_loop():
        while a.poll() is None:
            run = cmkg("sparql", count, "--format", "csv", store=store)
            answers.append((run.code, run.out.split()[-1] if run.code == 0 and run.out.split() else run.error_line))

    threads = [threading.Thread(target=read_loop) for _ in range(2)]
    for t in threads:
        t.start()
    partial, looks = set(), 0
    while a.poll() is None:
        for g, t in article_graphs(store).items():
            looks += 1
            if t != ref_graphs.get(g):
                partial.add(g)
        time.sleep(0.05)
    for t in threads:
        t.join()
    a.communicate(timeout=300)
    counts = [int(x) for code, x in answers if code == 0 and x.isdigit()]
    errors = [x for code, x in answers if code != 0 and "no cmkg store" not in x]
    mid = [n for n in counts if 0 < n < 200]
    ok = a.returncode == 0 and not errors and bool(mid) and not partial
    return (f"{len(answers)} sparql answers (counts {sorted(set(counts))}), {len(errors)} errors; "
            f"{len(partial)} partial graphs in {looks} looks"), ok


@case("concurrency", "bad file while the store is busy", "fails at once, no lock wait", needs="ingest", alone=True)
def bad_while_busy(ws: Workspace):
    folder = ws.root / "crash-articles"
    if not folder.exists():
        variants(folder, 200)
    store = ws.dir("bad while busy") / "store"
    a = _start_writer(store, folder)
    _wait_writing(store, a)
    b = cmkg("ingest", BAD / "binary.txt", store=store, environ=env(CMKG_LOCK_TIMEOUT="60"))
    a.communicate(timeout=300)
    ok = clean_error(b) is None and "binary" in b.error_line and b.seconds < 15
    return f"exit {b.code} after {b.seconds:.1f} s: {b.error_line[7:60]}", ok


# -- hostile text ---------------------------------------------------------------------------------------


def _hostile_files(d: Path) -> dict[str, Path]:
    rng = random.Random(20260101)
    alphabet = [chr(c) for c in list(range(32, 0x250)) + list(range(0x370, 0x3000)) + list(range(0x4E00, 0x4F00))
                if not 0xD800 <= c <= 0xDFFF] + ["\n", "\t", "\u200b", "\u2028", "\ufeff", "\U0001F600"]
    files = {
        "random Unicode (200k chars)": "".join(rng.choice(alphabet) for _ in range(200_000)),
        "one 1 MB line": "China restricted exports of " + "gallium germanium " * 58_000,
        "huge list ('gallium, germanium, ' x 20000)": "China restricted exports of " + "gallium, germanium, " * 20_000
        + "and antimony.",
        "script and img tags": (BAD / "hostile.txt").read_text(encoding="utf-8"),
    }
    out = {}
    for i, (name, text) in enumerate(files.items()):
        p = d / f"h{i}.txt"
        p.write_text(text, encoding="utf-8")
        out[name] = p
    return out


@case("hostile text", "ingest random Unicode, endless line, huge list, tags", "exit 0, no traceback, < 60 s each",
      needs="ingest")
def hostile_ingest(ws: Workspace):
    d = ws.dir("hostile")
    seen, ok = [], True
    for name, path in _hostile_files(d).items():
        store = d / f"store-{path.stem}"
        run = cmkg("ingest", path, store=store, timeout=60)
        good = run.code == 0 and "Traceback" not in run.err and run.seconds < 60
        ok &= good
        seen.append(f"{path.stem}:{'ok' if good else 'exit ' + str(run.code)} {run.seconds:.1f}s")
    return ", ".join(seen), ok


TIMING = r"""
import sys, time, json
from graph.articles import article_from_text
from graph.extract import extract
shapes = {
    "list in one sentence": lambda n: "China restricted exports of " + "gallium, germanium, " * n + "and antimony.",
    "many sentences": lambda n: "China produces gallium. Japan depends on germanium. " * n,
    "one endless line": lambda n: "China gallium germanium magnets " * n,
    "countries and minerals": lambda n: "China, Japan, gallium, Russia, germanium, Chile, lithium, " * n + "depend.",
}
def secs(text, repeats=2):
    a = article_from_text(text, "x.txt"); best = 1e9
    for _ in range(repeats):
        t = time.perf_counter(); extract(a); best = min(best, time.perf_counter() - t)
    return best
make = shapes[sys.argv[1]]
secs(make(10), 1)
n = 100
while secs(make(n), 1) < 0.04 and n < 3200:
    n *= 2
times = {}
for k in (1, 2, 4, 8):
    times[k] = secs(make(k * n))
    if k > 1 and times[k] / max(times[1], 1e-3) > 2.5 * k:
        break
print(json.dumps({"n": n, "times": times}))
"""


def _timing_case(shape: str):
    def run_case(ws: Workspace):
        import json

        p = subprocess.run([sys.executable, "-c", TIMING, shape], capture_output=True, text=True, env=env(),
                           cwd=ROOT, timeout=300)
        if p.returncode != 0:
            return f"failed: {(p.stderr.strip().splitlines() or ['?'])[-1][:80]}", False
        data = json.loads(p.stdout.strip().splitlines()[-1])
        times = {int(k): v for k, v in data["times"].items()}
        ratio = times[max(times)] / max(times[1], 1e-3)
        ok = 8 in times and ratio < 20
        steps = ", ".join(f"{k}N {v * 1000:.0f} ms" for k, v in sorted(times.items()))
        return f"N={data['n']}: {steps} (×{ratio:.0f})", ok

    return run_case


for _shape in ("list in one sentence", "many sentences", "one endless line", "countries and minerals"):
    case("hostile text", f"extract time, {_shape}", "linear: 8N < 20× N (quadratic 64×)", needs="ingest",
         alone=True)(
        _timing_case(_shape))


@case("hostile text", "property-based tests (hypothesis)", "no crash, evidence inside the text", needs="ingest")
def hypothesis_tests(ws: Workspace):
    p = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                        str(ROOT / "tests" / "test_reliability_hostile.py"), "-k", "not linearly"],
                       capture_output=True, text=True, env=env(), cwd=ROOT, timeout=600)
    summary = re.findall(r"\d+ (?:passed|failed|error|skipped)", p.stdout)
    return ", ".join(summary) or (p.stdout.strip().splitlines() or ["?"])[-1][:90], p.returncode == 0


@case("hostile text", "render escapes <script> and onerror", "no live tag in the HTML", needs="render")
def render_xss(ws: Workspace):
    d = ws.dir("xss")
    store = d / "store"
    shutil.copytree(ws.template, store)
    run = cmkg("ingest", BAD / "hostile.txt", store=store)
    if run.code != 0:
        return f"ingest failed: {run.error_line[7:80]}", False
    out = d / "g.html"
    run = cmkg("render", "-o", out, store=store)
    if run.code != 0:
        return f"render exit {run.code}: {run.error_line[7:80]}", False
    html = out.read_text(encoding="utf-8")
    live = [s for s in ("<script>alert(1)</script>", "<script>alert(2)</script>", "<img src=x onerror=alert(1)>")
            if s in html]
    return (f"{len(live)} live: {live[0][:40]}" if live else "all escaped"), not live


# -- service safety -------------------------------------------------------------------------------------

HOSTILE_NAMES = ['} INSERT DATA { <a> <b> <c> } #', 'gallium" } ; INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "c" } } #',
                 "dysprosium' . } DROP ALL ; #"]


def _names_case(command: str, make_argv):
    def run_case(ws: Workspace):
        store = ws.store(f"names {command}")
        before = snapshot(store)
        seen, ok = [], True
        for name in HOSTILE_NAMES:
            run = cmkg(*[ws.fill(a) for a in make_argv(name)], store=store)
            clean = run.code == 0 or clean_error(run) is None
            unknown = run.code == 0 or re.search(r"unknown|no node|not (a|an|found|known)|no such",
                                                 run.error_line.lower())
            ok &= bool(clean and unknown and "Traceback" not in run.err)
            seen.append(run.error_line[7:50] if run.code else "exit 0")
        same = snapshot(store) == before
        ok &= same
        return f"{seen[0]}; store {'same' if same else 'CHANGED'}", ok

    return run_case


for _cmd, _argv in [
    ("depends", lambda n: ["depends", n]),
    ("path", lambda n: ["path", n, "wind power"]),
    ("ask", lambda n: ["ask", f"which industries depend on {n}?"]),
    ("concentration", lambda n: ["concentration", n]),
    ("scenario", lambda n: ["scenario", "--restrict", f"China:{n}"]),
    ("render", lambda n: ["render", "-o", "{tmp}/names.html", "--focus", n]),
]:
    case("service safety", f"{_cmd}: name with quotes, braces, INSERT DATA", "unknown name; nothing written",
         needs=_cmd)(_names_case(_cmd, _argv))


@case("service safety", "sparql --query NAME --param hostile", "bound value; nothing written", needs="sparql")
def saved_param(ws: Workspace):
    try:
        from graph import queries as saved

        query = next((q for q in saved.list_queries() if q.params), None)
    except (ImportError, AttributeError):
        query = None
    if query is None:
        return "no saved query with a parameter", False
    store = ws.store("saved param")
    before = snapshot(store)
    runs = [cmkg("sparql", "--query", query.name, "--param", f"{query.params[0]}={n}", store=store)
            for n in HOSTILE_NAMES]
    clean = all(r.code == 0 or clean_error(r) is None for r in runs)
    same = snapshot(store) == before
    return f"{query.name}: {runs[0].error_line[7:50] or 'exit 0'}; store {'same' if same else 'CHANGED'}", \
        clean and same


class _Server:
    def __init__(self, store: Path, *args):
        self.proc = subprocess.Popen(CMKG + ["--store", str(store), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env(PYTHONUNBUFFERED="1"))
        self.url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r" at (http://\S+)", line)
            if m:
                self.url = re.sub(r"/(query|sparql)/?$", "", m.group(1).rstrip("/"))
                break

    def get(self, path: str, data: bytes | None = None, ctype: str | None = None, timeout: float = 60):
        req = urllib.request.Request(self.url + path, data=data, method="POST" if data is not None else "GET")
        if ctype:
            req.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def query(self, text: str, timeout: float = 60):
        return self.get("/query?" + urllib.parse.urlencode({"query": text}), timeout=timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc.stdout.close()
        self.proc.stderr.close()


def _serve_case(check):
    def run_case(ws: Workspace):
        store = ws.store("serve")
        srv = _Server(store, "--timeout", "1", "--workers", "1")
        try:
            if srv.url is None:
                return f"did not start: {srv.proc.stderr.read()[-100:]}", False
            return check(srv, store)
        finally:
            srv.stop()

    return run_case


def _serve_read_only(srv: _Server, store: Path):
    before = snapshot(store)
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    codes = [srv.get("/update", urllib.parse.urlencode({"update": update}).encode(),
                     "application/x-www-form-urlencoded")[0],
             srv.get("/update", update.encode(), "application/sparql-update")[0],
             srv.query(update)[0], srv.query("DROP ALL")[0]]
    same = snapshot(store) == before
    return f"update answers {codes}; store {'same' if same else 'CHANGED'}", same and all(c in (400, 403) for c in codes)


def _serve_timeout(srv: _Server, store: Path):
    values = " ".join(str(i) for i in range(30))
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ {values} }}" for i in range(8)) + " }"
    started = time.monotonic()
    status, body = srv.query(runaway)
    took = time.monotonic() - started
    after, _ = srv.query("ASK { ?s ?p ?o }")
    ok = status == 503 and took < 10 and after == 200
    return f"{status} after {took:.1f} s ({body.strip()[:40]}); next query {after}", ok


def _serve_loopback(srv: _Server, store: Path):
    host = urllib.parse.urlsplit(srv.url).hostname
    port = urllib.parse.urlsplit(srv.url).port
    other = None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            other = s.getsockname()[0]
    except OSError:
        pass
    refused = None
    if other and not other.startswith("127."):
        try:
            socket.create_connection((other, port), timeout=2).close()
            refused = False
        except OSError:
            refused = True
    ok = host in ("127.0.0.1", "localhost", "::1") and refused is not False
    return f"listens on {host}" + (f"; {other} {'refused' if refused else 'ACCEPTED'}" if refused is not None else ""), ok


@case("service safety", "serve: port already in use", "1 line, exit≠0", needs="serve")
def serve_port_in_use(ws: Workspace):
    store = ws.store("serve busy port")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        run = cmkg("serve", "--port", s.getsockname()[1], store=store, timeout=60)
    wrong = clean_error(run)
    return (wrong or f"exit {run.code}: {run.error_line[7:]}"), wrong is None


case("service safety", "serve: SPARQL Update refused", "400/403; store same", needs="serve")(_serve_case(_serve_read_only))
case("service safety", "serve: runaway query", "503 at the 1 s limit; keeps serving", needs="serve")(
    _serve_case(_serve_timeout))
case("service safety", "serve: default address", "loopback only", needs="serve")(_serve_case(_serve_loopback))


# -- main -----------------------------------------------------------------------------------------------


def run_all(pattern: str | None, jobs: int) -> list[Row]:
    available = commands()
    selected = [c for c in CASES if not pattern or pattern.lower() in (c[0] + " " + c[1]).lower()]
    rows: dict[int, Row] = {}
    with tempfile.TemporaryDirectory(prefix="cmkg-reliability-") as tmp:
        ws = Workspace(Path(tmp))

        def one(i, spec):
            group, name, expected, needs, alone, fn = spec
            if needs and needs not in available:
                return i, Row(group, name, expected, f"`cmkg {needs}` does not exist", False)
            try:
                seen, ok = fn(ws)
            except Exception as err:  # noqa: BLE001 - a broken case is a failed row, not a crash of the report
                seen, ok = f"case raised {type(err).__name__}: {' '.join(str(err).split())[:80]}", False
            return i, Row(group, name, expected, seen, bool(ok))

        together = [(i, c) for i, c in enumerate(selected) if not c[4]]
        alone = [(i, c) for i, c in enumerate(selected) if c[4]]
        with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
            for i, row in pool.map(lambda ic: one(*ic), together):
                rows[i] = row
                print(f"{'ok  ' if row.ok else 'FAIL'} {row.case}", file=sys.stderr)
        for i, c in alone:  # timing-sensitive cases run one at a time
            _, row = one(i, c)
            rows[i] = row
            print(f"{'ok  ' if row.ok else 'FAIL'} {row.case}", file=sys.stderr)
    return [rows[i] for i in sorted(rows)]


def table(rows: list[Row], markdown: bool) -> str:
    head = ("group", "case", "expected", "seen", "ok")
    cells = [(r.group, r.case, r.expected, r.seen, "ok" if r.ok else "FAIL") for r in rows]
    if markdown:
        esc = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [min(max(len(h), *(len(row[i]) for row in cells)) if cells else len(h), w)
              for i, (h, w) in enumerate(zip(head, (14, 46, 38, 70, 4)))]
    clip = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(clip(c, w).ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", "--filter", help="only cases whose group or name contains this text")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("-j", "--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="cases run at once (the timing-sensitive ones always run alone)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    rows = run_all(args.filter, args.jobs)
    print(table(rows, args.markdown))
    failed = [r for r in rows if not r.ok]
    print(f"\n{len(rows) - len(failed)}/{len(rows)} cases ok in {time.monotonic() - started:.0f} s"
          + (f"; FAILED: {', '.join(r.case for r in failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
