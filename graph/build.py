"""`cmkg build`: the whole job in one call — knowledge, articles, validation, exports, HTML view.

The store accumulates: build adds (or replaces) the articles under SOURCES and never drops
articles ingested earlier, so the outputs describe everything the store holds.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingest import IngestReport, ingest_articles, read_sources
from graph.knowledge import load_knowledge
from graph.outputs import atomic_write, prepare_dir
from graph.store import open_store

DEFAULT_SOURCES = ("seeds",)
DEFAULT_OUT = "out"
SUMMARY_MINERAL = "dysprosium"


@dataclass
class BuildReport:
    out_dir: Path
    store_path: Path
    ingest: IngestReport
    stats: dict
    files: dict[str, Path] = field(default_factory=dict)
    validation: object = None
    dysprosium_industries: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def build(sources=DEFAULT_SOURCES, out_dir: str | Path = DEFAULT_OUT, store_path: str | Path | None = None, *,
          default_date: dt.date | None = None, validate: bool = True, render: bool = True,
          executor=None, progress=None) -> BuildReport:
    from graph.analysis.depends import depends
    from graph.render import render_store
    from graph.validate import validate_store

    started = time.perf_counter()
    # unreadable sources or an unwritable output folder stop the build before the store is touched
    articles, _ = read_sources(sources, default_date=default_date)
    out = prepare_dir(out_dir)
    with open_store(store_path) as store:
        load_knowledge(store)
        report = ingest_articles(store, articles, executor=executor, progress=progress)
        validation = validate_store(store) if validate else None
        files = {
            "turtle": atomic_write(out / "graph.ttl", store.export_bytes("turtle")),
            "trig": atomic_write(out / "graph.trig", store.export_bytes("trig")),
        }
        if render:
            files["html"] = render_store(store, out / "graph.html")
        industries = depends(store, SUMMARY_MINERAL, level="industry")
        stats = store.stats()
        path = store.path
    return BuildReport(out, path, report, stats, files, validation, industries, time.perf_counter() - started)
