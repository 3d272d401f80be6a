"""Which items an issuer's export controls cover on a given day, and what depends on each, ranked.

"In force on D" follows ontology/MODEL.md: the start (effectiveOn, else announcedOn, else the
article's date) is on or before D, and the measure is neither lifted nor suspended on D (a
suspension ends on suspendedUntil). A measure reported as `possible` is never in force; one with no
date at all counts only when reported `in_force`. Dates as precise as the data (2025, 2025-04,
2025-04-04) compare as their first day, which is also how the SPARQL twin compares them (as strings).
"""

from __future__ import annotations

import datetime as dt
import re

from graph.analysis import as_view
from graph.analysis.depends import downstream
from graph.analysis.names import resolve
from graph.errors import InputError

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_date(text) -> str:
    """An ISO date (YYYY-MM-DD, or YYYY-MM, YYYY) as YYYY-MM-DD; InputError when malformed."""
    if text is None:
        return dt.datetime.now(dt.timezone.utc).date().isoformat()
    if isinstance(text, dt.date):
        return text.isoformat()
    value = str(text).strip()
    if not _DATE.match(value):
        raise InputError(f"malformed date {value!r}: use YYYY-MM-DD")
    full = value + "-01" * (2 - value.count("-"))
    try:
        return dt.date.fromisoformat(full).isoformat()
    except ValueError:
        raise InputError(f"malformed date {value!r}: no such day") from None


def _first_day(value) -> str | None:
    """A date as precise as the data, as its first day (2025-04 → 2025-04-01)."""
    if value is None:
        return None
    text = str(value)[:10]
    if not _DATE.match(text):
        return None
    return text + "-01" * (2 - text.count("-"))


def in_force_on(attrs: dict, day: str) -> bool:
    """Whether a controls/tariff edge of the view is in force on `day` (YYYY-MM-DD)."""
    status = attrs.get("status")
    if status == "possible":
        return False
    start = _first_day(attrs.get("effective") or attrs.get("announced") or attrs.get("date"))
    if start is None:
        if status != "in_force":
            return False
    elif start > day:
        return False
    lifted = _first_day(attrs.get("lifted"))
    if lifted is not None and lifted <= day:
        return False
    if status == "lifted" and lifted is None and attrs.get("suspended") is None:
        return False
    suspended = _first_day(attrs.get("suspended"))
    if suspended is not None and suspended <= day:
        until = _first_day(attrs.get("suspended_until"))
        if until is None or until > day:
            return False
    return True


def _measure_name(measure: dict) -> str:
    """The instrument (MOFCOM Announcement No. 18 of 2025), else where the measure was reported."""
    if measure.get("instrument"):
        return measure["instrument"]
    for src in measure.get("sources") or ():
        where = src.get("title") or src.get("url") or src.get("citation")
        if where:
            return f"reported in: {where}"
    return measure["measure_iri"]


def controls_in_force(view, issuer: str, day: str) -> dict[str, list[dict]]:
    """{item: [control edge attrs]} for the issuer's export controls in force on `day`."""
    out: dict[str, list[dict]] = {}
    for _, item, data in view.out_edges(issuer, data=True):
        if data.get("relation") == "controls" and in_force_on(data, day):
            out.setdefault(item, []).append(data)
    return out


MEASURES = ("licensing", "ban", "quota", "tracking", "other")


def exposure(store_or_view, issuer: str = "China", as_of=None, since=None, measure: str | None = None) -> list[dict]:
    """The items under `issuer`'s export controls in force on `as_of` (default today), ranked by reach.

    `since` keeps the items first controlled on or after that date ("what did China put under export
    licensing since 2023?"); `measure` keeps the items under that kind of measure.

    Rows: item, type, measures (instruments, else measure IRIs), measure_types, since (earliest start),
    members (for a group: the members it covers), industries (labels downstream), n_industries,
    n_products, n_downstream, iri. Ranked by industries reached, then everything downstream.
    """
    view = as_view(store_or_view)
    day = parse_date(as_of)
    first = parse_date(since) if since is not None else None
    if measure is not None and measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    node = resolve(view, issuer, "country")
    rows = []
    for item, measures in controls_in_force(view, node, day).items():
        if measure is not None:
            measures = [m for m in measures if m.get("measure") == measure]
            if not measures:
                continue
        starts = [_first_day(m.get("effective") or m.get("announced") or m.get("date")) for m in measures]
        started = min((s for s in starts if s), default=None)
        if first is not None and (started is None or started < first):
            continue
        data = view.nodes[item]
        reached = downstream(view, item)
        industries = sorted(view.nodes[n]["label"] for n in reached if view.nodes[n]["type"] == "Industry")
        products = [n for n in reached if view.nodes[n]["type"] in ("Product", "Technology")]
        rows.append({
            "item": data["label"],
            "type": data["type"],
            "measures": sorted({_measure_name(m) for m in measures}),
            "measure_types": sorted({m["measure"] for m in measures if m.get("measure")}),
            "since": started,
            "members": sorted(view.nodes[n]["label"] for n in data.get("members", ())),
            "industries": industries,
            "n_industries": len(industries),
            "n_products": len(products),
            "n_downstream": len(reached),
            "iri": item,
        })
    rows.sort(key=lambda r: (-r["n_industries"], -r["n_downstream"], r["item"].lower()))
    return rows
