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
def templates() -> list[dict]:
    data = json.loads(resources.files("graph.analysis").joinpath("questions.json").read_text(encoding="utf-8"))
    out = []
    for t in data["questions"]:
        out.append({**t, "compiled": [re.compile(p, re.IGNORECASE) for p in t["patterns"]]})
    return out


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
    text = _clean(question)
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


def run(command: str, view, args: dict) -> list[dict]:
    """Call the analysis function behind a command name with keyword arguments."""
    if command == "depends":
        from graph.analysis.depends import depends

        return depends(view, **args)
    if command == "exposure":
        from graph.analysis.exposure import exposure

        return exposure(view, **args)
    if command == "concentration":
        from graph.analysis.concentration import concentration

        return concentration(view, **args)
    if command == "scenario":
        from graph.analysis.scenario import scenario

        restrict = [(country, minerals) for country, minerals in args["restrict"]]
        return scenario(view, restrict)
    if command == "path":
        from graph.analysis.paths import path

        return path(view, args["a"], args["b"])
    raise ValueError(f"unknown command {command!r}")


def ask(store_or_view, question: str) -> dict:
    """Answer a question in plain data: {question, template, command, args, rows}."""
    template, args = parse(question)
    view = as_view(store_or_view)
    rows = run(template["command"], view, args)
    return {"question": question, "template": template["id"], "command": template["command"], "args": args,
            "rows": rows}
