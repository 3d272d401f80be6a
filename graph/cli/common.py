"""What every command shares: the store location and how tables are printed."""

import csv
import io
import json
import shutil
import textwrap
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


def render_rows(rows: list[dict], fmt: str = "table", columns: list[str] | None = None, width: int | None = None) -> str:
    """Rows of plain data as an aligned table, JSON or CSV.

    A table fits `width` characters (default: the terminal's width, else $COLUMNS, else 120): when the
    cells do not fit on one line, the widest columns are narrowed and their cells wrap onto more
    lines (at spaces where possible), so nothing is cut; rows are then separated by a blank line.
    """
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
    width = width or shutil.get_terminal_size(fallback=(120, 24)).columns
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = _fit([max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)],
                  [len(c) for c in columns], width - 2 * (len(columns) - 1))
    wrapped = any(len(v) > w for r in cells for v, w in zip(r, widths))
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for n, r in enumerate(cells):
        parts = [_wrap(v, w) for v, w in zip(r, widths)]
        if wrapped and n:
            lines.append("")
        for k in range(max(len(p) for p in parts)):
            lines.append("  ".join((p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths)).rstrip())
    return "\n".join(lines)


def _fit(natural: list[int], headers: list[int], room: int) -> list[int]:
    """Column widths that sum to at most `room`: the widest columns give way first, never below a floor."""
    widths = list(natural)
    floor = [max(h, min(n, 12)) for n, h in zip(natural, headers)]
    while sum(widths) > room:
        i = max(range(len(widths)), key=lambda j: widths[j] - floor[j])
        if widths[i] <= floor[i]:
            break  # cannot narrow further: the terminal is too narrow, the lines run over
        widths[i] = max(floor[i], widths[i] - max(1, (sum(widths) - room) // 4 or 1))
    return widths


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
