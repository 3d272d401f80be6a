"""Shared helpers of the reliability tests (no tests here): running cmkg, snapshots of a store, article sets.

A "snapshot" of a store is its N-Quads, sorted, read through a read-only opening: two snapshots are
equal exactly when the store holds the same quads. A folder without a store snapshots as None, so a
command that must not touch the store can be checked whether or not a store existed before it ran.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]
CMKG = [sys.executable, "-m", "graph"]


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def base_env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("CMKG_STORE", None)
    env.setdefault("CMKG_LOCK_TIMEOUT", "2")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def cmkg(*args, store: Path | None = None, env: dict | None = None, cwd: Path | None = None,
         stdin: bytes | None = None, timeout: float = 120) -> Run:
    """Run the real CLI in a subprocess (`python -m graph ...`)."""
    argv = list(CMKG)
    if store is not None:
        argv += ["--store", str(store)]
    argv += [str(a) for a in args]
    proc = subprocess.run(argv, input=stdin, capture_output=True, env=env or base_env(), cwd=cwd or ROOT,
                          timeout=timeout)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def cmkg_inproc(*args, store: Path | None = None, stdin: bytes | None = None) -> Run:
    """Run the CLI in this process through click's runner (fast; same code path as `cmkg`)."""
    import warnings

    from click.testing import CliRunner

    from graph.cli import cli

    argv = (["--store", str(store)] if store is not None else []) + [str(a) for a in args]
    saved = warnings.showwarning
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            result = CliRunner().invoke(cli, argv, input=stdin, catch_exceptions=True)
    finally:
        warnings.showwarning = saved
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        err += "".join(traceback.format_exception(result.exception))
    return Run(result.exit_code, result.stdout, err)


def read_only(store: Path):
    """The raw pyoxigraph store behind cmkg's read-only opening (which waits out a store being created)."""
    from graph.store import KnowledgeStore

    return KnowledgeStore(store, read_only=True).oxigraph


def snapshot(store: Path) -> list[str] | None:
    """The store's N-Quads, sorted (None when there is no store at that path)."""
    if not (Path(store) / "CURRENT").exists():
        return None
    return sorted(str(q) for q in read_only(store))


def article_graphs(store: Path) -> dict[str, set[str]]:
    """Article graph IRI -> its triples (N-Triples lines), read-only."""
    import pyoxigraph as ox

    from graph.namespaces import ARTICLE_GRAPH_PREFIX

    out: dict[str, set[str]] = {}
    if not (Path(store) / "CURRENT").exists():
        return out
    for q in read_only(store):
        g = q.graph_name
        if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_GRAPH_PREFIX):
            out.setdefault(g.value, set()).add(f"{q.subject} {q.predicate} {q.object}")
    return out


def seeded_store(path: Path, knowledge: bool = True) -> Path:
    """A store with two small article graphs (something that can change) and, with `knowledge`, the
    shipped ontology and reference data (what names are resolved against)."""
    from graph.knowledge import load_knowledge
    from graph.store import open_store
    from tests.conftest import small_graphs

    with open_store(path) as store:
        if knowledge:
            load_knowledge(store)
        store.replace_graphs(small_graphs())
    return path


_TEMPLATE: dict[tuple, Path] = {}


def fresh_seeded_store(path: Path, cache_dir: Path, knowledge: bool = True) -> Path:
    """A copy of a seeded store (building it once per cache folder)."""
    key = (str(cache_dir), knowledge)
    if key not in _TEMPLATE:
        _TEMPLATE[key] = seeded_store(cache_dir / f"template-store-{'k' if knowledge else 'small'}", knowledge)
    shutil.copytree(_TEMPLATE[key], path)
    return path


def article_variants(folder: Path, n: int, seed: Path = SEED, start: int = 0, paragraphs: int | None = 2) -> list[Path]:
    """`n` copies of the seed article, each with its own URL and title (so each is its own named graph).

    `paragraphs` keeps the header and the first paragraphs only (about 40 triples an article), so that
    a few hundred articles ingest in seconds; None keeps the whole article.
    """
    folder.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    if paragraphs is not None:
        head, body = text.split("---\n", 1)
        text = head + "---\n" + "\n\n".join(body.split("\n\n")[:paragraphs]).rstrip() + "\n"
    paths = []
    for i in range(start, start + n):
        body = re.sub(r"^url:.*$", f"url: https://example.org/reliability/{i:04d}", text, count=1, flags=re.M)
        body = re.sub(r"^title:(.*)$", rf"title:\1 (variant {i})", body, count=1, flags=re.M)
        p = folder / f"a{i:04d}.txt"
        p.write_text(body, encoding="utf-8")
        paths.append(p)
    return paths


def one_clean_error(run: Run) -> str | None:
    """None when `run` failed the way a user should see it (non-zero, one `Error:` line, no traceback),
    else what is wrong."""
    if run.code == 0:
        return "exit code 0"
    if "Traceback" in run.err or "Traceback" in run.out:
        return "traceback shown"
    errors = [line for line in run.err_lines if not line.startswith("Warning:")]
    if len(errors) != 1:
        return f"{len(errors)} error lines: {errors[:3]!r}"
    if not errors[0].startswith("Error:"):
        return f"not an Error: line: {errors[0][:120]!r}"
    return None


def shared_corpus(tmp_path_factory, n: int = 200, extra: int = 5) -> dict:
    """Once per test session: `n` article variants ("articles"), `extra` more ("extra"), and the stores of
    clean serial ingests of the first set ("reference") and of both sets ("reference_both"): what the
    crash and concurrency tests compare with."""
    from graph.ingest import ingest
    from graph.store import open_store

    root = tmp_path_factory.getbasetemp() / f"reliability-corpus-{n}-{extra}"
    paths = {"articles": root / "articles", "extra": root / "extra", "reference": root / "reference",
             "reference_both": root / "reference-both"}
    if not (root / "done").exists():
        if root.exists():
            shutil.rmtree(root)
        article_variants(paths["articles"], n)
        article_variants(paths["extra"], extra, start=5000)
        with open_store(paths["reference"]) as store:
            ingest(store, [paths["articles"]])
        shutil.copytree(paths["reference"], paths["reference_both"])
        with open_store(paths["reference_both"]) as store:
            ingest(store, [paths["extra"]])
        (root / "done").write_text("ok")
    return paths
