"""`cmkg serve`: a SPARQL 1.1 Protocol endpoint over a cmkg store, read-only and on loopback by default.

Why it is written in Python over pyoxigraph rather than by starting `oxigraph serve-read-only`:
the Oxigraph server has a query timeout, but it reports a timeout as the tail of a `200 OK` body
that has already started streaming, and it has no limit on the size of a result. cmkg needs a clean
error for a query that runs too long and a bounded answer, so:

The package has three parts: `results` (content negotiation and the result formats), `workers`
(the query processes) and `http` (the protocol server and its lifecycle).

- Queries run in a small pool of **worker processes**, each holding the store open *read-only*
  (`pyoxigraph.Store.read_only`). The HTTP threads only parse requests and wait. A query that
  exceeds the time limit gets a `503` with a one-line message, and its worker process is killed
  and replaced, so a runaway query never keeps burning a core after its answer was given up.
- A worker serializes at most `max_results` rows (or triples) itself (JSON, XML, CSV, TSV for
  SELECT/ASK; Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE) and the response says
  so in `X-Cmkg-Truncated: true` when it cut the answer.
- The default graph is the **union of all named graphs**, as everywhere in cmkg (ontology/MODEL.md),
  unless the request names its dataset with `default-graph-uri` / `named-graph-uri`.
- Writes are refused (`403`) unless the server was started writable; even then a write has to
  come as a SPARQL Update, never through the query operation. Read-only workers could not write
  even if asked: the store is opened read-only. A writable server runs one worker that holds the
  store's writer lock, so queries and updates are served one at a time. A writable server on an
  address other than loopback refuses to start without a **token**; with a token, every update must
  carry `Authorization: Bearer TOKEN` (compared in constant time; `401` otherwise).
- Workers notice a newer store revision (written by `cmkg ingest`/`build`) and reopen the store,
  so a long-running endpoint serves what the store holds now.
"""

from graph.serve.http import (DEFAULT_HOST, DEFAULT_MAX_RESULTS, DEFAULT_PORT, DEFAULT_TIMEOUT, HttpError, ServeConfig,
                              SparqlServer, is_loopback, serve, wait_until_up)
from graph.serve.results import (choose_format, parse_accept, serialize_boolean, serialize_solutions,
                                 serialize_triples)
from graph.serve.workers import ServeError, Worker, worker_main

__all__ = ["DEFAULT_HOST", "DEFAULT_MAX_RESULTS", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "HttpError", "ServeConfig",
           "ServeError", "SparqlServer", "Worker", "choose_format", "is_loopback", "parse_accept", "serialize_boolean",
           "serialize_solutions", "serialize_triples", "serve", "wait_until_up", "worker_main"]
