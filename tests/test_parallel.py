"""Parallel and distributed ingest: same graph as a serial run, clean failures, store untouched."""

import shutil
import socket
from collections import Counter

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.cli import cli
from graph.ingest import ingest
from graph.parallel import DaskExecutor, ExecutorError, ProcessExecutor, SerialExecutor, make_executor, run_all
from graph.store import open_store
from graph.synthetic import synthetic_article_text, synthetic_articles, write_synthetic_articles

from .conftest import SEEDS

N_SYNTHETIC = 3


def _double(x):
    return 2 * x


def _fail(x):
    raise ValueError(f"bad item {x}")


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The seed article and a few synthetic variants of it."""
    folder = tmp_path_factory.mktemp("articles")
    shutil.copy(next(SEEDS.glob("000_*.txt")), folder)
    write_synthetic_articles(folder, N_SYNTHETIC, seed=7)
    return folder


@pytest.fixture(scope="module")
def serial_graphs(sources, tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("serial") / "store") as store:
        report = ingest(store, [sources])
        assert len(report.articles) == N_SYNTHETIC + 1
        return _graphs(store)


def _graphs(store) -> dict[str, Graph]:
    return {name: store.graph_triples(name) for name in store.named_graphs()}


def _assert_same(graphs: dict[str, Graph], expected: dict[str, Graph]) -> None:
    assert sorted(graphs) == sorted(expected)
    for name, g in expected.items():
        assert len(g) > 50, name  # a real extraction, not an empty graph
        assert len(graphs[name]) == len(g), name
        assert isomorphic(graphs[name], g), name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_synthetic_articles_vary_and_are_deterministic():
    arts = synthetic_articles(4, seed=3)
    assert len({a.key for a in arts}) == 4  # one named graph each
    assert len({a.text for a in arts}) == 4
    assert len({a.date for a in arts}) > 1
    assert synthetic_article_text(2, 3) == synthetic_article_text(2, 3)
    assert synthetic_article_text(2, 3) != synthetic_article_text(2, 4)


def test_make_executor_kinds():
    with make_executor(1) as ex:
        assert isinstance(ex, SerialExecutor)
        assert list(ex.map(_double, [1, 2, 3])) == [2, 4, 6]
        assert ex.submit(_double, 5).result() == 10
    with make_executor(2) as ex:
        assert isinstance(ex, ProcessExecutor)
        assert list(ex.map(_double, range(20))) == [2 * i for i in range(20)]
        with pytest.raises(ValueError, match="bad item"):  # the work's own errors pass through unchanged
            list(ex.map(_fail, [1]))
    assert run_all(_double, [4, 5], jobs=1) == [8, 10]


def test_unreachable_scheduler_is_one_clear_line():
    with pytest.raises(ExecutorError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:\d+"):
        make_executor(4, f"tcp://127.0.0.1:{_free_port()}")
    with pytest.raises(ExecutorError, match="bad scheduler address"):
        make_executor(1, "tcp://127.0.0.1:notaport")


def test_listener_that_is_not_a_scheduler_times_out_cleanly():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
            DaskExecutor(address, timeout=0.5)


def test_dask_ingest_equals_serial(sources, serial_graphs, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        with make_executor(1, cluster.scheduler_address) as executor, open_store(tmp_path / "store") as store:
            assert isinstance(executor, DaskExecutor)
            report = ingest(store, [sources], executor=executor)
            assert Counter(report.facts)  # facts came back from the workers
            _assert_same(_graphs(store), serial_graphs)


def test_cli_jobs_equals_serial(sources, serial_graphs, tmp_path):
    """`--jobs 2`: extraction in two worker processes, the same named graphs as a serial run."""
    store_path = tmp_path / "store"
    result = CliRunner().invoke(cli, ["--store", str(store_path), "ingest", "--jobs", "2", str(sources)])
    assert result.exit_code == 0, result.output
    assert f"Ingested {N_SYNTHETIC + 1} article(s)" in result.output
    with open_store(store_path, read_only=True) as store:
        _assert_same(_graphs(store), serial_graphs)


def test_cli_bad_scheduler_leaves_store_untouched(sources, small_store):
    with open_store(small_store, read_only=True) as store:
        before = store.export_bytes("nquads")
    result = CliRunner().invoke(cli, ["--store", str(small_store), "ingest", "--scheduler",
                                      f"tcp://127.0.0.1:{_free_port()}", str(sources)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach the Dask scheduler"), result.output
    with open_store(small_store, read_only=True) as store:
        assert store.export_bytes("nquads") == before


def test_cli_rejects_zero_jobs(sources, tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "ingest", "--jobs", "0", str(sources)])
    assert result.exit_code == 2
    assert not (tmp_path / "s").exists()


def test_scheduler_without_the_dask_extra_says_what_to_install(monkeypatch):
    """`--scheduler` on an install without cmkg[dask]: one line naming the extra, before any connection."""
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    with pytest.raises(ExecutorError, match=r"pip install 'cmkg\[dask\]'"):
        make_executor(scheduler="tcp://127.0.0.1:1")
