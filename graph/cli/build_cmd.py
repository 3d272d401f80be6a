"""`cmkg build`: knowledge + articles → store → Turtle, TriG and HTML, with a summary."""

from pathlib import Path

import click

from graph.articles import find_articles, parse_date
from graph.build import DEFAULT_OUT, DEFAULT_SOURCES, build
from graph.cli.progress import progress_for


@click.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for graph.ttl, graph.trig and graph.html.")
@click.option("--date", "default_date", help="Date (YYYY-MM-DD) for articles that carry none.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL validation of the built graph.")
@click.pass_obj
def build_command(obj, sources, out_dir, default_date, no_validate):
    """Build the knowledge graph from SOURCES (default: seeds/) and write it to OUT."""
    sources = list(sources) or list(DEFAULT_SOURCES)
    date = parse_date(default_date, "--date") if default_date else None
    with progress_for("Ingesting", len(find_articles(sources))) as progress:
        report = build(sources, out_dir, obj.store_path, default_date=date, validate=not no_validate,
                       progress=progress)
    click.echo(format_summary(report))


def format_summary(report) -> str:
    stats = report.stats
    lines = [f"Built the graph in {report.seconds:.1f} s: {stats['triples']:,} triples in {stats['graphs']} named graphs "
             f"({stats['articles']} article{'s' if stats['articles'] != 1 else ''}) — store {report.store_path}",
             f"Ingested {len(report.ingest.articles)} article(s) from the sources."]
    if report.validation is not None:
        lines.append(f"SHACL validation: {report.validation.summary()}")
    lines.append("Entities per class:")
    lines += [f"  {name:24} {n:6,}" for name, n in stats["entities_per_class"].most_common()]
    lines.append("Facts per relation (this run's articles):")
    lines += [f"  {name:24} {n:6,}" for name, n in report.ingest.facts.most_common()]
    lines.append("Files:")
    lines += [f"  {kind:7} {path}" for kind, path in report.files.items()]
    lines.append("Which industries depend on dysprosium?")
    lines += _answer_lines(report.dysprosium_industries)
    lines.append("(`cmkg depends dysprosium --level industry --why` shows every chain with its sources.)")
    return "\n".join(lines)


def _answer_lines(rows: list[dict]) -> list[str]:
    """Direct chains first; what only a mineral group reaches is grouped by that group."""
    if not rows:
        return ["  (none found)"]
    direct = [r["label"] for r in rows if not r.get("inherited")]
    lines = [f"  directly: {', '.join(direct)}"] if direct else []
    by_group: dict[str, list[str]] = {}
    for r in rows:
        if r.get("inherited"):
            by_group.setdefault(r.get("via") or "a group", []).append(r["label"])
    for group, labels in by_group.items():
        lines.append(f"  as a member of {group}: {', '.join(labels)}")
    return lines


COMMANDS = [build_command]
