"""The rule data files say only what the code reads: every key of rules/lexicon.json and rules/frames.json
is read by the extractor, the lexicon matches its schema, and a broken lexicon stops with one clear line."""

import json
import re
from pathlib import Path

import pytest

from graph.errors import CmkgError
from graph.extract import lexicon as lexicon_module
from graph.extract.lexicon import validate

RULES = Path(__file__).resolve().parents[1] / "graph" / "extract" / "rules"
CODE = Path(__file__).resolve().parents[1] / "graph"


def _load(name):
    return json.loads((RULES / name).read_text(encoding="utf-8"))


def _code() -> str:
    """The extractor's Python source, without the loader that reads every key by definition."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CODE.rglob("*.py"))
                     if p.name != "lexicon.py" or p.parent.name != "extract")


def _unread(keys, code):
    return [k for k in keys if not k.startswith("_") and not re.search(r"[\"']" + re.escape(k) + r"[\"']", code)]


def test_lexicon_matches_its_schema():
    assert validate(_load("lexicon.json"), _load("lexicon.schema.json")) == []


def test_schema_declares_exactly_the_lexicon_keys():
    schema = _load("lexicon.schema.json")
    assert set(schema["properties"]) == set(_load("lexicon.json"))
    assert set(schema["required"]) == set(_load("lexicon.json"))


def test_every_lexicon_key_is_read_by_the_code():
    lex, schema, code = _load("lexicon.json"), _load("lexicon.schema.json"), _code()
    assert _unread(lex, code) == []
    # named sub-lists ("org_classes": {"government_words": [...]}) are read by name too; word maps are data
    named = [k for k, spec in schema["properties"].items()
             if spec.get("$ref") == "#/$defs/word_lists" or k == "dominance_triggers"]
    assert named, "the schema declares no named sub-lists"
    assert [f"{k}/{sub}" for k in named for sub in _unread(lex[k], code)] == []


def test_every_frames_key_is_read_by_the_code():
    assert _unread(_load("frames.json"), _code()) == []


@pytest.mark.parametrize("change, message", [
    (lambda lex: lex.update(export_words="export"), "export_words: expected array, got str"),
    (lambda lex: lex.update(export_wrods=["export"]), "export_wrods: key not declared"),
    (lambda lex: lex.pop("hedge_words"), "missing key 'hedge_words'"),
    (lambda lex: lex["stage_words"].update(refined=None), "stage_words/refined: expected string"),
    (lambda lex: lex.update(source_phrases=[["according", ""]]), "source_phrases[0][1]: empty string"),
    (lambda lex: lex["org_classes"].update(research_words=[]), "org_classes/research_words: fewer than 1 items"),
])
def test_validator_names_the_problem(change, message):
    lex = _load("lexicon.json")
    change(lex)
    problems = validate(lex, _load("lexicon.schema.json"))
    assert any(message in p for p in problems), problems


def test_a_broken_lexicon_stops_with_one_line(monkeypatch):
    broken = _load("lexicon.json")
    broken["negation_words"] = "not"
    real = lexicon_module._read
    monkeypatch.setattr(lexicon_module, "_read", lambda name: broken if name == lexicon_module.LEXICON else real(name))
    lexicon_module.lexicon.cache_clear()
    try:
        with pytest.raises(CmkgError) as err:
            lexicon_module.lexicon()
        assert "\n" not in str(err.value) and "negation_words: expected array" in str(err.value)
    finally:
        lexicon_module.lexicon.cache_clear()


def test_the_schema_is_valid_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = _load("lexicon.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_load("lexicon.json"), schema)
