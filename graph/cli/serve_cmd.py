"""`cmkg serve` (a SPARQL endpoint over the store) and `cmkg push` (the store's graphs to a SPARQL server)."""

import os
import signal

import click

from graph.cli.progress import progress_for
from graph.errors import InputError
from graph.push import DEFAULT_TIMEOUT as PUSH_TIMEOUT
from graph.push import PROTOCOLS, push
from graph.serve import (DEFAULT_HOST, DEFAULT_MAX_RESULTS, DEFAULT_PORT, DEFAULT_TIMEOUT, ServeConfig,
                         SparqlServer, is_loopback)
from graph.store import default_store_path


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on (loopback by default; another address exposes the store to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port (0: any free port).")
@click.option("--writable", is_flag=True, help="Accept SPARQL Update requests (off: updates get 403).")
@click.option("--timeout", "timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Time limit per query, in seconds.")
@click.option("--max-results", type=click.IntRange(min=1), default=DEFAULT_MAX_RESULTS, show_default=True,
              help="At most this many rows (or triples) per answer; cut answers carry X-Cmkg-Truncated: true.")
@click.option("--workers", type=click.IntRange(min=0, max=64), default=0,
              help="Query worker processes (default: up to 4; a writable server uses 1).")
@click.option("--token", envvar="CMKG_TOKEN", metavar="SECRET",
              help="Updates must send `Authorization: Bearer SECRET` (required for --writable on a non-loopback "
                   "--host; also from $CMKG_TOKEN).")
@click.pass_obj
def serve_command(obj, host, port, writable, timeout, max_results, workers, token):
    """Serve the store as a SPARQL 1.1 endpoint (GET/POST /query; JSON, XML, CSV, TSV by content negotiation)."""
    path = obj.store_path or default_store_path()
    server = SparqlServer(ServeConfig(path, host, port, writable=writable, timeout=timeout,
                                      max_results=max_results, workers=workers, token=token or None)).start()
    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}: anyone who can reach this machine can query the store"
                   + (" (updates need the token)." if writable else "."), err=True)
    mode = "writable" if writable else "read-only"
    lines = [f"Serving {path} ({mode}) at {server.query_url}"]
    if writable:
        lines.append(f"Updates: POST {server.update_url}" + (" with `Authorization: Bearer TOKEN`" if token else ""))
    lines.append(f"Time limit {timeout:g} s per query, at most {max_results:,} results. Press Ctrl+C to stop.")
    # SIGTERM (service managers, `kill`) stops the server as cleanly as Ctrl+C does, from the moment it
    # answers: the server answers as soon as it starts, so a stop may come while these lines are printed.
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        signal.signal(signal.SIGTERM, _interrupt)
        click.echo("\n".join(lines))
        server.serve_forever()
    except KeyboardInterrupt:
        _stopping()
        click.echo("Stopped.", err=True)
    finally:
        _stopping()
        server.stop()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stopping() -> None:
    """A second Ctrl+C or SIGTERM while the server shuts down does not cut the shutdown short."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@click.command("push")
@click.option("--endpoint", required=True, envvar="CMKG_PUSH_ENDPOINT",
              help="SPARQL endpoint: the update endpoint for --protocol update, the graph store for gsp.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="gsp", show_default=True,
              help="gsp: HTTP PUT per named graph; update: DROP + INSERT DATA per named graph.")
@click.option("--graph-store", help="Graph Store Protocol URL, when it differs from --endpoint.")
@click.option("--graph", "graphs", multiple=True, help="Push only this named graph (repeatable; default: all).")
@click.option("--user", envvar="CMKG_PUSH_USER", help="User for HTTP basic auth (password: $CMKG_PUSH_PASSWORD, "
                                                      "or asked for).")
@click.option("--token", envvar="CMKG_TOKEN", metavar="SECRET",
              help="Send `Authorization: Bearer SECRET` (a `cmkg serve --writable --token` server; also $CMKG_TOKEN).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=PUSH_TIMEOUT, show_default=True,
              help="Seconds to wait for each request.")
@click.pass_obj
def push_command(obj, endpoint, protocol, graph_store, graphs, user, token, timeout):
    """Send the store's named graphs to a SPARQL server; each replaces its namesake there (never duplicates).

    The server must be running already, e.g. `oxigraph serve --location DIR --bind 127.0.0.1:7878`
    (the cmkg[server] extra; then --endpoint http://127.0.0.1:7878/query --graph-store
    http://127.0.0.1:7878/store), or `cmkg serve --writable --token ...` (--protocol update).
    """
    if user and token:
        raise InputError("give either --user (basic auth) or --token (bearer), not both")
    password = os.environ.get("CMKG_PUSH_PASSWORD")
    if user and password is None:
        if ":" in user:
            user, password = user.split(":", 1)
        else:
            try:
                password = click.prompt(f"Password for {user}", hide_input=True, default="", show_default=False)
            except click.exceptions.Abort:
                raise InputError("no password: set CMKG_PUSH_PASSWORD or give --user USER:PASSWORD") from None
    with obj.open_store(read_only=True) as store:
        total = len(graphs) if graphs else len(store.named_graphs())
        with progress_for("Pushing", total) as progress:
            report = push(store, endpoint, protocol=protocol, graph_store=graph_store, graphs=graphs, user=user,
                          password=password, token=token or None, timeout=timeout, progress=progress)
    click.echo(f"Pushed {len(report.graphs)} named graph(s), {report.triples:,} triples, to {report.target} "
               f"({protocol}) in {report.seconds:.1f} s.")


COMMANDS = [serve_command, push_command]
