"""pyproject.toml: `pip install .` pulls only what cmkg needs at run time, and ships every package."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# import name -> distribution, for what graph/ imports; distributions used only through an extra are
# listed with the extra (the code must then raise a CmkgError naming it when it is missing).
RUNTIME = {"rdflib": "rdflib", "oxrdflib": "oxrdflib", "pyoxigraph": "pyoxigraph", "click": "click",
           "spacy": "spacy", "networkx": "networkx", "pyshacl": "pyshacl", "trafilatura": "trafilatura",
           "pyvis": "pyvis"}
EXTRA = {"distributed": ("dask", "dask")}
# Needed at run time even where not imported: vis-network is read from pyvis' files (graph/render.py),
# and trafilatura needs lxml's HTML cleaner, which lxml ships separately.
RUNTIME_DATA = {"pyvis", "lxml_html_clean"}
EXTRAS_ONLY = {"pandas", "filelock", "pycountry", "sparqlwrapper", "oxigraph", "dask", "owlready2", "pytest"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def _imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "graph").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"^\s*(?:from\s+(\w+)[\w.]*\s+import|import\s+(\w+))", text, re.MULTILINE):
            name = m.group(1) or m.group(2)
            if name not in sys.stdlib_module_names and name != "graph":
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_runtime_dependencies_are_what_the_package_imports():
    runtime = {_name(r) for r in PROJECT["project"]["dependencies"]}
    imported = _imports()
    unknown = {n: sorted(w) for n, w in imported.items() if n not in RUNTIME and n not in EXTRA}
    assert unknown == {}, "graph/ imports packages pyproject.toml does not declare: add them (or to an extra)"
    assert {RUNTIME[n] for n in imported if n in RUNTIME} | RUNTIME_DATA == runtime
    assert not runtime & EXTRAS_ONLY


def test_extras_hold_the_optional_parts():
    extras = {k: {_name(r) for r in v} for k, v in PROJECT["project"]["optional-dependencies"].items()}
    assert {"notebook", "dask", "server", "test"} <= set(extras)
    for module, (extra, dist) in EXTRA.items():
        assert dist in extras[extra], (module, extra)
    assert {"pandas"} <= extras["notebook"] and {"oxigraph"} <= extras["server"]
    assert {"pytest", "sparqlwrapper", "owlready2", "pycountry"} <= extras["test"]
    assert any(r.startswith("cmkg[") for r in PROJECT["project"]["optional-dependencies"]["test"])


def test_every_python_package_is_shipped():
    listed = set(PROJECT["tool"]["setuptools"]["packages"])
    mapped = PROJECT["tool"]["setuptools"].get("package-dir", {})
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "graph").rglob("__init__.py")}
    found |= set(mapped)
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == set()
