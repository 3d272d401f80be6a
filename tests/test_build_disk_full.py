"""A full disk during `cmkg ingest` loses nothing: one clear error, whole articles only, and a rerun completes.

As root the store lives on a real 48 MB tmpfs that the test fills up, so RocksDB itself meets ENOSPC;
elsewhere (no mount allowed, or CMKG_INJECT_ENOSPC=1) the failure is injected as ENOSPC at the store's write.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import open_store
from graph.synthetic import write_synthetic_articles
from tests.conftest import SEEDS

N_ARTICLES = 12
MARGIN = 300_000  # bytes left free on the disk before the ingest that must fail


def _cmkg(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph", "--store", str(store), *args, "--no-outputs"],
                          capture_output=True, text=True, timeout=300)


def _graphs(store: Path) -> dict[str, set[str]]:
    with open_store(store, read_only=True) as s:
        return {g: {str(q) for q in s.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g))}
                for g in s.article_graphs()}


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB tmpfs (root only); None when this machine does not allow mounting one."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount") or os.environ.get("CMKG_INJECT_ENOSPC"):
        yield None
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mnt)], capture_output=True)
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(mnt: Path, leave: int) -> Path:
    filler = mnt / "filler"
    st = os.statvfs(mnt)
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
    return filler


def test_full_disk_during_ingest_loses_nothing(tmp_path, small_disk, monkeypatch):
    articles = tmp_path / "articles"
    write_synthetic_articles(articles, N_ARTICLES)
    reference = tmp_path / "reference"
    assert _cmkg(reference, "ingest", str(SEEDS)).returncode == 0
    assert _cmkg(reference, "ingest", str(articles)).returncode == 0
    expected = _graphs(reference)
    assert len(expected) == N_ARTICLES + 1

    if small_disk is None:
        return _injected(tmp_path, articles, expected, monkeypatch)
    store = small_disk / "store"
    assert _cmkg(store, "ingest", str(SEEDS)).returncode == 0
    before = _graphs(store)
    filler = _fill(small_disk, MARGIN)

    failed = _cmkg(store, "ingest", str(articles))
    assert failed.returncode != 0
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "No space left on device" in lines[0], failed.stderr
    assert "Traceback" not in failed.stderr
    after = _graphs(store)
    assert before.items() <= after.items()  # nothing that was there is lost
    assert len(after) < len(expected), "the disk never filled up: raise N_ARTICLES or lower MARGIN"
    for name, quads in after.items():  # every article in the store is whole: as a clean run wrote it
        assert quads == expected[name], name

    filler.unlink()  # space freed: the same command completes
    again = _cmkg(store, "ingest", str(articles))
    assert again.returncode == 0, again.stderr
    assert _graphs(store) == expected


def _injected(tmp_path, articles, expected, monkeypatch):
    """Without a small disk: the store's write fails with ENOSPC at the third article, in process."""
    from click.testing import CliRunner

    from graph.cli import cli
    from graph.store import KnowledgeStore

    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(store), "ingest", str(SEEDS), "--no-outputs"]).exit_code == 0
    original = KnowledgeStore.replace_graphs
    calls = {"n": 0}

    def full_disk(self, graphs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, graphs)

    monkeypatch.setattr(KnowledgeStore, "replace_graphs", full_disk)
    failed = CliRunner().invoke(cli, ["--store", str(store), "ingest", str(articles), "--no-outputs"])
    assert failed.exit_code != 0 and "No space left on device" in failed.output
    after = _graphs(store)
    assert len(after) == 3
    for name, quads in after.items():
        assert quads == expected[name], name
    monkeypatch.setattr(KnowledgeStore, "replace_graphs", original)
    assert CliRunner().invoke(cli, ["--store", str(store), "ingest", str(articles), "--no-outputs"]).exit_code == 0
    assert _graphs(store) == expected
