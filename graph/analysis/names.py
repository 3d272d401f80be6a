"""From a name a user typed to an entity of the view: through its labels, with "did you mean" for near misses.

Names are matched on every label the graph gives an entity (preferred, rdfs, alternative, demonym,
metonym), folded to lower-case ASCII words, with a plural "s" tolerated. An IRI or a `kind/slug`
(`mineral/dysprosium`) is accepted too. When a name is unknown, the closest labels of the expected
kind are suggested, so "dysprosim" gets "did you mean dysprosium?".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

from graph.analysis import settings
from graph.errors import InputError
from graph.namespaces import ID
from graph.vocabulary import subclasses

# What a user means by the kind of thing a command expects, and the entity types it covers (the
# class and its subclasses in ontology/cmkg.ttl).
KINDS = {
    "mineral": set(subclasses("Mineral")),
    "mineral or item": set(subclasses("Item")),
    "country": set(subclasses("Polity")),
    "industry": set(subclasses("Industry")),
    "entity": None,
}


def fold(text: str) -> str:
    """Lower-case ASCII words separated by one space: the key names are matched on."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def name_index(view) -> dict[str, list[tuple[int, str]]]:
    """folded label → [(rank, node)], rank 0 for a preferred label, 1 for any other; cached on the view."""
    index = view.graph.get("_names")
    if index is None:
        index = defaultdict(list)
        for node, data in view.nodes(data=True):
            seen = set()
            for rank, text in [(0, data.get("label"))] + [(1, a) for a in data.get("alt_labels", ())]:
                key = fold(text or "")
                if key and key not in seen:
                    seen.add(key)
                    index[key].append((rank, node))
        index = dict(index)
        view.graph["_names"] = index
    return index


def _candidates(view, key: str) -> list[tuple[int, str]]:
    index = name_index(view)
    found = index.get(key)
    if found:
        return found
    for variant in _singulars(key):
        if variant in index:
            return index[variant]
    return []


def _singulars(key: str) -> list[str]:
    out = []
    if key.endswith("ies"):
        out.append(key[:-3] + "y")
    if key.endswith("es"):
        out.append(key[:-2])
    if key.endswith("s"):
        out.append(key[:-1])
    out.append(key + "s")
    return out


def resolve(view, name: str, kind: str = "entity") -> str:
    """The node (IRI) a typed name stands for, or InputError with suggestions.

    `kind` is one of KINDS: "mineral", "mineral or item", "country" or "entity" (anything). When a name fits
    several entities, the one whose preferred label it is wins, then the most specific type.
    """
    allowed = KINDS.get(kind)
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    text = (name or "").strip()
    if not text:
        raise InputError(f"give the name of a {kind}")
    if text.startswith(str(ID)) and text in view:
        node = text
    elif "/" in text and (str(ID) + text.strip("/")) in view:
        node = str(ID) + text.strip("/")
    else:
        node = None
    if node is not None:
        return _check(view, node, text, kind, allowed)
    found = [(r, n) for r, n in _candidates(view, fold(text)) if allowed is None or view.nodes[n]["type"] in allowed]
    if not found:
        others = _candidates(view, fold(text))
        if others and allowed is not None:
            node = others[0][1]
            raise InputError(f"{text!r} is {_a(view.nodes[node]['type'])}, not {_a(kind)}")
        raise InputError(f"unknown {kind} {text!r}" + _did_you_mean(view, text, allowed))
    pref = {t: i for i, t in enumerate(settings()["name_type_preference"])}
    found.sort(key=lambda rn: (rn[0], pref.get(view.nodes[rn[1]]["type"], 99), rn[1]))
    return found[0][1]


def _check(view, node, text, kind, allowed) -> str:
    if allowed is not None and view.nodes[node]["type"] not in allowed:
        raise InputError(f"{text!r} is {_a(view.nodes[node]['type'])}, not {_a(kind)}")
    return node


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def suggestions(view, name: str, kind: str = "entity", n: int = 3) -> list[str]:
    """Preferred labels close to `name` among entities of that kind, best first."""
    allowed = KINDS.get(kind)
    index = name_index(view)
    keys = [k for k, nodes in index.items()
            if allowed is None or any(view.nodes[nd]["type"] in allowed for _, nd in nodes)]
    close = difflib.get_close_matches(fold(name), keys, n=n * 2, cutoff=0.72)
    out = []
    for key in close:
        for _, node in sorted(index[key]):
            if allowed is not None and view.nodes[node]["type"] not in allowed:
                continue
            label = view.nodes[node]["label"]
            if label not in out:
                out.append(label)
    return out[:n]


def _did_you_mean(view, text, allowed) -> str:
    kind = next((k for k, v in KINDS.items() if v == allowed), "entity")
    close = suggestions(view, text, kind)
    if not close:
        return ""
    return "; did you mean " + " or ".join(close) + "?"
