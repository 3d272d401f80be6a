"""A progress bar on standard error for runs over many articles, silent for a handful and when standard
error is not a terminal (a log file or a pipe gets no progress labels)."""

import contextlib
import sys

import click

THRESHOLD = 5


@contextlib.contextmanager
def progress_for(label: str, total: int):
    """Yields a callback `advance(n)`; the bar appears once more than THRESHOLD items are seen."""
    state = {"bar": None, "count": 0}
    stream = sys.stderr
    shown = stream.isatty()

    def advance(n: int = 1):
        state["count"] += n
        if not shown:
            return
        if state["bar"] is None and state["count"] > THRESHOLD:
            state["bar"] = click.progressbar(length=total, label=label, file=stream,
                                             show_pos=True)
            state["bar"].__enter__()
            state["bar"].update(state["count"] - n)
        if state["bar"] is not None:
            state["bar"].update(n)

    try:
        yield advance
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
