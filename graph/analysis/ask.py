"""`cmkg ask "which industries depend on dysprosium?"`: question templates mapped to the analysis commands.

No language model: the questions understood are regular expressions in questions.json, each mapped
to one command with its arguments. A question that matches none gets the list of example questions.
Names in a question are resolved like any other name (labels, "did you mean ...?").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from graph.analysis import as_view
from graph.errors import InputError


class UnknownQuestion(InputError):
    """A question that no template matches; `examples` lists the questions understood."""

    def __init__(self, question: str, examples: list[str]):
        super().__init__(f"I do not understand {question!r}; try one of: " + " | ".join(examples))
        self.question = question
        self.examples = examples


@lru_cache(maxsize=None)
def _data() -> dict:
    return json.loads(resources.files("graph.analysis").joinpath("questions.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def templates() -> list[dict]:
    """The question templates of questions.json, in the order they are tried, with compiled patterns."""
    return [{**t, "compiled": [re.compile(p, re.IGNORECASE) for p in t["patterns"]]} for t in _data()["questions"]]


@lru_cache(maxsize=None)
def _synonyms() -> list[tuple[re.Pattern, str]]:
    pairs = [(v, canonical) for canonical, variants in _data().get("synonyms", {}).items() for v in variants]
    pairs.sort(key=lambda p: -len(p[0]))  # longest phrase first: "stops supplying" before "stops"
    return [(re.compile(r"\b" + re.escape(v) + r"\b", re.IGNORECASE), canonical) for v, canonical in pairs]


def normalize(question: str) -> str:
    """The question with its synonyms (questions.json) replaced by their canonical words.

    Examples
    --------
    >>> normalize("what happens if China halts exports of gallium")
    'what happens if China cuts off gallium'
    """
    text = _clean(question)
    for pattern, canonical in _synonyms():
        text = pattern.sub(canonical, text)
    return text


def examples() -> list[str]:
    """One example question per template, in the order they are tried."""
    return [t["example"] for t in templates()]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip()).rstrip("?.! ").strip()


def _name(text: str | None) -> str | None:
    if text is None:
        return None
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE).strip(" '\"’") or None


def _split(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&|\bor\b)\s*", text)
    return [p for p in (_name(x) for x in parts) if p]


def _fill(value, groups: dict, maps: dict, key: str, split: set):
    if isinstance(value, list):
        return [_fill(v, groups, maps, key, split) for v in value]
    if not isinstance(value, str):
        return value
    m = re.fullmatch(r"\{(\w+)\}", value)
    if not m:
        return value
    name = m.group(1)
    raw = groups.get(name)
    if raw is None:
        return None
    if name in maps:
        return maps[name].get(raw.lower(), raw.lower())
    if name in split:
        return _split(raw)
    return _name(raw)


def parse(question: str) -> tuple[dict, dict]:
    """The template a question matches and the command arguments it yields; UnknownQuestion if none."""
    text = normalize(question)
    if not text:
        raise UnknownQuestion(question or "", examples())
    for t in templates():
        for pattern in t["compiled"]:
            m = pattern.match(text)
            if not m:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            args = {k: _fill(v, groups, t.get("maps", {}), k, set(t.get("split", ()))) for k, v in t["args"].items()}
            return t, {k: v for k, v in args.items() if v is not None}
    raise UnknownQuestion(question, examples())


def _depends(view, **args):
    from graph.analysis.depends import depends

    return depends(view, **args)


def _exposure(view, **args):
    from graph.analysis.exposure import exposure

    return exposure(view, **args)


def _controls(view, **args):
    from graph.analysis.exposure import controls_for

    return controls_for(view, **args)


def _concentration(view, **args):
    from graph.analysis.concentration import concentration

    return concentration(view, **args)


def _scenario(view, restrict):
    from graph.analysis.scenario import scenario

    return scenario(view, [(country, minerals) for country, minerals in restrict])


def _path(view, a, b):
    from graph.analysis.paths import path

    return path(view, a, b)


def _risk(view, **args):
    from graph.analysis.risk import risk

    return risk(view, **args)


COMMANDS = {"depends": _depends, "exposure": _exposure, "controls": _controls, "concentration": _concentration,
            "scenario": _scenario, "path": _path, "risk": _risk}
"""Command name (questions.json `command`) → the analysis call behind it."""


def run(command: str, view, args: dict) -> list[dict]:
    """Call the analysis function behind a command name with keyword arguments."""
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}")
    return COMMANDS[command](view, **args)


def subject(template: dict, args: dict) -> str:
    """What an answer is about, for "no data on ...": the value of the template's `subject` argument."""
    value = args.get(template.get("subject", ""), "")
    if template.get("subject") == "restrict" and value:
        value = ", ".join(m for _, minerals in value for m in minerals)
    return value if isinstance(value, str) else ", ".join(map(str, value))


def ask(store_or_view, question: str) -> dict:
    """Answer a question in plain data: {question, template, command, args, subject, rows}.

    Examples
    --------
    >>> answer = ask(fixture_view(), "What is dysprosium used for?")
    >>> answer["command"], answer["rows"][0]["label"]
    ('depends', 'NdFeB permanent magnets')
    >>> ask(fixture_view(), "what happens if China cuts off gallium?")["rows"][0]["industry"]
    'semiconductors'
    """
    template, args = parse(question)
    view = as_view(store_or_view)
    rows = run(template["command"], view, args)
    return {"question": question, "template": template["id"], "command": template["command"], "args": args,
            "subject": subject(template, args), "rows": rows}
