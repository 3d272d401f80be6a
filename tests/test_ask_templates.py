"""The questions `cmkg ask` maps to commands, including the ones in the project brief."""

import pytest

from graph.analysis import ask as ask_module
from graph.analysis.exposure import exposure
from graph.errors import InputError


@pytest.mark.parametrize("question, command, args", [
    ("which industries depend on dysprosium?", "depends", {"mineral": "dysprosium", "level": "industry"}),
    ("who refines most of the world's gallium?", "concentration", {"mineral": "gallium", "stage": "refining"}),
    ("who mines the most cobalt?", "concentration", {"mineral": "cobalt", "stage": "mining"}),
    ("what did China put under export licensing since 2023, and what does it reach downstream?", "exposure",
     {"issuer": "China", "measure": "licensing", "since": "2023"}),
    ("what has China banned since 2024?", "exposure", {"issuer": "China", "measure": "ban", "since": "2024"}),
])
def test_brief_questions_map_to_commands(question, command, args):
    template, parsed = ask_module.parse(question)
    assert template["command"] == command
    assert parsed == args


def test_unknown_question_lists_what_is_understood():
    with pytest.raises(ask_module.UnknownQuestion) as err:
        ask_module.parse("what is the meaning of life?")
    assert "which industries depend on dysprosium?" in str(err.value)


def test_exposure_filters_by_measure_and_since(tmp_path):
    from graph.knowledge import load_knowledge
    from graph.store import open_store

    with open_store(tmp_path / "store") as store:
        load_knowledge(store)
        all_rows = exposure(store, "China", as_of="2025-12-01")
        licensed = exposure(store, "China", as_of="2025-12-01", measure="licensing", since="2025")
        with pytest.raises(InputError, match="unknown measure"):
            exposure(store, "China", measure="embargo")
    items = {r["item"] for r in licensed}
    assert {"dysprosium", "terbium", "tungsten"} <= items
    assert "gallium" not in items  # licensed since August 2023
    assert all(r["since"] >= "2025-01-01" and "licensing" in r["measure_types"] for r in licensed)
    assert len(all_rows) > len(licensed)
