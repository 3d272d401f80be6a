"""Partial ISO dates (2025, 2025-04, 2025-04-04): the one parser the whole package uses.

Sources give dates as precisely as they know them, so the graph holds xsd:gYear, xsd:gYearMonth
and xsd:date values side by side. Everywhere a date is compared (is a measure in force on D? which
source is newest?) a partial date counts from its first day: "2025-04" is 2025-04-01. This module
is the only place that rule is written.

Examples
--------
>>> first_day("2025-04")
datetime.date(2025, 4, 1)
>>> first_day("April 2025") is None
True
>>> iso_day("2025")
'2025-01-01'
>>> parse_day("2025-02-30")
Traceback (most recent call last):
...
graph.errors.InputError: malformed date '2025-02-30': not a date (no such day)
"""

from __future__ import annotations

import datetime as dt
import re

from graph.errors import InputError

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def first_day(value) -> dt.date | None:
    """The first day of a partial ISO date, or None when `value` is not one.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or None
        "2025", "2025-04", "2025-04-04" (a longer string such as a timestamp is cut to its first
        ten characters), a date, or None.

    Returns
    -------
    datetime.date or None

    Examples
    --------
    >>> first_day("2025-04-04T10:00:00")
    datetime.date(2025, 4, 4)
    >>> first_day(None) is None
    True
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = PARTIAL_DATE.match(str(value).strip()[:10])
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None


def iso_day(value) -> str | None:
    """`first_day` as a YYYY-MM-DD string (the form SPARQL twins compare), or None.

    Examples
    --------
    >>> iso_day("2010-09")
    '2010-09-01'
    """
    day = first_day(value)
    return day.isoformat() if day is not None else None


def parse_day(value, what: str = "date") -> dt.date:
    """A date a user typed (YYYY-MM-DD, YYYY-MM or YYYY) as its first day; InputError when malformed.

    Parameters
    ----------
    value : str or datetime.date
        The typed date.
    what : str
        How the error message names the value ("--as-of", "date").

    Returns
    -------
    datetime.date

    Raises
    ------
    graph.errors.InputError
        When the text is not a partial ISO date, or names no real day.

    Examples
    --------
    >>> parse_day("2025-06")
    datetime.date(2025, 6, 1)
    >>> parse_day("yesterday", "--as-of")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: malformed --as-of 'yesterday': not a date, use YYYY-MM-DD
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = PARTIAL_DATE.match(text)
    if not m:
        raise InputError(f"malformed {what} {text!r}: not a date, use YYYY-MM-DD")
    day = first_day(text)
    if day is None:
        raise InputError(f"malformed {what} {text!r}: not a date (no such day)")
    return day


def precision(value) -> str | None:
    """The XSD type a partial date needs: "date", "gYearMonth", "gYear", or None.

    Examples
    --------
    >>> [precision(v) for v in ("2025-04-04", "2025-04", "2025", "soon")]
    ['date', 'gYearMonth', 'gYear', None]
    """
    m = PARTIAL_DATE.match(str(value or "").strip())
    if not m:
        return None
    return "date" if m[3] else "gYearMonth" if m[2] else "gYear"
