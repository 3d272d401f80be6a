"""Where extraction runs: in this process, in N local processes, or on a Dask distributed cluster.

`make_executor(jobs, scheduler)` returns a `concurrent.futures.Executor` in every case, so ingest
has one code path (`executor.map(extract_article, batch)`) whatever runs the work. Use it as a
context manager: leaving the block stops the worker processes or closes the cluster connection.

Failures of the machinery (a worker process killed, a scheduler that cannot be reached or goes
away) become `ExecutorError`, a one-line CmkgError; errors raised by the work itself (an article
that cannot be read, a bug in the extractor) pass through unchanged. Committing stays in the
calling process, so a failed run leaves exactly the articles that were stored before it failed.

Local workers start with the "forkserver" method, so a *script* that calls `make_executor(N)` needs
the usual `if __name__ == "__main__":` guard (the CLI, notebooks and pytest need nothing). For
`--scheduler`, the Dask workers must be able to import this `graph` package (same install).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from urllib.parse import urlsplit

from graph.adapters import dask_client
from graph.errors import CmkgError, one_line


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
        super().__init__(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver"),
                         initializer=_worker_setup, initargs=(os.getpid(),))
        self.jobs = jobs

    def map(self, fn, *iterables, timeout=None, chunksize=None):
        items = [list(it) for it in iterables]
        n = min((len(it) for it in items), default=0)
        if chunksize is None:
            chunksize = max(1, n // (self.jobs * 4))
        return _translated(super().map(fn, *items, timeout=timeout, chunksize=chunksize),
                           "a worker process died")


def _worker_setup(parent_pid: int) -> None:
    """Ctrl+C is the parent's business (no worker tracebacks), and a worker whose parent was
    killed (SIGKILL leaves no chance to stop the pool) exits instead of waiting forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _alive(parent_pid):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="cmkg-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class DaskExecutor(cf.Executor):
    """The Executor of a dask.distributed Client; shutting it down closes the client it opened."""

    def __init__(self, address: str, timeout: float | None = None):
        if not dask_client.available():
            raise ExecutorError("--scheduler needs Dask, an optional part of cmkg: pip install 'cmkg[dask]'")
        timeout = timeout if timeout is not None else float(os.environ.get("CMKG_SCHEDULER_TIMEOUT", "10"))
        self.address = address
        _probe(address, timeout)
        try:
            client = dask_client.connect(address, timeout)
        except (OSError, TimeoutError, ValueError) as failure:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {one_line(failure, 200)}") from None
        except Exception:  # noqa: BLE001 - dask_client.NoAnswerError, or a protocol error from Dask
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: no answer in Dask's protocol "
                                f"within {timeout:g} s (is it a Dask scheduler?)") from None
        self.client = client
        self._executor = client.get_executor(pure=False)

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


def _probe(address: str, timeout: float) -> None:
    """Fail at once, with the reason, when nothing listens at a tcp:// scheduler address."""
    parts = urlsplit(address)
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        return  # other schemes (inproc, ucx, ws) are left to Dask
    try:
        port = parts.port or 8786
    except ValueError:
        raise ExecutorError(f"bad scheduler address {address!r}: expected tcp://HOST:PORT") from None
    try:
        socket.create_connection((parts.hostname, port), timeout=min(timeout, 5)).close()
    except OSError as err:
        reason = err.strerror or str(err) or type(err).__name__
        raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


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
        raise ExecutorError(f"{what}: {one_line(err, 200) or type(err).__name__}") from None


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
