#!/usr/bin/env python3
"""Run the README's command tour for real, and print it, write it into README.md, or check README.md.

usage: python scripts/readme_tour.py            print the tour as Markdown
       python scripts/readme_tour.py --write    replace the tour's console blocks in README.md with a real run
       python scripts/readme_tour.py --check    exit 1, with a diff, when README.md differs from a real run

The tour runs in a fresh temporary folder (a new `.cmkg/store`, `out/`, and `seeds/` linked to this
repository's), starting with `cmkg build`, in a terminal COLUMNS wide, so the result depends only on
the checked-out code and data, never on a developer's store or screen; paths into the temporary
folder are shown relative to it, as a user in the repository would see them. A block of README.md is a ```console fence whose first line is
`$ <command>`; each command of TOUR must have exactly one. Before comparing, what legitimately varies
between two identical runs is normalised (`normalise`): elapsed times and file sizes in bytes.
Console blocks of other `cmkg` commands must be listed in UNCHECKED, with the reason they are not rerun.
tests/test_readme_tour.py runs `--check` as part of the suite (and so CI).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CMKG = str(Path(sys.executable).with_name("cmkg"))

# (title, command, lines kept). `cmkg build` comes first: the other commands read the store it builds.
TOUR = [
    ("Build everything from `seeds/`", "cmkg build", 40),
    ("Statistics of the store", "cmkg stats", 18),
    ("Validate the graph against the SHACL shapes", "cmkg validate", 5),
    ("The facts view of an article (what `score.py` compares)",
     "cmkg facts seeds/ --format table --relation export_control", 16),
    ("Which industries depend on dysprosium, and through which chains", "cmkg depends dysprosium --level industry", 20),
    ("Each chain with the source of every edge", "cmkg depends terbium --level industry --why", 14),
    ("What China's export controls reached on 1 December 2025", "cmkg exposure --issuer China --as-of 2025-12-01", 16),
    ("Who refines gallium, and how concentrated the market is", "cmkg concentration gallium --stage refining", 12),
    ("A scenario: China restricts dysprosium and terbium", "cmkg scenario --restrict China:dysprosium,terbium", 14),
    ("The shortest chain between two entities", "cmkg path dysprosium 'wind power'", 8),
    ("Plain-English questions", 'cmkg ask "who refines most of the world\x27s gallium?"', 10),
    ("A name it does not know", "cmkg depends dysprosum", 3),
    ("Saved SPARQL queries", "cmkg sparql --list", 20),
    ("A saved query with bound parameters",
     "cmkg sparql --query top-producers --param mineral=gallium --param stage=refining", 8),
    ("Ingest more articles (a folder, files, or - for standard input)", "cmkg ingest seeds/", 3),
    ("Ad-hoc SPARQL, as CSV", "cmkg sparql 'SELECT ?mineral ?symbol WHERE { ?m cmkg:elementSymbol ?symbol ; "
     "skos:prefLabel ?mineral } ORDER BY ?mineral LIMIT 5' --format csv", 8),
    ("Malformed SPARQL", "cmkg sparql 'SELECT ?x WHERE { ?x'", 3),
    ("Export", "cmkg export --format nquads -o out/graph.nq", 3),
    ("The HTML view, focused on one mineral", "cmkg render -o out/dysprosium.html --focus dysprosium --depth 2", 4),
]

# Tables fit the terminal's width; the tour runs as in a terminal this wide (the width cmkg assumes when
# its output goes to a pipe), so the README does not depend on the machine that regenerated it.
COLUMNS = 120

# Console blocks starting with these commands are not rerun, and why.
UNCHECKED = {
    "cmkg serve": "a transcript of a long-running server, curl and a push to another server",
}

# Pieces of output that differ between two identical runs.
_VARIABLE = [
    (re.compile(r"\b\d+(?:\.\d+)? s\b"), "N s"),                         # "in 4.9 s"
    (re.compile(r"\b\d+(?:\.\d+)? ?ms\b"), "N ms"),
    (re.compile(r"\(\d[\d,]* bytes"), "(N bytes"),                        # "Wrote out/graph.nq (2,918,966 bytes"
]
_FENCE = re.compile(r"^```console\n\$ (?P<command>[^\n]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def normalise(text: str) -> str:
    for pattern, replacement in _VARIABLE:
        text = pattern.sub(replacement, text)
    return text


def elide_classes(lines: list[str]) -> list[str]:
    """`cmkg build`'s list of entities per class, shortened to one line (the tour shows it under `stats`)."""
    try:
        start = lines.index("Entities per class:") + 1
    except ValueError:
        return lines
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return lines[:start] + [f"  {'...':<27} ({end - start} classes)"] + lines[end:]


def run_tour(workdir: Path) -> dict[str, str]:
    """command -> the console block body (output lines as the README shows them), run in `workdir`."""
    (workdir / "seeds").symlink_to(ROOT / "seeds", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k != "CMKG_STORE"}
    env["COLUMNS"] = str(COLUMNS)
    blocks = {}
    for _title, command, keep in TOUR:
        argv = shlex.split(command)
        argv[0] = CMKG
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=workdir, env=env)
        text = proc.stdout + proc.stderr
        for folder in {str(workdir), os.path.realpath(workdir)}:  # paths as a user in the repository sees them
            text = text.replace(folder + os.sep, "")
        lines = text.rstrip("\n").splitlines()
        if command == "cmkg build":
            if proc.returncode != 0:
                raise SystemExit(f"`cmkg build` failed in {workdir}:\n" + "\n".join(lines))
            lines = elide_classes(lines)
        shown = lines[:keep] + ([f"... ({len(lines) - keep} more lines)"] if len(lines) > keep else [])
        blocks[command] = "\n".join(shown) + "\n"
    return blocks


def markdown(blocks: dict[str, str]) -> str:
    return "".join(f"**{title}**\n\n```console\n$ {command}\n{blocks[command]}```\n\n" for title, command, _ in TOUR)


def readme_blocks(text: str) -> dict[str, list[re.Match]]:
    found: dict[str, list[re.Match]] = {}
    for m in _FENCE.finditer(text):
        found.setdefault(m.group("command"), []).append(m)
    return found


def check(text: str, blocks: dict[str, str]) -> list[str]:
    """Problems of README text against a real run (empty: the README is current)."""
    problems = []
    found = readme_blocks(text)
    commands = {command for _, command, _ in TOUR}
    for command, matches in found.items():
        if command.startswith("cmkg") and command not in commands and not any(
                command.startswith(u) for u in UNCHECKED):
            problems.append(f"README.md has a console block for `{command}`, which the tour neither runs nor "
                            "lists in UNCHECKED")
    for _, command, _ in TOUR:
        matches = found.get(command, [])
        if len(matches) != 1:
            problems.append(f"README.md has {len(matches)} console blocks for `{command}` (expected 1)")
            continue
        have, want = normalise(matches[0].group("body")), normalise(blocks[command])
        if have != want:
            diff = difflib.unified_diff(have.splitlines(), want.splitlines(), "README.md", "real run", lineterm="", n=1)
            problems.append(f"`{command}` differs from a real run:\n" + "\n".join(diff))
    return problems


def write(text: str, blocks: dict[str, str]) -> str:
    """README text with every tour block replaced by the real run (other text untouched)."""
    def replace(m: re.Match) -> str:
        command = m.group("command")
        return f"```console\n$ {command}\n{blocks[command]}```" if command in blocks else m.group(0)

    return _FENCE.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when README.md differs from a real run")
    mode.add_argument("--write", action="store_true", help="rewrite the tour's blocks in README.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cmkg-tour-") as tmp:
        blocks = run_tour(Path(tmp))
    text = README.read_text(encoding="utf-8")
    if args.check:
        problems = check(text, blocks)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"README.md tour: {len(problems)} problem(s); `python scripts/readme_tour.py --write` regenerates it",
                  file=sys.stderr)
            return 1
        print(f"README.md tour: {len(TOUR)} commands match a real run")
        return 0
    if args.write:
        README.write_text(write(text, blocks), encoding="utf-8")
        print(f"README.md: rewrote the console blocks of {len(TOUR)} commands")
        return 0
    print(markdown(blocks), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
