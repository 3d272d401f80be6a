"""`cmkg build`: the whole job in one call — knowledge, articles, validation, exports, HTML view.

The store accumulates: build adds (or replaces) the articles under SOURCES and never drops
articles ingested earlier, so the outputs describe everything the store holds. The folder the
outputs went to is remembered in the store (graph.outputs), so `cmkg ingest` refreshes the same
files and `cmkg render` writes its page there by default.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import IngestReport, ingest_articles, read_sources
from graph.knowledge import load_knowledge
from graph.outputs import atomic_write, prepare_dir, remember_outputs
from graph.store import open_store

DEFAULT_SOURCES = ("seeds",)
DEFAULT_OUT = "out"
#: The question whose answer closes the build summary (`cmkg build --question`; any `cmkg ask` question).
DEFAULT_QUESTION = "Which industries depend on dysprosium?"


@dataclass
class BuildReport:
    out_dir: Path
    store_path: Path
    ingest: IngestReport
    stats: dict
    files: dict[str, Path] = field(default_factory=dict)
    validation: object = None
    question: str | None = None
    answer: dict | None = None  # graph.analysis.ask's answer to `question` ({command, args, rows}), if asked
    seconds: float = 0.0


def write_outputs(store, out_dir: str | Path, *, render: bool = True) -> dict[str, Path]:
    """Write out/graph.ttl, out/graph.trig and (render) out/graph.html from everything the store holds.

    `build` calls it, and `ingest` calls it again on the folder `build` used, so the files never
    lag behind the store. The folder is remembered in the store (on disk stores).
    """
    from graph.render import render_store

    out = prepare_dir(out_dir)
    files = {
        "turtle": atomic_write(out / "graph.ttl", store.export_bytes("turtle")),
        "trig": atomic_write(out / "graph.trig", store.export_bytes("trig")),
    }
    if render:
        files["html"] = render_store(store, out / "graph.html")
    if getattr(store, "path", None) is not None:
        remember_outputs(store.path, out)
    return files


def build(sources=DEFAULT_SOURCES, out_dir: str | Path = DEFAULT_OUT, store_path: str | Path | None = None, *,
          default_date: dt.date | None = None, validate: bool = True, render: bool = True,
          question: str | None = DEFAULT_QUESTION, executor=None, progress=None) -> BuildReport:
    """Knowledge + the articles under `sources` → store → outputs; `question` (or None) is answered at the end."""
    from graph.analysis.ask import ask, parse
    from graph.validate import validate_store

    started = time.perf_counter()
    if question:
        parse(question)  # a question cmkg cannot read stops the build before anything is written
    # unreadable sources or an unwritable output folder stop the build before the store is touched
    articles, _ = read_sources(sources, default_date=default_date)
    out = prepare_dir(out_dir)
    with open_store(store_path) as store:
        load_knowledge(store)
        report = ingest_articles(store, articles, executor=executor, progress=progress)
        validation = validate_store(store) if validate else None
        files = write_outputs(store, out, render=render)
        answer = ask(store, question) if question else None
        stats = store.stats()
        path = store.path
    return BuildReport(out, path, report, stats, files, validation, question, answer, time.perf_counter() - started)
