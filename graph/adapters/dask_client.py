"""Connecting to a Dask scheduler with a hard deadline, and abandoning a client that never connected.

Uses two private parts of `distributed` (checked with distributed 2024.8 to 2026.8):
- `Client.__new__(Client)` and then `client.__init__(...)` in a helper thread. `Client(address,
  timeout=...)` has a deadline for the TCP connection but none for Dask's handshake, so a listener
  that accepts connections but never speaks Dask's protocol makes it wait forever; and when the
  constructor raises, the half-built client is out of reach, and the garbage collector's attempt to
  close it hangs the exit for twice the timeout. Building the object first keeps it in our hands.
- `client._loop_runner.stop()`: stops the event-loop thread of a client that never connected
  (`Client.close` would wait for the connection it never had).
Pinned by tests/test_parallel.py (an unreachable scheduler, a listener that never answers, a real
LocalCluster).
"""

from __future__ import annotations

import threading


class NoAnswerError(Exception):
    """The address accepted a connection but did not answer in Dask's protocol in time."""


def available() -> bool:
    """Whether `distributed` (the `dask` extra of cmkg) can be imported."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def connect(address: str, timeout: float):
    """A connected `distributed.Client` for `address`, or the exception that stopped it.

    Raises `NoAnswerError` when no answer in Dask's protocol arrives within about 1.5 x `timeout`;
    otherwise what `Client()` raised (OSError, TimeoutError, ValueError, ...). A client that failed is
    abandoned first, so nothing lingers or hangs the exit. Raises ImportError without `distributed`.
    """
    from distributed import Client

    client = Client.__new__(Client)
    outcome: list = []

    def run() -> None:
        try:
            client.__init__(address, timeout=timeout, set_as_default=False)
            outcome.append(None)
        except BaseException as err:  # noqa: BLE001 - handed to the caller below
            outcome.append(err)

    thread = threading.Thread(target=run, name="cmkg-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout * 1.5 + 0.5)
    if outcome and outcome[0] is None:
        return client
    abandon(client)
    if outcome:
        raise outcome[0]
    raise NoAnswerError(f"no answer in Dask's protocol within {timeout:g} s")


def abandon(client) -> None:
    """Best-effort stop of a client that never connected (see the module docstring)."""
    try:
        client.status = "closed"
        client._loop_runner.stop()
    except Exception:  # noqa: BLE001 - a client that never started may lack these
        pass
