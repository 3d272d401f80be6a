"""Where the packaged data files live, in a source checkout and in an installed wheel alike.

`ontology/` sits at the top of the repository and is installed as the `graph.ontology`
package (see pyproject.toml), so both layouts resolve through importlib.resources.
"""

from importlib import resources
from pathlib import Path


def ontology_dir() -> Path:
    return Path(str(resources.files("graph.ontology")))


def ontology_file(name: str) -> Path:
    return ontology_dir() / name


def queries_dir() -> Path:
    return Path(str(resources.files("graph.queries")))
