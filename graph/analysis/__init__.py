"""Dependency analytics over the networkx view of the store: one module per question.

Every function takes a store (graph.store.KnowledgeStore) or an already loaded view
(graph.network.load_view) and returns plain data (lists of dicts), so the CLI, the notebook
and the tests share one implementation.
"""

import json
from functools import lru_cache
from importlib import resources

import networkx as nx


@lru_cache(maxsize=None)
def settings() -> dict:
    """The analysis parameters in settings.json (levels, thresholds, weights)."""
    return json.loads(resources.files("graph.analysis").joinpath("settings.json").read_text(encoding="utf-8"))


def as_view(store_or_view) -> nx.MultiDiGraph:
    """Accept a loaded view as is; load (or fetch from the cache) the view of a store."""
    if isinstance(store_or_view, nx.MultiDiGraph):
        return store_or_view
    from graph.network import load_view

    return load_view(store_or_view)
