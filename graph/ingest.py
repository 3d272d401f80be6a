"""Ingest: articles → facts → one named graph per article, committed article by article.

Order of work, and why:
1. Every source is read first. A file that cannot be read (missing, empty, binary, wrong type)
   stops the run before anything is written, so a failed ingest leaves the store as it was.
2. Articles are extracted (serially, or in parallel processes / on a Dask cluster through any
   concurrent.futures Executor) in batches; each article's graph is built in memory.
3. Each article's graph replaces its named graph in one store transaction. A process killed
   half-way leaves exactly the articles that finished; running the same command again completes
   the rest, and re-ingesting an article replaces its graph (idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.articles import Article, find_articles, read_article
from graph.errors import InputError

BATCH = 64
FLUSH_EVERY = 250


@dataclass
class IngestReport:
    articles: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    triples: int = 0


@dataclass
class ExtractedArticle:
    """What a worker sends back: picklable, so processes and Dask workers can return it."""

    name: str
    graph_iri: str
    triples: list[tuple]
    relations: Counter


def extract_article(article: Article) -> ExtractedArticle:
    """Facts and the RDF graph of one article (the unit of work of serial and parallel ingest)."""
    from graph.article_rdf import article_graph
    from graph.extract import extract

    facts = extract(article)
    g = article_graph(article, facts)
    return ExtractedArticle(article.name, str(article.graph_iri), list(g), Counter(f.relation for f in facts))


def read_sources(sources: Iterable[str | Path], *, default_date: dt.date | None = None,
                 keep_going: bool = False) -> tuple[list[Article], list[tuple[str, str]]]:
    """Read every article before anything is written; bad files stop the run unless keep_going."""
    articles, skipped = [], []
    for path in find_articles(list(sources)):
        try:
            articles.append(read_article(path, default_date=default_date))
        except InputError as err:
            if not keep_going:
                raise
            skipped.append((path, str(err)))
    if not articles:
        raise InputError("no articles to ingest" + (f" ({len(skipped)} skipped)" if skipped else ""))
    return articles, skipped


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def ingest_articles(store, articles: list[Article], *, executor=None,
                    progress: Callable[[int], None] | None = None) -> IngestReport:
    """Extract and commit `articles`; `executor` (a concurrent.futures.Executor) runs extraction.

    With an executor, the next batch is already being extracted while this one is written, so
    the workers do not wait on the store. The store is flushed every FLUSH_EVERY articles, which
    keeps memory and write-ahead logs small on long runs.
    """
    report = IngestReport()
    in_flight: deque = deque()
    for batch in _batches(articles, BATCH):
        if executor is None:
            _commit(store, [extract_article(a) for a in batch], report, progress)
            continue
        in_flight.append(executor.map(extract_article, batch))
        if len(in_flight) > 1:
            _commit(store, in_flight.popleft(), report, progress)
    while in_flight:
        _commit(store, in_flight.popleft(), report, progress)
    store.flush()
    return report


def _commit(store, results: Iterable[ExtractedArticle], report: IngestReport, progress) -> None:
    for result in results:
        store.replace_graph(result.graph_iri, result.triples)
        report.articles.append(result.name)
        report.facts.update(result.relations)
        report.triples += len(result.triples)
        if len(report.articles) % FLUSH_EVERY == 0:
            store.flush()
        if progress:
            progress(1)


def ingest(store, sources: Iterable[str | Path], *, default_date: dt.date | None = None, keep_going: bool = False,
           executor=None, progress: Callable[[int], None] | None = None) -> IngestReport:
    """Read, extract and store every article under `sources` (files, folders, '-')."""
    articles, skipped = read_sources(sources, default_date=default_date, keep_going=keep_going)
    report = ingest_articles(store, articles, executor=executor, progress=progress)
    report.skipped = skipped
    return report
