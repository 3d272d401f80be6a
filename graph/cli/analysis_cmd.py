"""`cmkg depends | exposure | concentration | scenario | path | ask`: the analyst's questions.

Each command parses its options, calls one function of graph.analysis on the store's networkx view
and prints the rows (table, JSON or CSV). Levels and stages are validated by the library, so a
wrong value gets the same one-line error from the CLI, the notebook and the tests.
"""

import json

import click

from graph.cli.common import format_option, render_rows

DEPENDS_COLUMNS = ["label", "type", "distance", "via", "chain"]
EXPOSURE_COLUMNS = ["item", "type", "measures", "measure_types", "since", "n_industries", "n_products", "industries"]
CONCENTRATION_COLUMNS = ["mineral", "stage", "year", "hhi", "level", "top_country", "top_share", "countries",
                         "coverage", "via", "source"]
SHARE_COLUMNS = ["mineral", "stage", "year", "country", "share", "qualifier", "hhi", "level", "via", "source"]
SCENARIO_COLUMNS = ["industry", "severity", "level", "mineral", "restricted_share", "stage", "year", "dependence",
                    "chain"]
PATH_COLUMNS = ["chain", "length", "direction"]


def _emit(rows, fmt, columns, json_rows=None):
    if fmt == "json":
        click.echo(json.dumps(json_rows if json_rows is not None else rows, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render_rows(rows, fmt, columns))


def _view(obj):
    from graph.network import load_view

    with obj.open_store(read_only=True) as store:
        return load_view(store)


def _print_chains(rows, key="chains"):
    from graph.analysis.depends import format_sources

    for row in rows:
        click.echo(f"\n{row.get('label') or row.get('chain')}:")
        for chain in row.get(key) or [row]:
            click.echo(f"  {chain.get('text') or chain.get('chain')}")
            for step in chain["steps"]:
                click.echo(f"    {step['subject']} {step['relation']} {step['object']}: {format_sources(step['sources'])}")


@click.command("depends")
@click.argument("mineral")
@click.option("--level", help="Only this level: component, product or industry.")
@click.option("--why", is_flag=True, help="Print every chain, with each edge's source.")
@format_option()
@click.pass_obj
def depends_command(obj, mineral, level, why, fmt):
    """Everything downstream of MINERAL: what needs it, through which chain."""
    from graph.analysis.depends import depends

    rows = depends(_view(obj), mineral, level=level, why=why)
    if not rows:
        click.echo(f"nothing in the store depends on {mineral}" + (f" at the {level} level" if level else ""), err=True)
    _emit(rows, fmt, DEPENDS_COLUMNS)
    if why and fmt == "table":
        _print_chains(rows)


@click.command("exposure")
@click.option("--issuer", default="China", show_default=True, help="The country whose export controls count.")
@click.option("--as-of", "as_of", help="Date (YYYY-MM-DD) the controls must be in force on; default today.")
@click.option("--since", help="Only items first controlled on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--measure", type=click.Choice(["licensing", "ban", "quota", "tracking", "other"]),
              help="Only items under this kind of measure.")
@format_option()
@click.pass_obj
def exposure_command(obj, issuer, as_of, since, measure, fmt):
    """The items under ISSUER's export controls in force on a date, and what depends on each, ranked."""
    from graph.analysis.exposure import exposure

    rows = exposure(_view(obj), issuer, as_of, since=since, measure=measure)
    if not rows:
        click.echo(f"no export controls of {issuer} in force on that date", err=True)
    _emit(rows, fmt, EXPOSURE_COLUMNS)


@click.command("concentration")
@click.argument("mineral", required=False)
@click.option("--stage", help="Only this stage: mining, refining, processing or magnets.")
@format_option()
@click.pass_obj
def concentration_command(obj, mineral, stage, fmt):
    """Shares by country and the Herfindahl–Hirschman index of each market (> 2,500: highly concentrated)."""
    from graph.analysis.concentration import concentration

    rows = concentration(_view(obj), mineral, stage)
    if mineral is None:
        _emit(rows, fmt, CONCENTRATION_COLUMNS)
        return
    flat = [{**{k: m[k] for k in SHARE_COLUMNS if k in m}, **s} for m in rows for s in m["shares"]]
    _emit(flat, fmt, SHARE_COLUMNS, json_rows=rows)


@click.command("scenario")
@click.option("--restrict", "restrict", multiple=True, required=True,
              help="COUNTRY:MINERAL[,MINERAL...] (repeatable), e.g. China:dysprosium,terbium.")
@format_option()
@click.pass_obj
def scenario_command(obj, restrict, fmt):
    """The industries cut off if a country restricts minerals, and how hard (share × dependence)."""
    from graph.analysis.scenario import scenario

    rows = scenario(_view(obj), list(restrict))
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


_ASK_COLUMNS = {"depends": DEPENDS_COLUMNS, "exposure": EXPOSURE_COLUMNS, "concentration": CONCENTRATION_COLUMNS,
                "scenario": SCENARIO_COLUMNS, "path": PATH_COLUMNS}


@click.command("ask")
@click.argument("question")
@format_option()
@click.pass_context
def ask_command(ctx, question, fmt):
    """Answer a QUESTION in English from a fixed set of templates (no language model)."""
    from graph.analysis.ask import UnknownQuestion, ask

    try:
        answer = ask(_view(ctx.obj), question)
    except UnknownQuestion as err:
        click.echo(f"Error: I do not understand {err.question!r}. Questions I understand:", err=True)
        for example in err.examples:
            click.echo(f"  {example}", err=True)
        ctx.exit(1)
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False, default=str))
        return
    if fmt == "table":
        args = ", ".join(f"{k}={v}" for k, v in answer["args"].items())
        click.echo(f"# {answer['command']}({args})")
    _emit(answer["rows"], fmt, _ASK_COLUMNS[answer["command"]])


COMMANDS = [depends_command, exposure_command, concentration_command, scenario_command, path_command, ask_command]
