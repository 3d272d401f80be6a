"""`cmkg build`: knowledge + articles → store → Turtle, TriG and HTML, with a summary."""

from pathlib import Path

import click

from graph.articles import find_articles, parse_date
from graph.build import DEFAULT_OUT, DEFAULT_QUESTION, DEFAULT_SOURCES, build
from graph.cli.progress import progress_for


@click.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Folder for graph.ttl, graph.trig and graph.html.")
@click.option("--date", "default_date", help="Date (YYYY-MM-DD) for articles that carry none.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL validation of the built graph.")
@click.option("--question", default=DEFAULT_QUESTION, show_default=True,
              help="A `cmkg ask` question answered at the end of the summary ('' for none).")
@click.pass_obj
def build_command(obj, sources, out_dir, default_date, no_validate, question):
    """Build the knowledge graph from SOURCES (default: seeds/) and write it to OUT.

    The store keeps every article ingested before: build adds SOURCES (and the ontology and reference
    data) to it, it never drops anything, and the outputs describe everything the store holds.
    """
    sources = list(sources) or list(DEFAULT_SOURCES)
    date = parse_date(default_date, "--date") if default_date else None
    with progress_for("Ingesting", len(find_articles(sources))) as progress:
        report = build(sources, out_dir, obj.store_path, default_date=date, validate=not no_validate,
                       question=question or None, progress=progress)
    click.echo(format_summary(report))


def format_summary(report) -> str:
    stats = report.stats
    lines = [f"Built the graph in {report.seconds:.1f} s: {stats['triples']:,} triples in {stats['graphs']} named graphs "
             f"({stats['articles']} article{'s' if stats['articles'] != 1 else ''}) — store {report.store_path}",
             f"Ingested {_count(len(report.ingest.articles), 'article')} from the sources."]
    if report.validation is not None:
        lines.append(f"SHACL validation: {report.validation.summary()}")
    lines.append("Entities per class:")
    lines += [f"  {name:24} {n:6,}" for name, n in stats["entities_per_class"].most_common()]
    lines.append("Facts per relation (this run's articles):")
    lines += [f"  {name:24} {n:6,}" for name, n in report.ingest.facts.most_common()]
    lines.append("Files:")
    lines += [f"  {kind:7} {path}" for kind, path in report.files.items()]
    if report.answer is not None:
        lines.append(report.question)
        lines += _answer_lines(report.answer)
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _answer_lines(answer: dict) -> list[str]:
    """The answer in a line or a few: for `depends`, direct chains first, what only a mineral group
    reaches grouped by that group; for any other question, the first column of the rows."""
    rows = answer.get("rows") or []
    if not rows:
        return ["  (no data to answer it yet)"]
    if answer.get("command") != "depends":
        first = next(iter(rows[0]))
        names = [str(r.get(first)) for r in rows[:12]]
        more = f" … and {len(rows) - 12} more" if len(rows) > 12 else ""
        return [f"  {', '.join(names)}{more}", f"(`cmkg ask \"{answer['question']}\"` shows the whole answer.)"]
    direct = [r["label"] for r in rows if not r.get("inherited")]
    lines = [f"  directly: {', '.join(direct)}"] if direct else []
    by_group: dict[str, list[str]] = {}
    for r in rows:
        if r.get("inherited"):
            by_group.setdefault(r.get("via") or "a group", []).append(r["label"])
    for group, labels in by_group.items():
        lines.append(f"  as a member of {group}: {', '.join(labels)}")
    args = answer.get("args") or {}
    if args.get("mineral"):
        level = f" --level {args['level']}" if args.get("level") else ""
        lines.append(f"(`cmkg depends {_quote(args['mineral'])}{level} --why` shows every chain with its sources.)")
    return lines


def _quote(text: str) -> str:
    return text if text.replace("-", "").replace("_", "").isalnum() else "'" + text.replace("'", "'\\''") + "'"


COMMANDS = [build_command]
