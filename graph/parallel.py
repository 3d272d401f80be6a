"""Where extraction runs: in this process, in N local processes, or on a Dask distributed cluster.

`make_executor(jobs, scheduler)` returns a `concurrent.futures.Executor` in every case, so ingest
has one code path (`executor.map(extract_article, batch)`) whatever runs the work. Use it as a
context manager: leaving the block stops the worker processes or closes the cluster connection.

Failures of the machinery (a worker process killed, a scheduler that cannot be reached or goes
away) become `ExecutorError`, a one-line CmkgError; errors raised by the work itself (an article
that cannot be read, a bug in the extractor) pass through unchanged. Committing stays in the
calling process, so a failed run leaves exactly the articles that were stored before it failed.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator

from graph.errors import CmkgError

CONNECT_TIMEOUT = float(os.environ.get("CMKG_SCHEDULER_TIMEOUT", "10"))


class ExecutorError(CmkgError):
    """Parallel or distributed execution failed (not the work itself)."""


class SerialExecutor(cf.Executor):
    """Runs each call at once in the calling thread: `--jobs 1` through the same interface."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(err)
        return future

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        return map(fn, *iterables)


class ProcessExecutor(cf.ProcessPoolExecutor):
    """A process pool that sends work in chunks and reports a dead worker as one line."""

    def __init__(self, jobs: int):
        # forkserver: workers start from a clean interpreter, not a copy of a parent that may hold
        # threads, an open store or a Dask client; the extractor is imported once per worker.
        super().__init__(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"))
        self.jobs = jobs

    def map(self, fn, *iterables, timeout=None, chunksize=None):
        items = [list(it) for it in iterables]
        n = min((len(it) for it in items), default=0)
        if chunksize is None:
            chunksize = max(1, n // (self.jobs * 4))
        return _translated(super().map(fn, *items, timeout=timeout, chunksize=chunksize),
                           "a worker process died")


class DaskExecutor(cf.Executor):
    """The Executor of a dask.distributed Client; shutting it down closes the client it opened."""

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT):
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - dask[distributed] is a dependency
            raise ExecutorError("--scheduler needs dask[distributed]: pip install 'dask[distributed]'") from None
        self.address = address
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {_one_line(err)}") from None
        self._executor = self.client.get_executor(pure=False)

    def submit(self, fn, /, *args, **kwargs):
        return self._executor.submit(fn, *args, **kwargs)

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        return _translated(self._executor.map(fn, *iterables, timeout=timeout),
                           f"the Dask cluster at {self.address} failed")

    def shutdown(self, wait=True, *, cancel_futures=False):
        try:
            self._executor.shutdown(wait=wait)
        finally:
            self.client.close()


def _translated(results: Iterator, what: str) -> Iterator:
    """Results of `map`, with failures of the machinery turned into ExecutorError."""
    from concurrent.futures.process import BrokenProcessPool

    broken: tuple[type[BaseException], ...] = (BrokenProcessPool, cf.CancelledError)
    try:
        from distributed.comm.core import CommClosedError

        broken += (CommClosedError,)
    except ImportError:  # pragma: no cover
        pass
    try:
        yield from results
    except broken as err:
        raise ExecutorError(f"{what}: {_one_line(err) or type(err).__name__}") from None


def _one_line(err: BaseException, limit: int = 200) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_executor(jobs: int = 1, scheduler: str | None = None) -> cf.Executor:
    """An Executor for `jobs` local processes, or for the Dask scheduler at `scheduler` (tcp://HOST:PORT).

    `jobs` <= 1 without a scheduler gives a SerialExecutor; with a scheduler, `jobs` is ignored
    (the cluster decides how many workers there are).
    """
    if scheduler:
        if "://" not in scheduler:
            scheduler = "tcp://" + scheduler
        return DaskExecutor(scheduler)
    if jobs is None or jobs <= 1:
        return SerialExecutor()
    if jobs > 256:
        raise ExecutorError(f"--jobs {jobs} is more processes than cmkg will start (limit 256)")
    return ProcessExecutor(jobs)


def run_all(fn: Callable, items: Iterable, jobs: int = 1, scheduler: str | None = None) -> list:
    """`fn` over `items` on the chosen executor, results in input order (for scripts and notebooks)."""
    with make_executor(jobs, scheduler) as executor:
        return list(executor.map(fn, list(items)))
