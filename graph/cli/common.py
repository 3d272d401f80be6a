"""What every command shares: the store location and how tables are printed."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import click

from graph.store import open_store

FORMATS = ("table", "json", "csv")


@dataclass
class CliContext:
    store_path: Path | None = None
    debug: bool = False

    def open_store(self, read_only: bool = False):
        return open_store(self.store_path, read_only=read_only)


def format_option(default: str = "table", choices=FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def render_rows(rows: list[dict], fmt: str = "table", columns: list[str] | None = None) -> str:
    """Rows of plain data as an aligned table, JSON or CSV."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(no results)"
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [min(max([len(c)] + [len(r[i]) for r in cells]), 60) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in cells:
        lines.append("  ".join(_clip(v, w).ljust(w) for v, w in zip(r, widths)).rstrip())
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
