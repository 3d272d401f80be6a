"""The store's revision file: written after every committed change, watched by endpoint workers.

A module of its own (no rdflib, no pyoxigraph) so that a worker process can watch the file without
loading the store's libraries.
"""

from __future__ import annotations

import os

REVISION_FILE = "cmkg-revision"


def revision_stamp(store_path: str) -> int:
    """When the store last changed (the revision file's mtime in ns), 0 for a store that never did."""
    try:
        return os.stat(os.path.join(store_path, REVISION_FILE)).st_mtime_ns
    except OSError:
        return 0
