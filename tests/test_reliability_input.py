"""Bad input everywhere: one `Error:` line on stderr, a non-zero exit, no traceback, and the store unchanged.

Each case runs the CLI in this process (click's runner, the same code path as `cmkg`) on a copy of a
store that already holds knowledge and two article graphs, and compares the store's N-Quads before
and after. A few cases run the real `cmkg` in a subprocess too, and `--debug` is checked to show the
traceback the normal run hides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_reliability_support import (BAD, cmkg, cmkg_inproc, fresh_seeded_store, one_clean_error,
                                            snapshot)


def _commands() -> set[str]:
    from graph.cli import cli

    return set(cli.commands)


@pytest.fixture(scope="module")
def template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reliability-template")


@pytest.fixture
def store(tmp_path, template_dir):
    """Two small article graphs: enough to see any write (and quick to compare)."""
    return fresh_seeded_store(tmp_path / "store", template_dir, knowledge=False)


@pytest.fixture
def kstore(tmp_path, template_dir):
    """The shipped knowledge as well: for commands that resolve names."""
    return fresh_seeded_store(tmp_path / "store", template_dir, knowledge=True)


def _files(tmp: Path) -> dict[str, Path]:
    """Bad inputs that are made on the fly (a huge file is sparse: 21 MB on paper, nothing on disk)."""
    huge = tmp / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    pdf = tmp / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4 gallium")
    no_articles = tmp / "no-articles"
    no_articles.mkdir()
    (no_articles / "notes.json").write_text("{}")
    (no_articles / ".hidden.txt").write_text("gallium")
    mixed = tmp / "mixed"
    mixed.mkdir()
    (mixed / "a_good.txt").write_text("China restricted exports of gallium.\n")
    (mixed / "b_binary.txt").write_bytes((BAD / "binary.txt").read_bytes())
    a_file = tmp / "a-file"
    a_file.write_text("not a folder")
    noise = tmp / "noise.txt"  # random bytes without a NUL: every single-byte encoding "decodes" them
    rng = __import__("random").Random(7)
    noise.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4096)))
    return {"huge": huge, "pdf": pdf, "no_articles": no_articles, "mixed": mixed, "a_file": a_file, "noise": noise}


def _fill(text: str, places: dict) -> str:
    for key, value in places.items():
        text = text.replace("{" + key + "}", str(value))
    return text


# (id, argv with {placeholders}, words the error line must contain (lower case))
CASES = [
    ("ingest missing file", ["ingest", "{tmp}/nowhere.txt"], ["no such file"]),
    ("ingest empty file", ["ingest", "{bad}/empty.txt"], ["empty"]),
    ("ingest header-only article", ["ingest", "{bad}/header_only.md"], ["empty"]),
    ("ingest binary file", ["ingest", "{bad}/binary.txt"], ["binary"]),
    ("ingest binary file without NUL bytes", ["ingest", "{noise}"], ["binary"]),
    ("ingest huge file", ["ingest", "{huge}"], ["too large"]),
    ("ingest unsupported type", ["ingest", "{pdf}"], ["unsupported file type"]),
    ("ingest folder with no articles", ["ingest", "{no_articles}"], ["no articles"]),
    ("ingest good + binary: nothing written", ["ingest", "{mixed}"], ["binary"]),
    ("ingest bad --date", ["ingest", "--date", "2025-13-45", "{bad}/latin1.txt"], ["not a date"]),
    ("ingest --date not a date", ["ingest", "--date", "yesterday", "{bad}/latin1.txt"], ["not a date"]),
    ("ingest --jobs 0", ["ingest", "--jobs", "0", "{bad}/latin1.txt"], ["jobs"]),
    ("ingest unknown option", ["ingest", "--jbos", "2", "{bad}/latin1.txt"], ["did you mean", "--jobs"]),
    ("unknown command", ["ingset", "{bad}/latin1.txt"], ["did you mean", "ingest"]),
    ("sparql malformed (inline)", ["sparql", "SELECT * WHERE { ?s ?p }"], ["malformed sparql", "1:"]),
    ("sparql malformed (.rq file)", ["sparql", "-f", "{bad}/malformed.rq"], ["malformed sparql", "error at"]),
    ("sparql missing .rq file", ["sparql", "-f", "{tmp}/nowhere.rq"], ["nowhere.rq"]),
    ("sparql binary .rq file", ["sparql", "-f", "{bad}/binary.txt"], ["binary.txt"]),
    ("sparql UPDATE refused", ["sparql", "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"], ["refused"]),
    ("sparql DROP ALL refused", ["sparql", "DROP ALL"], ["refused"]),
    ("sparql --param without =", ["sparql", "--query", "x", "--param", "novalue"], []),
    ("sparql no query", ["sparql"], ["give exactly one"]),
    ("ingest unreachable scheduler", ["ingest", "--scheduler", "tcp://127.0.0.1:1", "{bad}/latin1.txt"],
     ["cannot reach"]),
    ("export unknown format", ["export", "--format", "yaml"], ["yaml"]),
    ("export to unwritable place", ["export", "-o", "{a_file}/sub/graph.ttl"], ["cannot write"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_one_line_and_store_unchanged(case, store, tmp_path):
    name, argv, words = case
    places = {"tmp": tmp_path, "bad": BAD, **_files(tmp_path)}
    args = [_fill(a, places) for a in argv]
    before = snapshot(store)
    run = cmkg_inproc(*args, store=store)
    problem = one_clean_error(run)
    assert problem is None, f"{name}: {problem}\nstderr: {run.err}"
    line = [x for x in run.err_lines if x.startswith("Error:")][0].lower()
    for word in words:
        assert word in line, f"{name}: {word!r} not in {line!r}"
    assert snapshot(store) == before, f"{name}: the store changed"


def test_bad_input_does_not_create_a_store(tmp_path):
    """A failed ingest into a store that does not exist yet leaves no store behind (sources are read first)."""
    target = tmp_path / "new-store"
    for argv in (["ingest", str(BAD / "binary.txt")], ["ingest", str(BAD / "empty.txt")], ["stats"],
                 ["sparql", "ASK { ?s ?p ?o }"], ["export"]):
        run = cmkg_inproc(*argv, store=target)
        assert one_clean_error(run) is None, (argv, run.err)
        assert not target.exists(), f"{argv} created {target}"


def test_missing_store_is_one_line(tmp_path):
    run = cmkg_inproc("stats", store=tmp_path / "none")
    assert one_clean_error(run) is None
    assert "no cmkg store" in run.err


def test_store_path_is_a_file(tmp_path):
    f = tmp_path / "store-file"
    f.write_text("x")
    run = cmkg_inproc("ingest", str(BAD / "latin1.txt"), store=f)
    assert one_clean_error(run) is None, run.err
    assert f.read_text() == "x"


def test_bad_header_date_warns_and_is_ignored():
    import warnings

    from graph.articles import read_article

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = read_article(BAD / "bad_date.txt")
    assert article.date is None
    assert any("31/02/2025" in str(w.message) for w in caught)


def test_latin1_is_read_with_a_warning():
    import warnings

    from graph.articles import read_article

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = read_article(BAD / "latin1.txt")
    assert "Orléans" in article.text or "Orléans" in (article.title or "")
    assert any("not UTF-8" in str(w.message) for w in caught)


def test_latin1_ingest_succeeds_with_one_warning_line(store):
    run = cmkg_inproc("ingest", str(BAD / "latin1.txt"), store=store)
    assert run.code == 0, run.err
    warnings_ = [x for x in run.err_lines if x.startswith("Warning:")]
    assert len(warnings_) == 1 and "latin1.txt" in warnings_[0] and "not UTF-8" in warnings_[0], run.err
    assert "Traceback" not in run.err


def test_keep_going_skips_the_bad_file_and_ingests_the_rest(store, tmp_path):
    files = _files(tmp_path)
    before = snapshot(store)
    run = cmkg_inproc("ingest", "--keep-going", str(files["mixed"]), store=store)
    assert run.code == 0, run.err
    assert any(x.startswith("Skipped:") and "b_binary.txt" in x for x in run.err_lines), run.err
    assert "Ingested 1 article" in run.out
    assert snapshot(store) != before


def test_real_cli_one_line_and_debug_traceback(store):
    """Through the real `cmkg` process: one line by default, the traceback with --debug."""
    before = snapshot(store)
    plain = cmkg("ingest", BAD / "binary.txt", store=store)
    assert one_clean_error(plain) is None, plain.err
    debug = cmkg("--debug", "ingest", BAD / "binary.txt", store=store)
    assert debug.code != 0
    assert "Traceback" in debug.err and "InputError" in debug.err
    assert snapshot(store) == before


def test_unexpected_failure_is_one_line_and_debug_shows_it(store, monkeypatch):
    """The last line of defence: a bug (not an InputError) is still one line without --debug."""
    import graph.store as store_mod

    def boom(self):
        raise RuntimeError("simulated bug\nsecond line")

    monkeypatch.setattr(store_mod.KnowledgeStore, "stats", boom)
    run = cmkg_inproc("stats", store=store)
    assert run.code == 2
    assert "Traceback" not in run.err and "--debug" in run.err
    debug = cmkg_inproc("--debug", "stats", store=store)
    assert debug.code != 0 and "simulated bug" in debug.err


# -- commands of the other engineers: checked once they exist -------------------------------------------

LATER = [
    ("depends", "depends typo", ["depends", "dysprosim"], ["did you mean", "dysprosium"]),
    ("depends", "depends bad --level", ["depends", "dysprosium", "--level", "galaxy"], ["galaxy"]),
    ("path", "path unknown name", ["path", "dysprosim", "wind power"], ["did you mean"]),
    ("exposure", "exposure bad --as-of", ["exposure", "--as-of", "2025-02-30"], ["2025-02-30"]),
    ("concentration", "concentration bad --stage", ["concentration", "gallium", "--stage", "baking"], ["baking"]),
    ("scenario", "scenario malformed --restrict", ["scenario", "--restrict", "nocolon"], []),
    ("render", "render bad --as-of", ["render", "-o", "{tmp}/g.html", "--as-of", "someday"], ["someday"]),
    ("render", "render unknown --focus", ["render", "-o", "{tmp}/g.html", "--focus", "dysprosim"],
     ["did you mean", "dysprosium"]),
    ("ask", "ask with a typo", ["ask", "which industries depend on dysprosim?"], ["did you mean", "dysprosium"]),
    ("concentration", "concentration typo", ["concentration", "galium"], ["did you mean", "gallium"]),
    ("scenario", "scenario country typo", ["scenario", "--restrict", "Chna:gallium"], ["did you mean", "china"]),
    ("exposure", "exposure issuer typo", ["exposure", "--issuer", "Chna"], ["did you mean", "china"]),
    ("render", "render to unwritable place", ["render", "-o", "{a_file}/sub/g.html"], []),
    ("build", "build output folder not writable", ["build", "-o", "{a_file}/out", "{bad}/latin1.txt"], ["{a_file}"]),
    ("build", "build binary source", ["build", "-o", "{tmp}/out", "{bad}/binary.txt"], ["binary"]),
    ("build", "build folder with no articles", ["build", "-o", "{tmp}/out", "{no_articles}"], ["no articles"]),
    ("build", "build bad --date", ["build", "-o", "{tmp}/out", "--date", "2025-1-99", "{bad}/latin1.txt"], ["date"]),
    ("push", "push to nowhere", ["push", "--endpoint", "http://127.0.0.1:1/sparql", "--timeout", "2"], ["cannot reach"]),
    ("push", "push to a non-http URL", ["push", "--endpoint", "notaurl"], ["notaurl"]),
    ("facts", "facts binary file", ["facts", "{bad}/binary.txt"], ["binary"]),
    ("facts", "facts missing file", ["facts", "{tmp}/nowhere.txt"], ["no such file"]),
    ("validate", "validate malformed Turtle", ["validate", "{bad}/malformed.ttl"], ["malformed.ttl"]),
    ("validate", "validate malformed JSON-LD", ["validate", "{bad}/malformed.json"], ["malformed.json"]),
    ("validate", "validate binary file", ["validate", "{bad}/binary.txt"], ["binary.txt"]),
    ("validate", "validate missing file", ["validate", "{tmp}/nowhere.ttl"], ["nowhere.ttl"]),
    ("sparql", "sparql unknown saved query", ["sparql", "--query", "analysis-depend"], ["did you mean", "analysis-depends"]),
]


@pytest.mark.parametrize("case", LATER, ids=[c[1] for c in LATER])
def test_bad_input_in_other_commands(case, kstore, tmp_path):
    command, name, argv, words = case
    if command not in _commands():
        pytest.fail(f"`cmkg {command}` is missing")
    places = {"tmp": tmp_path, "bad": BAD, **_files(tmp_path)}
    args = [_fill(a, places) for a in argv]
    before = snapshot(kstore)
    run = cmkg_inproc(*args, store=kstore)
    problem = one_clean_error(run)
    assert problem is None, f"{name}: {problem}\nstderr: {run.err}"
    line = [x for x in run.err_lines if x.startswith("Error:")][0].lower()
    for word in words:
        word = _fill(word, places).lower()
        assert word in line, f"{name}: {word!r} not in {line!r}"
    assert snapshot(kstore) == before, f"{name}: the store changed"



def test_facts_reads_latin1_with_one_warning():
    if "facts" not in _commands():
        pytest.fail("`cmkg facts` is missing")
    run = cmkg_inproc("facts", str(BAD / "latin1.txt"), "--format", "json")
    assert run.code == 0, run.err
    warnings_ = [x for x in run.err_lines if x.startswith("Warning:")]
    assert len(warnings_) == 1 and "not UTF-8" in warnings_[0], run.err
    assert "gallium" in run.out.lower()


def test_failed_build_does_not_create_or_change_a_store(tmp_path):
    """`cmkg build` with a bad source must fail before it loads the knowledge into the store."""
    if "build" not in _commands():
        pytest.fail("`cmkg build` is missing")
    target = tmp_path / "new-store"
    run = cmkg_inproc("build", "-o", str(tmp_path / "out"), str(BAD / "binary.txt"), store=target)
    assert one_clean_error(run) is None and "binary" in run.err, run.err
    assert snapshot(target) is None, "a failed build wrote the knowledge graphs into a new store"


@pytest.mark.parametrize("data,word", [(b"", "empty"), (b"   \n\n", "empty"), (bytes(range(256)) * 4, "binary")],
                         ids=["empty", "blank", "binary"])
def test_bad_standard_input(store, data, word):
    before = snapshot(store)
    run = cmkg_inproc("ingest", "-", store=store, stdin=data)
    assert one_clean_error(run) is None, run.err
    assert word in run.err
    assert snapshot(store) == before


def test_closed_output_pipe_is_quiet(store):
    """`cmkg sparql ... | head -1`: the reader goes away; no traceback, no error message."""
    import subprocess

    from tests.test_reliability_support import CMKG, base_env

    proc = subprocess.Popen(CMKG + ["--store", str(store), "sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env())
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    proc.wait(60)
    proc.stderr.close()
    assert "Traceback" not in err and "Error" not in err, err


@pytest.mark.parametrize("value", ["abc", "-1", "nan"])
def test_bad_lock_timeout_is_one_line(store, monkeypatch, value):
    monkeypatch.setenv("CMKG_LOCK_TIMEOUT", value)
    before = snapshot(store)
    run = cmkg_inproc("ingest", str(BAD / "latin1.txt"), store=store)
    assert one_clean_error(run) is None and "CMKG_LOCK_TIMEOUT" in run.err, run.err
    assert snapshot(store) == before
