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
