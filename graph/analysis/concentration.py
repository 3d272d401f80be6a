"""Supply concentration: who holds what share of a mineral's mining or refining, and its Herfindahl–Hirschman index.

One market = one mineral at one stage. Shares from different years or sources do not add up, so
each market uses one year and one source: the latest year for which a source gives at least two
countries (else the latest year), and within it the source that covers the most countries (ties:
the first URL). The rows say which year and source they use. HHI = sum of squared percentage
shares (0–10,000) over the countries listed; countries the source lumps together or leaves out are
not counted, so the index is a lower bound. Above 2,500 the market is highly concentrated. Where the
reference data marks the set to show (cmkg:preferred: the newest official set), only that set is
used; `stale` says a share is more than five years older than the newest, `note` why a set sums to
more than 100%.

A mineral with no shares of its own (USGS reports rare earths as one commodity) falls back to the
group it belongs to, and says so in `via`.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph.analysis import as_view, settings
from graph.analysis.names import resolve
from graph.errors import InputError
from graph.network import POLITY_TYPES, relation_view


def stages() -> list[str]:
    return settings()["concentration_stages"]


def check_stage(stage: str | None) -> str | None:
    if stage is not None and stage not in stages():
        raise InputError(f"unknown stage {stage!r}; choose one of {', '.join(stages())}")
    return stage


def hhi_level(hhi: float) -> str:
    for name, bound in sorted(settings()["hhi_thresholds"].items(), key=lambda kv: -kv[1]):
        if hhi > bound:
            return name
    return "unconcentrated"


def _source_key(data: dict) -> str:
    src = data.get("sources") or [{}]
    return src[0].get("url") or src[0].get("article") or src[0].get("citation") or ""


def share_rows(view, mineral: str) -> dict[str, list[dict]]:
    """{stage: [{country, share, qualifier, year, source}]} of every ProductionShare on `mineral`."""
    out = defaultdict(list)
    for country, _, data in view.in_edges(mineral, data=True):
        if data.get("relation") != "produces" or data.get("share") is None or data.get("stage") is None:
            continue
        if view.nodes[country]["type"] not in POLITY_TYPES:
            continue
        out[data["stage"]].append({"country": country, "share": float(data["share"]), "qualifier": data.get("qualifier"),
                                   "year": data.get("year"), "source": _source_key(data), "statement": data.get("statement"),
                                   "preferred": data.get("preferred"), "stale": data.get("stale"),
                                   "note": data.get("coverage_note")})
    # where the reference data marks the set to show (cmkg:preferred), only that set counts
    for stage, rows in out.items():
        if any(r["preferred"] for r in rows):
            out[stage] = [r for r in rows if r["preferred"]]
    return out


def choose(rows: list[dict]) -> tuple[object, str, list[dict]]:
    """The (year, source) a market uses and its rows, one per country, largest first."""
    by = defaultdict(dict)
    for r in rows:
        key = (r["year"], r["source"])
        have = by[key].get(r["country"])
        # Two figures for one country from one source (stated and computed): keep an exact one ("="), then the larger.
        if have is None or (r["qualifier"] == "=", r["share"]) > (have["qualifier"] == "=", have["share"]):
            by[key][r["country"]] = r

    def rank(key):
        year, source = key
        n = len(by[key])
        return (n >= 2, _year_num(year), n, _neg(source))

    best = max(by, key=rank)
    chosen = sorted(by[best].values(), key=lambda r: (-r["share"], r["country"]))
    return best[0], best[1], chosen


def _year_num(year) -> int:
    try:
        return int(str(year)[:4])
    except (TypeError, ValueError):
        return -1


def _neg(text: str) -> tuple:
    """Sort key that makes the lexicographically first string the largest (ties go to the first URL)."""
    return tuple(-ord(c) for c in text) + (1,)


def market(view, mineral: str, stage: str, rows: list[dict], via: str = "", asked: str | None = None) -> dict:
    """One market's row; `asked` is the mineral the user named when the shares are its group's (`via`)."""
    year, source, chosen = choose(rows)
    hhi = round(sum(r["share"] ** 2 for r in chosen), 1)
    return {
        "mineral": view.nodes[asked or mineral]["label"],
        "stage": stage,
        "year": year,
        "source": source,
        "via": via,
        "hhi": hhi,
        "level": hhi_level(hhi),
        "top_country": view.nodes[chosen[0]["country"]]["label"],
        "top_share": chosen[0]["share"],
        "coverage": round(sum(r["share"] for r in chosen), 1),
        "stale": any(r.get("stale") for r in chosen),
        "note": next((r["note"] for r in chosen if r.get("note")), None),
        "countries": len(chosen),
        "shares": [{"country": view.nodes[r["country"]]["label"], "share": r["share"], "qualifier": r["qualifier"]}
                   for r in chosen],
        "iri": asked or mineral,
        "market_iri": mineral,
    }


def markets_of(view, mineral: str, stage: str | None = None, fallback: bool = True) -> list[dict]:
    """The markets of one mineral (its own shares, else its nearest group's), for one stage or all."""
    own = share_rows(view, mineral)
    via, asked = "", mineral
    if not own and fallback:
        for group in _nearest_groups(view, mineral):
            own = share_rows(view, group)
            if own:
                via = view.nodes[group]["label"]
                mineral = group
                break
    out = [market(view, mineral, st, rows, via, asked) for st, rows in sorted(own.items()) if stage in (None, st)]
    return out


def _nearest_groups(view, node: str) -> list[str]:
    """Groups of `node`, the direct ones first (shortest memberOf chain)."""
    depth = nx.single_source_shortest_path_length(relation_view(view, "memberOf"), node)
    return sorted(view.nodes[node].get("groups", ()), key=lambda g: (depth.get(g, len(depth)), g))


def concentration(store_or_view, mineral: str | None = None, stage: str | None = None) -> list[dict]:
    """Markets with shares by country and HHI: one mineral's (with `mineral`) or every mineral's.

    Parameters
    ----------
    store_or_view : KnowledgeStore or networkx.MultiDiGraph
        The store, or its view (graph.network.load_view).
    mineral : str, optional
        One mineral or group, by name; a mineral without shares of its own falls back to its group.
    stage : str, optional
        One stage of settings.json `concentration_stages` (mining, refining, processing, magnets).

    Returns
    -------
    list of dict
        One row per market: mineral, stage, year, source, via, hhi, level, top_country, top_share,
        coverage (sum of the shares counted), countries, shares [{country, share, qualifier}], stale,
        note, iri. Every market is listed, most concentrated first.

    Raises
    ------
    graph.errors.InputError
        Unknown mineral or stage, or a mineral with no production shares.

    Examples
    --------
    >>> [(r["stage"], r["top_country"], r["top_share"], r["via"]) for r in concentration(fixture_view(), "Dy")]
    [('mining', 'China', 69.2, 'rare earth elements'), ('refining', 'China', 91.0, 'rare earth elements')]
    >>> concentration(fixture_view(), "gallium")[0]["level"]
    'highly concentrated'
    """
    view = as_view(store_or_view)
    check_stage(stage)
    if mineral is not None:
        node = resolve(view, mineral, "mineral")
        rows = markets_of(view, node, stage)
        if not rows:
            label = view.nodes[node]["label"]
            raise InputError(f"no production shares for {label}" + (f" at the {stage} stage" if stage else "")
                             + " in the store")
        return rows
    minerals = {v for _, v, data in view.edges(data=True) if data.get("relation") == "produces"}
    rows = []
    for m in minerals:
        rows.extend(markets_of(view, m, stage, fallback=False))
    rows.sort(key=lambda r: (-r["hhi"], r["mineral"], r["stage"]))
    return rows
