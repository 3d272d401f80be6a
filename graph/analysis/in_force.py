"""The status of a policy measure on a given day: the one rule `exposure`, `ask`, `render` and the SPARQL twin share.

A measure (an export control or tariff edge of the view) carries the status a source reported
(`status`: in_force, suspended, lifted, possible, expired) and its dates (`effective`, `announced`,
`date`, `suspended`, `suspended_until`, `lifted`), each as precise as the source gives it. Its status
on day D follows from the dates first and the reported status second:

1. reported `possible` (threatened, proposed): ``possible``, whatever the dates;
2. it starts (effective, else announced, else the one date a source gives) after D: ``not_yet_in_force``;
3. lifted on or before D: ``lifted`` (``expired`` when the source says it expired);
4. suspended on or before D and the suspension has not ended on D (no ``suspended_until``, or one
   after D): ``suspended``; once ``suspended_until`` has passed the measure is in force again;
5. reported lifted / expired / suspended with no date to place it: that status;
6. no start date and no reported status at all: ``unknown`` (not known to be in force);
7. otherwise ``in_force``.

Partial dates count from their first day (graph.dates). graph/queries/analysis-exposure.rq and
export-controls-as-of.rq write the same rule in SPARQL; tests/test_analysis.py runs one case table
through both.

Examples
--------
>>> status_on({"status": "in_force", "effective": "2025-10-09", "suspended": "2025-11-10",
...            "suspended_until": "2026-11-10"}, "2025-12-01")
'suspended'
>>> in_force_on({"status": "suspended", "effective": "2025-10-09", "suspended": "2025-11-10",
...              "suspended_until": "2026-11-10"}, "2026-11-10")
True
"""

from __future__ import annotations

import datetime as dt

from graph.dates import first_day, parse_day

STATUSES = ("in_force", "suspended", "lifted", "expired", "possible", "not_yet_in_force", "unknown")
"""Every value `status_on` returns; the first five are also statuses a source may report."""


def start_of(attrs: dict) -> dt.date | None:
    """When a measure starts: its effective date, else its announcement, else the one date given.

    Examples
    --------
    >>> start_of({"announced": "2025-04", "date": "2025-06-01"})
    datetime.date(2025, 4, 1)
    """
    for key in ("effective", "announced", "date"):
        day = first_day(attrs.get(key))
        if day is not None:
            return day
    return None


def status_on(attrs: dict, day) -> str:
    """The status of a measure on `day`: one of STATUSES.

    Parameters
    ----------
    attrs : dict
        A controls or tariff edge of the view (graph.network), or any dict with the keys `status`,
        `effective`, `announced`, `date`, `suspended`, `suspended_until`, `lifted`.
    day : str or datetime.date
        The day (YYYY-MM-DD; YYYY-MM and YYYY count from their first day).

    Returns
    -------
    str

    Examples
    --------
    >>> status_on({"status": "lifted", "effective": "2010-09", "lifted": "2010-11"}, "2010-10-15")
    'in_force'
    >>> status_on({"status": "expired", "effective": "2010-09", "lifted": "2010-11"}, "2011-01-01")
    'expired'
    >>> status_on({"status": "possible", "effective": "2020-01-01"}, "2025-01-01")
    'possible'
    """
    day = parse_day(day)
    reported = attrs.get("status")
    if reported == "possible":
        return "possible"
    start = start_of(attrs)
    if start is not None and start > day:
        return "not_yet_in_force"
    lifted = first_day(attrs.get("lifted"))
    if lifted is not None and lifted <= day:
        return "expired" if reported == "expired" else "lifted"
    suspended = first_day(attrs.get("suspended"))
    until = first_day(attrs.get("suspended_until"))
    if suspended is not None and suspended <= day:
        if until is None or until > day:
            return "suspended"
    elif suspended is None and reported == "suspended" and (until is None or until > day):
        return "suspended"
    if reported in ("lifted", "expired") and lifted is None and suspended is None:
        return reported
    if start is None and reported is None:
        return "unknown"
    return "in_force"


def in_force_on(attrs: dict, day) -> bool:
    """Whether a measure is in force on `day` (`status_on(...) == "in_force"`).

    Examples
    --------
    >>> in_force_on({"status": "in_force", "date": "2025-04"}, "2025-03-31")
    False
    """
    return status_on(attrs, day) == "in_force"
