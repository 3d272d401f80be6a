"""`cmkg sparql`: ad-hoc or saved SPARQL over the store (default graph = union of all graphs)."""

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from graph.cli.common import render_rows
from graph.errors import InputError

RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in params:
        if "=" not in item:
            raise InputError(f"--param {item!r} must look like name=value")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


@click.command("sparql")
@click.argument("query_text", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a .rq file.")
@click.option("-q", "--query", "query_name", help="Run a saved query by name (see --list).")
@click.option("-p", "--param", "params", multiple=True, help="Parameter of a saved query, name=value (repeatable).")
@click.option("--list", "list_queries_flag", is_flag=True, help="List the saved queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="table, or a SPARQL 1.1 results format.")
@click.pass_obj
def sparql_command(obj, query_text, query_file, query_name, params, list_queries_flag, fmt):
    """Run QUERY (or -f FILE.rq, or --query NAME [ARG] with --param name=value) against the store."""
    from graph import queries as saved

    if list_queries_flag:
        rows = [{"name": q.name, "parameters": ", ".join(q.params), "question": q.title} for q in saved.list_queries()]
        click.echo(render_rows(rows, "table" if fmt == "table" else "json" if fmt == "json" else "csv"))
        return
    given = [x for x in (query_text if not query_name else None, query_file, query_name) if x]
    if len(given) != 1:
        raise InputError("give exactly one of: a QUERY, -f FILE.rq, or --query NAME")
    bindings = None
    if query_file:
        try:
            text = query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read {query_file}: {getattr(err, 'strerror', None) or err}") from None
    elif query_name:
        info = saved.load_query(query_name)
        param_values = _parse_params(params)
        if query_text and info.params and info.params[0] not in param_values:
            param_values[info.params[0]] = query_text
        text = info.text
    else:
        text = query_text
    with obj.open_store(read_only=True) as store:
        if query_name:
            bindings = saved.bind_params(store, info, param_values)
        if fmt == "table":
            result = store.query(text, bindings)
            click.echo(_table(result))
            return
        raw = store.raw_query(text, bindings)
        out = sys.stdout.buffer
        if isinstance(raw, ox.QueryTriples):
            raw.serialize(out, ox.RdfFormat.TURTLE)
        else:
            raw.serialize(out, RESULT_FORMATS[fmt])
        out.flush()


def _table(result) -> str:
    if result.kind == "ASK":
        return "true" if result.boolean else "false"
    if result.kind == "CONSTRUCT":
        return result.graph.serialize(format="turtle")
    rows = [{v: (None if t is None else str(t)) for v, t in zip(result.vars, row)} for row in result.rows]
    text = render_rows(rows, "table", result.vars)
    return f"{text}\n({len(rows)} row{'s' if len(rows) != 1 else ''})"


COMMANDS = [sparql_command]
