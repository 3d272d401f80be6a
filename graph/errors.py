"""Errors a user can act on. The CLI prints them as one line and exits non-zero."""


class CmkgError(Exception):
    """Base of every error cmkg reports to a user without a traceback."""

    exit_code = 1


class InputError(CmkgError):
    """An article, option, query or name that cmkg cannot use."""


class StoreBusyError(CmkgError):
    """Another process holds the store for writing."""

    exit_code = 3


class StoreError(CmkgError):
    """The store cannot be opened or written."""


def one_line(err: BaseException | str, limit: int | None = 160) -> str:
    """The text of `err` on one line (whitespace runs folded), cut to `limit` characters with '…'.

    Errors are shown as one line because a second line on stderr would look like a second error.
    `limit=None` keeps the whole text.

    >>> one_line(ValueError("bad\n  value"), limit=None)
    'bad value'
    >>> one_line("x" * 10, limit=5)
    'xxxx…'
    """
    text = " ".join(str(err).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
