"""`cmkg render`: the interactive HTML view of the store (see graph/render.py)."""

from pathlib import Path

import click

from graph.build import DEFAULT_OUT
from graph.outputs import prepare_dir, remembered_outputs, shown_path
from graph.render import DEFAULT_TITLE, render_store_report


@click.command("render")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (one self-contained file that works offline); default: graph.html in the "
                   "folder `cmkg build` wrote to (out/graph.html).")
@click.option("--focus", metavar="NAME", help="Show only this node's dependency chain (a label, e.g. dysprosium).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="dependsOn steps from the focus (memberOf steps are free).")
@click.option("--types", metavar="CLASSES", help="Keep only these classes, e.g. Mineral,Component,Industry.")
@click.option("--all", "show_all", is_flag=True,
              help="Draw every node, isolated ones included (default: the dependency backbone and who acts on it).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Hide export controls and tariffs not in force on DATE (YYYY-MM-DD).")
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Page title.")
@click.pass_obj
def render_command(obj, output, focus, depth, types, show_all, as_of, title):
    """Write the graph as an interactive HTML page: layered view, search, legend, evidence, timeline of measures."""
    with obj.open_store(read_only=True) as store:
        if output is None:
            out = remembered_outputs(store.path) if getattr(store, "path", None) is not None else None
            output = prepare_dir(out or Path(DEFAULT_OUT)) / "graph.html"
        report = render_store_report(store, output, focus=focus, depth=depth, types=types, as_of=as_of, title=title,
                                     show_all=show_all)
    click.echo(f"Wrote {shown_path(report.path)}: {_count(report.nodes, 'node')}, {_count(report.edges, 'edge')}.")
    if report.notice:
        click.echo(f"Note: {report.notice}", err=True)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


COMMANDS = [render_command]
