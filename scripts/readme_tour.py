#!/usr/bin/env python3
"""Run the README's command tour and print it as Markdown, so the documented output stays real.

usage: python scripts/readme_tour.py > /tmp/tour.md   (run from the repository root, after `cmkg build`)
"""

import shlex
import subprocess
import sys
from pathlib import Path

CMKG = str(Path(sys.executable).with_name("cmkg"))
TOUR = [
    ("Statistics of the store", "cmkg stats", 18),
    ("Validate the graph against the SHACL shapes", "cmkg validate", 5),
    ("The facts view of an article (what `score.py` compares)", "cmkg facts seeds/ --format table --relation export_control", 16),
    ("Which industries depend on dysprosium, and through which chains", "cmkg depends dysprosium --level industry", 20),
    ("Each chain with the source of every edge", "cmkg depends terbium --level industry --why", 14),
    ("What China's export controls reached on 1 December 2025", "cmkg exposure --issuer China --as-of 2025-12-01", 16),
    ("Who refines gallium, and how concentrated the market is", "cmkg concentration gallium --stage refining", 12),
    ("A scenario: China restricts dysprosium and terbium", "cmkg scenario --restrict China:dysprosium,terbium", 14),
    ("The shortest chain between two entities", "cmkg path dysprosium 'wind power'", 8),
    ("Plain-English questions", 'cmkg ask "who refines most of the world\x27s gallium?"', 10),
    ("A name it does not know", "cmkg depends dysprosum", 3),
    ("Saved SPARQL queries", "cmkg sparql --list", 20),
    ("A saved query with bound parameters", "cmkg sparql --query top-producers --param mineral=gallium --param stage=refining", 8),
    ("Ingest more articles (a folder, files, or - for standard input)", "cmkg ingest seeds/", 3),
    ("Ad-hoc SPARQL, as CSV", "cmkg sparql 'SELECT ?mineral ?symbol WHERE { ?m cmkg:elementSymbol ?symbol ; skos:prefLabel ?mineral } ORDER BY ?mineral LIMIT 5' --format csv", 8),
    ("Malformed SPARQL", "cmkg sparql 'SELECT ?x WHERE { ?x'", 3),
    ("Export", "cmkg export --format nquads -o out/graph.nq", 3),
    ("The HTML view, focused on one mineral", "cmkg render -o out/dysprosium.html --focus dysprosium --depth 2", 4),
]


def main() -> None:
    for title, command, keep in TOUR:
        argv = shlex.split(command)
        argv[0] = CMKG
        proc = subprocess.run(argv, capture_output=True, text=True)
        lines = (proc.stdout + proc.stderr).rstrip("\n").splitlines()
        shown = lines[:keep] + ([f"... ({len(lines) - keep} more lines)"] if len(lines) > keep else [])
        print(f"**{title}**\n\n```console\n$ {command}\n" + "\n".join(shown) + "\n```\n")


if __name__ == "__main__":
    main()
