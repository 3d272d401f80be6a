"""Which items an issuer's export controls cover on a given day, and what depends on each, ranked.

The status of each measure on the day comes from graph.analysis.in_force (the one rule the view,
`ask` and the SPARQL twin share): items under a measure in force are listed, and so are items whose
measures are suspended on that day, marked `suspended`. The day defaults to the date of the newest
source in the store (`as_of_default`), not today: the data says nothing about what happened after it.

Reference measures (cited official texts) are preferred to what articles report: when the reference
data has a measure on an item, the item's status and start date come from it, and article reports
that say otherwise are listed beside it (`reported`, newest source first). An item that only articles
put under control is kept, marked `basis: articles`, and ranked after the reference items.

What an item reaches downstream is its own uses (and, for a group, its members' uses): a use stated
for a group (rare earths in catalysts) is not counted as a use of each member. Items are ranked by
the industries they reach through chains of at least moderate evidence; industries that only an
article sentence ties to the item are listed apart (`weakly_linked`).
"""

from __future__ import annotations

import datetime as dt

from graph.analysis import as_view
from graph.analysis.depends import downstream
from graph.analysis.evidence import strength_level
from graph.analysis.in_force import start_of, status_on
from graph.analysis.names import resolve
from graph.dates import parse_day
from graph.errors import InputError
from graph.vocabulary import notations

LISTED = ("in_force", "suspended")
"""Statuses on the day that put an item on the list (in force first)."""


def as_of_default(store_or_view) -> dt.date:
    """The day `exposure` uses when none is given: the date of the newest source in the store, else today.

    Examples
    --------
    >>> as_of_default(fixture_view())
    datetime.date(2025, 6, 9)
    """
    view = as_view(store_or_view)
    newest = view.graph.get("newest_source")
    return parse_day(newest) if newest else dt.datetime.now(dt.timezone.utc).date()


def measure_name(measure: dict) -> str:
    """The instrument (MOFCOM Announcement No. 18 of 2025), else where the measure was reported."""
    if measure.get("instrument"):
        return measure["instrument"]
    for src in measure.get("sources") or ():
        where = src.get("title") or src.get("url") or src.get("citation")
        if where:
            return f"reported in: {where}"
    return measure["measure_iri"]


def from_articles(measure: dict) -> bool:
    """True when every source of a measure is an article (no cited reference)."""
    sources = measure.get("sources") or []
    return bool(sources) and all(s.get("article") for s in sources)


def _newest_source_date(measure: dict) -> str:
    return max((s.get("date") or "" for s in measure.get("sources") or ()), default="")


def _describe(measure: dict, status: str) -> str:
    start = start_of(measure)
    text = measure_name(measure)
    if status == "suspended":
        until = measure.get("suspended_until")
        return f"{text} (suspended" + (f" until {until})" if until else ")")
    return f"{text} (since {start.isoformat()})" if start else text


def report(measure: dict, status: str) -> str:
    """An article's account of a measure, for showing beside the reference: 'in_force since 2025-04-02 per <title>'."""
    start = start_of(measure)
    return (status + (f" since {start.isoformat()}" if start else "")
            + f" per {measure_name(measure).removeprefix('reported in: ')}")


def weigh(found: list[tuple[dict, str]]) -> tuple[str, list[tuple[dict, str]], list[str]]:
    """(basis, the measures that count, article reports beside them) for the measures on one item.

    Where the reference data has a measure on the item, only reference measures count and the
    articles' accounts are returned as reports, newest source first; else the article measures count.

    Examples
    --------
    >>> ref = {"status": "in_force", "effective": "2025-04-04", "instrument": "No. 18", "sources": [{"url": "u"}]}
    >>> art = {"status": "in_force", "date": "2025-04-02", "sources": [{"article": "a", "title": "T", "date": "2025-06-09"}]}
    >>> weigh([(ref, "in_force"), (art, "in_force")])
    ('reference', [({...}, 'in_force')], ['in_force since 2025-04-02 per T'])
    """
    reference = [(m, s) for m, s in found if not from_articles(m)]
    articles = [(m, s) for m, s in found if from_articles(m)]
    if not reference:
        return "articles", articles, []
    newest_first = sorted(articles, key=lambda ms: _newest_source_date(ms[0]), reverse=True)
    return "reference", reference, [report(m, s) for m, s in newest_first]


def controls_on(view, issuer: str, day) -> dict[str, list[tuple[dict, str]]]:
    """{item: [(control edge attrs, status on `day`)]} for every export control of `issuer` on the item.

    Examples
    --------
    >>> view = fixture_view()
    >>> china = resolve(view, "China", "country")
    >>> sorted(status for item, ms in controls_on(view, china, "2025-12-01").items() for _, status in ms)
    ['expired', 'in_force', 'in_force', 'in_force', 'in_force', 'possible', 'suspended']
    """
    out: dict[str, list[tuple[dict, str]]] = {}
    for _, item, data in view.out_edges(issuer, data=True):
        if data.get("relation") == "controls":
            out.setdefault(item, []).append((data, status_on(data, day)))
    return out


def measures() -> list[str]:
    """The measure types (ontology notations): licensing, ban, quota, tracking, other."""
    return notations("MeasureType")


def exposure(store_or_view, issuer: str = "China", as_of=None, since=None, measure: str | None = None) -> list[dict]:
    """The items under `issuer`'s export controls on `as_of`, in force or suspended, ranked by reach.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
        The store, or its view (graph.network.load_view).
    issuer : str
        The issuing country, by name.
    as_of : str or datetime.date, optional
        The day (YYYY-MM-DD, YYYY-MM, YYYY); default: `as_of_default` (the newest source in the store).
    since : str, optional
        Keep the items first controlled on or after this date ("what did China put under export
        licensing since 2023?").
    measure : str, optional
        Keep the items under this kind of measure (one of `measures()`).

    Returns
    -------
    list of dict
        One row per item: item, type, status (in_force or suspended), measures (each with its status),
        measure_types, since (earliest start of the measures that count), basis (reference or
        articles), reported (article reports beside the reference, newest first), members (for a
        group), industries (reached through chains of at least moderate evidence), weakly_linked
        (industries only article sentences tie to it), n_industries, n_products, n_downstream,
        as_of, iri. In force before
        suspended, reference before articles, then by industries reached.

    Raises
    ------
    graph.errors.InputError
        Unknown issuer or measure, malformed date.

    Examples
    --------
    >>> rows = exposure(fixture_view(), "China", "2025-12-01")
    >>> [(r["item"], r["status"]) for r in rows][:3]
    [('dysprosium', 'in_force'), ('terbium', 'in_force'), ('gallium', 'in_force')]
    >>> next(r["measures"] for r in rows if r["status"] == "suspended")
    ['MOFCOM Announcement No. 56 of 2025 (suspended until 2026-11-10)']
    """
    view = as_view(store_or_view)
    day = parse_day(as_of, "--as-of") if as_of is not None else as_of_default(view)
    first = parse_day(since, "--since") if since is not None else None
    if measure is not None and measure not in measures():
        raise InputError(f"unknown measure {measure!r}; choose one of {', '.join(measures())}")
    node = resolve(view, issuer, "country")
    rows = []
    for item, found in controls_on(view, node, day).items():
        basis, counted, reported = weigh(found)
        if measure is not None:
            counted = [(m, s) for m, s in counted if m.get("measure") == measure]
        counted = [(m, s) for m, s in counted if s in LISTED]
        if not counted:
            continue
        status = "in_force" if any(s == "in_force" for _, s in counted) else "suspended"
        starts = [start_of(m) for m, s in counted if s == status]
        started = min((d for d in starts if d), default=None)
        if first is not None and (started is None or started < first):
            continue
        data = view.nodes[item]
        reached = downstream(view, item)
        sourced = {n for n, info in reached.items() if strength_level(info["strength"]) != "weak"}
        industries = sorted(view.nodes[n]["label"] for n in sourced if view.nodes[n]["type"] == "Industry")
        weakly = sorted(view.nodes[n]["label"] for n in set(reached) - sourced if view.nodes[n]["type"] == "Industry")
        products = [n for n in sourced if view.nodes[n]["type"] in ("Product", "Technology")]
        rows.append({
            "item": data["label"],
            "type": data["type"],
            "status": status,
            "measures": sorted({_describe(m, s) for m, s in counted}),
            "measure_types": sorted({m["measure"] for m, _ in counted if m.get("measure")}),
            "since": started.isoformat() if started else None,
            "basis": basis,
            "reported": reported,
            "members": sorted(view.nodes[n]["label"] for n in data.get("members", ())),
            "industries": industries,
            "weakly_linked": weakly,
            "n_industries": len(industries),
            "n_products": len(products),
            "n_downstream": len(reached),
            "as_of": day.isoformat(),
            "iri": item,
        })
    rows.sort(key=lambda r: (r["status"] != "in_force", r["basis"] != "reference", -r["n_industries"],
                             -r["n_downstream"], r["item"].lower()))
    return rows


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 10**6
    return abs((parse_day(a) - parse_day(b)).days)


_STATUS_ORDER = {s: i for i, s in enumerate(("in_force", "suspended", "not_yet_in_force", "possible", "lifted",
                                             "expired", "unknown"))}


def controls_for(store_or_view, item: str, as_of=None) -> list[dict]:
    """Every export control that applies to `item`, with its status on `as_of`: "which export controls apply to X?".

    A control applies to an item when it covers the item, a group the item belongs to (`via` names
    the group), or, for a group, one of its members (`via` names the members it covers).

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
    item : str
        A mineral, group or other item, by name.
    as_of : str or datetime.date, optional
        The day the status is given for; default `as_of_default`.

    Returns
    -------
    list of dict
        issuer, measure, measure_type, status (graph.analysis.in_force.STATUSES), since, until
        (end of a suspension) or lifted, target (destinations; empty: all), via, basis (reference or
        articles), source, reported (what articles say about it, newest first: where the reference
        data has measures on the item, article measures are not rows of their own but reports beside
        the reference measure with the same destinations, nearest in date), as_of, iri (the measure). In force
        first, then newest first.

    Examples
    --------
    >>> rows = controls_for(fixture_view(), "dysprosium", "2025-12-01")
    >>> [(r["measure"], r["status"], r["via"]) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
    [('MOFCOM Announcement No. 18 of 2025', 'in_force', ''),
     ('reported in: https://www.nytimes.com/2010/09/23/business/global/23rare.html', 'expired', 'rare earth elements')]
    >>> rows[0]["reported"]
    ["in_force since 2025-04-01 per China's success in the rare earth supply chain has changed the balance of power in trade negotiations"]
    """
    view = as_view(store_or_view)
    day = parse_day(as_of, "--as-of") if as_of is not None else as_of_default(view)
    node = resolve(view, item, "mineral or item")
    data = view.nodes[node]
    reach = {node: ""}
    for g in data.get("groups", ()):
        reach[g] = view.nodes[g]["label"]
    for m in data.get("members", ()):
        reach[m] = view.nodes[m]["label"]
    found: dict[str, dict] = {}
    for covered, via in reach.items():
        for issuer, _, attrs in view.in_edges(covered, data=True):
            if attrs.get("relation") != "controls":
                continue
            row = found.get(attrs["measure_iri"])
            if row is None:
                status = status_on(attrs, day)
                start = start_of(attrs)
                source = next((s.get("title") or s.get("url") or s.get("citation") for s in attrs.get("sources") or ()
                               if s.get("title") or s.get("url") or s.get("citation")), None)
                row = found[attrs["measure_iri"]] = {
                    "issuer": view.nodes[issuer]["label"], "measure": measure_name(attrs),
                    "measure_type": attrs.get("measure"), "status": status,
                    "since": start.isoformat() if start else None,
                    "until": attrs.get("suspended_until") if status == "suspended" else None,
                    "lifted": attrs.get("lifted"), "target": attrs.get("target") or [], "via": [],
                    "basis": "articles" if from_articles(attrs) else "reference", "source": source,
                    "reported": [], "as_of": day.isoformat(), "iri": attrs["measure_iri"],
                    "_newest": _newest_source_date(attrs), "_report": report(attrs, status)}
            if via and via not in row["via"]:
                row["via"].append(via)
    rows = list(found.values())
    reference = [r for r in rows if r["basis"] == "reference"]
    if reference:
        # the reference data knows this item's measures: what articles say goes beside them, newest first
        articles = sorted((r for r in rows if r["basis"] == "articles"), key=lambda r: r["_newest"], reverse=True)
        for art in articles:
            home = min(reference, key=lambda r: (sorted(r["target"]) != sorted(art["target"]),
                                                 _days_apart(r["since"], art["since"]), r["status"] != art["status"]))
            home["reported"].append(art["_report"])
        rows = reference
    for row in rows:
        row["via"] = ", ".join(sorted(row["via"]))
        del row["_newest"], row["_report"]
    rows.sort(key=lambda r: (_STATUS_ORDER.get(r["status"], 9), r["basis"] != "reference", r["via"] != "",
                             "".join(chr(0x10FFFF - ord(c)) for c in (r["since"] or "")), r["measure"]))
    return rows
