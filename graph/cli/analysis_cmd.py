"""`cmkg depends | exposure | controls | concentration | scenario | risk | path | ask`: the analyst's questions.

Each command parses its options, calls one function of graph.analysis on the store's networkx view
and prints the rows (table, JSON or CSV). Levels and stages are validated by the library, so a
wrong value (level, stage, measure, date) gets the same one-line error from the CLI, the notebook and the tests.
"""

import json

import click

from graph.cli.common import format_option, render_rows
from graph.vocabulary import notations

DEPENDS_COLUMNS = ["label", "type", "evidence", "kinds", "distance", "via", "chain"]
EXPOSURE_COLUMNS = ["item", "type", "status", "since", "measures", "basis", "n_industries", "industries"]
CONCENTRATION_COLUMNS = ["mineral", "stage", "year", "hhi", "level", "top_country", "top_share", "countries",
                         "coverage", "via", "source"]
SHARE_COLUMNS = ["mineral", "stage", "year", "country", "share", "qualifier", "hhi", "level", "via", "source"]
SCENARIO_COLUMNS = ["industry", "severity", "level", "mineral", "restricted_share", "stage", "year", "dependence",
                    "evidence", "chain"]
PATH_COLUMNS = ["chain", "length", "direction"]


def _emit(rows, fmt, columns, json_rows=None):
    if fmt == "json":
        click.echo(json.dumps(json_rows if json_rows is not None else rows, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_rows(rows, fmt, columns))


def _emit_or_say(rows, fmt, columns, empty: str):
    """Print the rows; with none, say so in a sentence (standard error) instead of an empty table."""
    if not rows:
        click.echo(empty, err=True)
        if fmt == "table":
            return
    _emit(rows, fmt, columns)


def _view(obj):
    from graph.network import load_view

    with obj.open_store(read_only=True) as store:
        return load_view(store)


def format_sources(sources: list[dict]) -> str:
    """One line per edge: the sentence (quoted) and its citation, or the citation URL."""
    bits = []
    for s in sources:
        if s.get("sentence"):
            bits.append(f"\"{s['sentence']}\" ({s.get('url') or s.get('citation') or s.get('article')})")
        else:
            bits.append(s.get("citation") or s.get("url") or "")
    return " | ".join(b for b in bits if b) or "(no source recorded)"


def _print_chains(rows, key="chains"):
    for row in rows:
        click.echo(f"\n{row.get('label') or row.get('chain')}:")
        for chain in row.get(key) or [row]:
            strength = f" [{chain['evidence']} {chain['strength']:g}]" if chain.get("evidence") else ""
            click.echo(f"  {chain.get('text') or chain.get('chain')}{strength}")
            for step in chain["steps"]:
                kind = f" [{step['kind']}]" if step.get("kind") else ""
                click.echo(f"    {step['subject']} {step['relation']} {step['object']}{kind}: "
                           f"{format_sources(step['sources'])}")


def _group_note(view, mineral, level):
    """The uses left out of a member's answer because a source states them for a group only."""
    from graph.analysis.depends import group_uses
    from graph.analysis.names import resolve

    label = view.nodes[resolve(view, mineral, "mineral or item")]["label"]
    for group, items in group_uses(view, mineral, level).items():
        click.echo(f"Uses of {group} as a group, not specific to {label} (not listed; --include-group-uses lists "
                   f"them): {', '.join(items)}")


@click.command("depends")
@click.argument("mineral")
@click.option("--level", help="Only this level: component, product or industry.")
@click.option("--why", is_flag=True, help="Print every chain, with each edge's source kind and sources.")
@click.option("--include-group-uses", is_flag=True,
              help="Also list uses stated only for a group the mineral belongs to (rare earths as a whole).")
@format_option()
@click.pass_obj
def depends_command(obj, mineral, level, why, include_group_uses, fmt):
    """Everything downstream of MINERAL: what needs it, through which chain, best-sourced first.

    EVIDENCE rates the chain by its weakest edge: strong (cited official or industry sources),
    moderate (other cited sources), weak (article sentences only); KINDS gives the best source kind
    of each edge, from the item down to MINERAL. A use a source states for a group
    (rare earths in catalysts) is not a use of each member: it is listed only with --include-group-uses.
    """
    from graph.analysis.depends import depends

    view = _view(obj)
    rows = depends(view, mineral, level=level, why=why, include_group_uses=include_group_uses)
    if not rows:
        click.echo(f"no data on what depends on {mineral}" + (f" at the {level} level" if level else ""), err=True)
    if rows or fmt != "table":
        _emit(rows, fmt, DEPENDS_COLUMNS)
    if fmt == "table" and not include_group_uses:
        _group_note(view, mineral, level)
    if why and fmt == "table":
        _print_chains(rows)


@click.command("exposure")
@click.option("--issuer", default="China", show_default=True, help="The country whose export controls count.")
@click.option("--as-of", "as_of",
              help="Day (YYYY-MM-DD) to evaluate; default: the date of the newest source in the store.")
@click.option("--since", help="Only items first controlled on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--measure", help="Only items under this kind of measure: " + ", ".join(notations("MeasureType")) + ".")
@format_option()
@click.pass_obj
def exposure_command(obj, issuer, as_of, since, measure, fmt):
    """The items under ISSUER's export controls on a day (in force or suspended), and what depends on each."""
    from graph.analysis.exposure import as_of_default, exposure

    view = _view(obj)
    rows = exposure(view, issuer, as_of, since=since, measure=measure)
    if as_of is None:
        click.echo(f"as of {as_of_default(view).isoformat()}, the date of the newest source in the store "
                   "(--as-of to choose another day)", err=True)
    columns = EXPOSURE_COLUMNS + (["reported"] if any(r["reported"] for r in rows) else [])
    _emit_or_say(rows, fmt, columns, f"no export controls of {issuer} in force or suspended on that day")


@click.command("concentration")
@click.argument("mineral", required=False)
@click.option("--stage", help="Only this stage: mining, refining, processing or magnets.")
@format_option()
@click.pass_obj
def concentration_command(obj, mineral, stage, fmt):
    """Shares by country and the Herfindahl–Hirschman index of each market (> 2,500: highly concentrated)."""
    from graph.analysis.concentration import concentration

    rows = concentration(_view(obj), mineral, stage)
    extra = [c for c in ("stale", "note") if any(r.get(c) for r in rows)]  # stale shares, sums over 100% explained
    if mineral is None:
        _emit(rows, fmt, CONCENTRATION_COLUMNS + extra)
        return
    flat = [{**{k: m[k] for k in SHARE_COLUMNS + extra if k in m}, **s} for m in rows for s in m["shares"]]
    _emit(flat, fmt, SHARE_COLUMNS + extra, json_rows=rows)


@click.command("scenario")
@click.option("--restrict", "restrict", multiple=True, required=True,
              help="COUNTRY:MINERAL[,MINERAL...] (repeatable), e.g. China:dysprosium,terbium.")
@click.option("--include-group-uses", is_flag=True,
              help="Also count uses stated only for a group a mineral belongs to (at the group inheritance factor).")
@format_option()
@click.pass_obj
def scenario_command(obj, restrict, include_group_uses, fmt):
    """The industries cut off if a country restricts minerals, and how hard (share × dependence).

    EVIDENCE rates the chain by its weakest edge (strong, moderate, weak); equally severe rows are
    ranked by it.
    """
    from graph.analysis.scenario import scenario

    rows = scenario(_view(obj), list(restrict), include_group_uses=include_group_uses)
    _emit(rows, fmt, SCENARIO_COLUMNS)


@click.command("path")
@click.argument("a")
@click.argument("b")
@format_option()
@click.pass_obj
def path_command(obj, a, b, fmt):
    """The shortest chains between two entities, with each edge's source."""
    from graph.analysis.paths import path

    rows = path(_view(obj), a, b)
    if not rows:
        click.echo(f"no chain connects {a} and {b}", err=True)
    _emit(rows, fmt, PATH_COLUMNS)
    if rows and fmt == "table":
        _print_chains(rows, key=None)


CONTROLS_COLUMNS = ["measure", "issuer", "status", "since", "until", "measure_type", "target", "via", "basis",
                    "reported"]
RISK_COLUMNS = ["mineral", "risk", "top_country", "top_share", "stage", "year", "dependence", "controls", "evidence",
                "chain"]


@click.command("controls")
@click.argument("item")
@click.option("--as-of", "as_of", help="Day (YYYY-MM-DD) the status is given for; default: the newest source's date.")
@format_option()
@click.pass_obj
def controls_command(obj, item, as_of, fmt):
    """Every export control that applies to ITEM (itself, a group it belongs to, or its members), with its status."""
    from graph.analysis.exposure import controls_for

    _emit_or_say(controls_for(_view(obj), item, as_of), fmt, CONTROLS_COLUMNS,
                 f"no data on export controls that apply to {item}")


@click.command("risk")
@click.argument("target")
@click.option("--as-of", "as_of", help="Day (YYYY-MM-DD) export controls are checked on; default: the newest source's date.")
@format_option()
@click.pass_obj
def risk_command(obj, target, as_of, fmt):
    """The minerals TARGET (an industry, product or component) needs, biggest supply risk first.

    RISK = the top supplier's share of the mineral × TARGET's dependence on it; CONTROLS says whether
    that supplier's export controls on it are in force or suspended.
    """
    from graph.analysis.risk import risk

    _emit_or_say(risk(_view(obj), target, as_of), fmt, RISK_COLUMNS, f"no data on the minerals {target} depends on")


_ASK_COLUMNS = {"depends": DEPENDS_COLUMNS, "exposure": EXPOSURE_COLUMNS, "concentration": CONCENTRATION_COLUMNS,
                "scenario": SCENARIO_COLUMNS, "path": PATH_COLUMNS, "controls": CONTROLS_COLUMNS,
                "risk": RISK_COLUMNS}


def _ask_help() -> str:
    from graph.analysis.ask import examples

    return ("Answer a QUESTION in English from a fixed set of templates (no language model).\n\n"
            "Questions understood (names, synonyms and other phrasings work too; see graph/analysis/questions.json):\n\n"
            + "\n\n".join(f"  {e}" for e in examples()))


@click.command("ask", help=_ask_help())
@click.argument("question")
@format_option()
@click.pass_context
def ask_command(ctx, question, fmt):
    from graph.analysis.ask import UnknownQuestion, ask

    view = _view(ctx.obj)
    try:
        answer = ask(view, question)
    except UnknownQuestion as err:
        click.echo(f"Error: I do not understand {err.question!r}. Questions I understand:", err=True)
        for example in err.examples:
            click.echo(f"  {example}", err=True)
        ctx.exit(1)
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False, default=str))
        return
    rows = answer["rows"]
    if fmt == "table":
        args = ", ".join(f"{k}={v}" for k, v in answer["args"].items())
        click.echo(f"# {answer['command']}({args})")
        if answer["command"] in ("exposure", "controls", "risk") and "as_of" not in answer["args"]:
            from graph.analysis.exposure import as_of_default

            click.echo(f"# as of {as_of_default(view).isoformat()}, the date of the newest source in the store")
        if not rows:
            click.echo(f"no data on {answer['subject'] or 'that'} in the store for this question")
            return
    _emit(rows, fmt, _ASK_COLUMNS[answer["command"]])
    if fmt == "table" and answer["command"] == "path":
        _print_chains(rows, key=None)


COMMANDS = [depends_command, exposure_command, controls_command, concentration_command, scenario_command,
            risk_command, path_command, ask_command]
