"""The rule word lists (rules/lexicon.json), checked against their schema (rules/lexicon.schema.json).

Every key of the lexicon is declared in the schema with its shape (a word list, token sequences, a map
of words to names...), and the schema forbids undeclared keys, so a misspelt key or a list turned into a
string stops the extractor with one clear line instead of silently matching nothing. The validator
reads the part of JSON Schema the file uses (type, $ref, items, minItems, maxItems, minLength,
properties, additionalProperties, required); tests/test_lexicon.py also checks that the code reads
every key.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from graph.errors import CmkgError

LEXICON = "rules/lexicon.json"
SCHEMA = "rules/lexicon.schema.json"

_TYPES = {"string": str, "array": list, "object": dict, "integer": int, "number": (int, float), "boolean": bool,
          "null": type(None)}


def _read(name: str) -> dict:
    return json.loads(resources.files("graph.extract").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The rule word lists, validated (a CmkgError names the first problem)."""
    data = _read(LEXICON)
    problems = validate(data, _read(SCHEMA))
    if problems:
        raise CmkgError(f"graph/extract/{LEXICON}: {problems[0]}" + (f" (and {len(problems) - 1} more)"
                                                                     if len(problems) > 1 else ""))
    return data


def validate(value, schema: dict, root: dict | None = None, where: str = "") -> list[str]:
    """Problems of `value` against a JSON Schema (the subset named in the module docstring)."""
    root = root if root is not None else schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(value, root["$defs"][name], root, where)
    at = where or "top level"
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(isinstance(value, _TYPES[k]) and not (k in ("integer", "number") and isinstance(value, bool))
                   for k in kinds):
            return [f"{at}: expected {' or '.join(kinds)}, got {type(value).__name__}"]
    problems: list[str] = []
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        problems.append(f"{at}: empty string")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{at}: fewer than {schema['minItems']} items")
        if len(value) > schema.get("maxItems", len(value)):
            problems.append(f"{at}: more than {schema['maxItems']} items")
        if "items" in schema:
            for k, item in enumerate(value):
                problems += validate(item, schema["items"], root, f"{where}[{k}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(f"{at}: missing key '{key}'")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            path = f"{where}/{key}" if where else key
            if key in props:
                problems += validate(item, props[key], root, path)
            elif extra is False:
                problems.append(f"{path}: key not declared in {SCHEMA}")
            elif isinstance(extra, dict):
                problems += validate(item, extra, root, path)
    return problems
