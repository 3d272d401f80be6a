"""`cmkg validate`: check the store (or Turtle files) against the SHACL shapes; exit 1 on violations."""

from pathlib import Path

import click

from graph.cli.common import format_option, render_rows


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, default=200, show_default=True, help="Print at most this many violations (0: all).")
@format_option()
@click.pass_obj
def validate_command(obj, files, limit, fmt):
    """Validate the store, or the given Turtle FILES, against ontology/shapes.ttl.

    Prints one line per violation (the focus node's label, the property path, what to fix) and
    exits with status 1 if there is any.
    """
    from rdflib import Graph

    from graph.validate import validate, validate_store

    if files:
        g = Graph()
        for path in files:
            g += _parse(path)
        report = validate(g)
    else:
        with obj.open_store(read_only=True) as store:
            report = validate_store(store)
    shown = report.violations if not limit else report.violations[:limit]
    if fmt == "table":
        for violation in shown:
            click.echo(f"{violation.severity}: {violation}")
        if len(shown) < len(report.violations):
            click.echo(f"... and {len(report.violations) - len(shown)} more (use --limit 0 to see all)")
        click.echo(f"SHACL validation: {report.summary()}")
    else:
        click.echo(render_rows(report.rows()[: len(shown)], fmt,
                               ["severity", "focus_type", "focus_label", "focus", "path", "message", "value"]))
    if not report.conforms:
        raise SystemExit(1)


def _parse(path: Path):
    from rdflib import Graph

    from graph.errors import InputError

    g = Graph()
    try:
        g.parse(str(path))
    except Exception as err:  # rdflib's parsers raise many types
        raise InputError(f"cannot read {path}: {' '.join(str(err).split())[:200] or type(err).__name__}") from None
    return g


COMMANDS = [validate_command]
