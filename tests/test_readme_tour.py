"""The README's command tour is real output: scripts/readme_tour.py --check reruns it and compares."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import readme_tour  # noqa: E402


def _readme(body: str, command: str = "cmkg validate") -> str:
    return f"Intro.\n\n**Validate**\n\n```console\n$ {command}\n{body}```\n\nMore text.\n"


def test_check_ignores_only_what_varies_between_runs():
    real = {"cmkg validate": "Built in 4.9 s; wrote out/g.nq (2,918,966 bytes, nquads).\n"}
    tour = [("Validate", "cmkg validate", 5)]
    old_tour, readme_tour.TOUR = readme_tour.TOUR, tour
    try:
        assert readme_tour.check(_readme("Built in 12.0 s; wrote out/g.nq (3,001 bytes, nquads).\n"), real) == []
        problems = readme_tour.check(_readme("Built in 4.9 s; wrote out/g.nq (2,918,966 bytes, turtle).\n"), real)
        assert len(problems) == 1 and "+Built in N s; wrote out/g.nq (N bytes, nquads)." in problems[0]
        assert "0 console blocks" in readme_tour.check("no tour here\n", real)[0]
        unknown = readme_tour.check(_readme("x\n") + _readme("y\n", "cmkg stats"), real)
        assert any("neither runs nor lists" in p for p in unknown)
        rewritten = readme_tour.write(_readme("stale output\n"), real)
        assert readme_tour.check(rewritten, real) == [] and rewritten.endswith("More text.\n")
    finally:
        readme_tour.TOUR = old_tour


def test_build_output_keeps_one_line_for_the_class_list():
    lines = ["Built.", "Entities per class:", "  Mineral  3", "  Country  2", "Facts per relation:", "  x 1"]
    assert readme_tour.elide_classes(lines) == ["Built.", "Entities per class:",
                                                 "  ...                         (2 classes)",
                                                 "Facts per relation:", "  x 1"]


@pytest.mark.skipif(not Path(readme_tour.CMKG).exists(), reason="the cmkg console script is not installed")
def test_readme_tour_matches_a_real_run():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "readme_tour.py"), "--check"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-6000:]
