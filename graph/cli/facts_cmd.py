"""`cmkg facts`: the facts each article yields, with the sentence each was read from (no store needed)."""

import json

import click

from graph.articles import parse_date
from graph.cli.common import render_rows
from graph.facts import RELATIONS, VIEW_QUALIFIERS

TABLE_COLUMNS = ["source", "relation", "subject", "object", "qualifiers", "confidence", "evidence"]


@click.command("facts")
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "table"]), default="jsonl",
              show_default=True, help="One JSON object per line, a JSON array, CSV or a table.")
@click.option("--date", "default_date", help="Date (YYYY-MM-DD) for articles that carry none; relative dates resolve against it.")
@click.option("--relation", "relations", multiple=True, type=click.Choice(RELATIONS),
              help="Only these relations (repeatable).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only facts at least this confident; a fact's confidence is its rule's measured precision "
                   "on the development articles.")
def facts_command(sources, fmt, default_date, relations, min_confidence):
    """Extract facts from articles: files, folders (recursive) or - for standard input."""
    from graph.extract import facts_view

    date = parse_date(default_date, "--date") if default_date else None
    records = facts_view(list(sources), default_date=date)
    if relations:
        records = [r for r in records if r["relation"] in relations]
    if min_confidence:
        records = [r for r in records if r.get("confidence", 1.0) >= min_confidence]
    if fmt == "jsonl":
        for r in records:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    columns = ["source", "relation", "subject", "object"]
    for relation in RELATIONS:
        for q in VIEW_QUALIFIERS[relation]:
            if q not in columns:
                columns.append(q)
    columns += ["confidence", "evidence"]
    if fmt == "csv":
        click.echo(render_rows(records, "csv", columns))
        return
    rows = []
    for r in records:
        quals = "; ".join(f"{q}={r[q]}" for q in VIEW_QUALIFIERS[r["relation"]] if r.get(q) not in (None, ""))
        rows.append({**r, "qualifiers": quals})
    click.echo(render_rows(rows, "table", TABLE_COLUMNS))


COMMANDS = [facts_command]
