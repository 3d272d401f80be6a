"""Extraction: article text → facts with provenance (sentence, offsets, rule, confidence).

`extract(article)` runs the mention layer (`mentions.py`: spaCy blank English, sentencizer, phrase matchers built from
the ontology's labels) and the rule families (`relations.py`) and returns `graph.facts.Fact`s. `facts_view(...)` turns files,
folders or articles into the flat records that `cmkg facts` prints (GUIDELINES of the eval).
The pipeline is loaded once per process and cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from graph.articles import Article, find_articles, read_article
from graph.extract.confidence import calibrate
from graph.extract.gazetteer import get_gazetteer
from graph.extract.mentions import analyse, get_matchers, get_nlp
from graph.extract.relations import read_relations
from graph.facts import Evidence, Fact


def extract(article) -> list[Fact]:
    """Facts of one article (graph.articles.Article), deduplicated; grouped by relation, each in text order."""
    analysis = analyse(article)
    return calibrate(read_relations(analysis))


def facts_view(paths_or_articles: Iterable, default_date: dt.date | None = None) -> list[dict]:
    """Facts-view records of articles given as Article objects, files, folders or '-' (stdin)."""
    records: list[dict] = []
    items = list(paths_or_articles) if not isinstance(paths_or_articles, (str, Path, Article)) else [paths_or_articles]
    for item in items:
        if isinstance(item, Article):
            articles = [item]
        else:
            articles = [read_article(p, default_date=default_date) for p in find_articles([item])]
        for article in articles:
            if article.date is None and default_date is not None:
                article.date = default_date
            records.extend(f.to_view(article.name) for f in extract(article))
    return records


def warm_up() -> None:
    """Build the gazetteer, the matchers and the spaCy pipeline now rather than on the first article."""
    get_matchers(get_gazetteer())
    get_nlp()


__all__ = ["extract", "facts_view", "warm_up", "Evidence", "Fact"]
