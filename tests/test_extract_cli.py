"""`cmkg facts`: files, folders and stdin in; JSON Lines, CSV or a table out; one-line errors."""

import json

from click.testing import CliRunner

from graph.cli import cli
from tests.conftest import SEEDS

ARTICLE = "China will restrict exports of gallium and germanium from August 1.\n"


def run(args, input=None):
    return CliRunner().invoke(cli, ["facts", *args], input=input)


def test_stdin_with_date_gives_jsonl():
    result = run(["-", "--date", "2023-07-03"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    controls = [r for r in rows if r["relation"] == "export_control"]
    assert {r["object"] for r in controls} == {"gallium", "germanium"}
    assert all(r["date"] == "2023-08-01" and r["source"] == "stdin.txt" and r["evidence"] for r in controls)


def test_folder_and_formats(tmp_path):
    folder = tmp_path / "news" / "deep"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("date: 2024-01-10\n---\n" + ARTICLE)
    result = run([str(tmp_path / "news"), "--format", "csv", "--relation", "export_control"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("source,relation,subject,object") and len(lines) == 3
    table = run([str(SEEDS / "000_338a74fefc3e312e.txt"), "--format", "table", "--relation", "tariff"])
    assert table.exit_code == 0 and "145" in table.output


def test_missing_file_is_a_one_line_error(tmp_path):
    result = run([str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.output and "Traceback" not in result.output
    bad = run(["-", "--date", "June 2025"], input=ARTICLE)
    assert bad.exit_code == 1 and "not a date" in bad.output
