"""Commands that fill and read the store as a whole: ingest, export, stats."""

import sys
from pathlib import Path

import click

from graph.articles import parse_date
from graph.cli.common import format_option, render_rows
from graph.cli.progress import progress_for
from graph.ingest import ingest_articles, read_sources
from graph.build import write_outputs
from graph.outputs import atomic_write, prepare_dir, remembered_outputs, shown_path
from graph.store import EXPORT_FORMATS


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option("--date", "default_date", help="Date (YYYY-MM-DD) for articles that carry none.")
@click.option("--keep-going", is_flag=True, help="Skip unreadable files (with a warning) instead of stopping.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in N parallel processes.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="CMKG_SCHEDULER",
              help="Extract on the Dask distributed cluster of this scheduler (overrides --jobs).")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Refresh graph.ttl, graph.trig and graph.html in this folder (default: the folder `cmkg build` "
                   "wrote them to).")
@click.option("--no-outputs", is_flag=True, help="Do not refresh the output files (faster for many small runs).")
@click.pass_obj
def ingest_command(obj, sources, default_date, keep_going, jobs, scheduler, out_dir, no_outputs):
    """Read articles (files, folders, or - for standard input) into the store, one named graph each.

    Then the files `cmkg build` wrote (out/graph.ttl, out/graph.trig, out/graph.html) are written
    again from the whole store, so they show the new articles too.
    """
    from graph.parallel import make_executor

    date = parse_date(default_date, "--date") if default_date else None
    # Every source is read before the store opens: a bad file fails without creating, locking or
    # waiting for the store. The executor starts before the store opens too: an unreachable
    # scheduler fails with the store untouched.
    articles, skipped = read_sources(sources, default_date=date, keep_going=keep_going)
    if out_dir is not None:
        prepare_dir(out_dir)  # an unwritable output folder fails before the store is touched
    files, hint = {}, None
    with make_executor(jobs, scheduler) as executor, obj.open_store() as store:
        with progress_for("Ingesting", len(articles)) as progress:
            report = ingest_articles(store, articles, progress=progress,
                                     executor=None if jobs == 1 and not scheduler else executor)
        target = out_dir or (None if no_outputs else remembered_outputs(store.path))
        if target is not None and not no_outputs:
            files = write_outputs(store, target)
        elif not no_outputs:
            hint = ("The output files were not refreshed: no `cmkg build` wrote any for this store. "
                    "`cmkg build` (or `cmkg ingest --out out ...`) writes out/graph.ttl, out/graph.trig and "
                    "out/graph.html from the whole store.")
    report.skipped = skipped
    for path, reason in report.skipped:
        click.echo(f"Skipped: {reason}", err=True)
    facts = sum(report.facts.values())
    click.echo(f"Ingested {len(report.articles)} article(s): {facts} facts, {report.triples} triples.")
    if files:
        click.echo("Refreshed " + ", ".join(shown_path(p) for p in files.values()) + ".")
    if hint:
        click.echo(hint, err=True)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: standard output).")
@click.pass_obj
def export_command(obj, fmt, output):
    """Write the whole graph as Turtle, TriG, N-Triples, N-Quads or JSON-LD."""
    with obj.open_store(read_only=True) as store:
        data = store.export_bytes(fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(output, data)
        click.echo(f"Wrote {output} ({len(data):,} bytes, {fmt}).", err=True)


@click.command("stats")
@format_option()
@click.pass_obj
def stats_command(obj, fmt):
    """Triples, graphs, entities per class and edges per relation."""
    with obj.open_store(read_only=True) as store:
        stats = store.stats()
    if fmt == "json":
        click.echo(render_rows([stats], "json"))
        return
    rows = [{"measure": "triples", "count": stats["triples"]}, {"measure": "named graphs", "count": stats["graphs"]},
            {"measure": "articles", "count": stats["articles"]}]
    rows += [{"measure": f"class {k}", "count": v} for k, v in stats["entities_per_class"].most_common()]
    rows += [{"measure": f"edge {k}", "count": v} for k, v in stats["edges_per_relation"].most_common()]
    rows += [{"measure": f"statement {k}", "count": v} for k, v in stats["statements_per_kind"].most_common()]
    click.echo(render_rows(rows, fmt))


COMMANDS = [ingest_command, export_command, stats_command]
