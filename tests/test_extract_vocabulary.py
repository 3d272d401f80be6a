"""The extractor speaks the ontology's vocabulary: every measure, stage and status it can write is a
notation of the matching class in ontology/cmkg.ttl (graph.vocabulary), so the two cannot drift."""

from graph import vocabulary
from graph.extract.lexicon import lexicon
from graph.extract.policy import MEASURE_ORDER


def values(table: dict) -> set:
    return {v for k, v in table.items() if not k.startswith("_") and v is not None}


def test_measure_types_are_ontology_notations():
    lex = lexicon()
    written = values(lex["restriction_words"]) | values(lex["restriction_forms"]) | set(MEASURE_ORDER)
    assert written <= set(vocabulary.notations("MeasureType")), written - set(vocabulary.notations("MeasureType"))


def test_stages_are_ontology_notations():
    lex = lexicon()
    written = values(lex["stage_words"]) | values(lex["share_verb_stages"])
    assert written <= set(vocabulary.notations("SupplyStage")), written - set(vocabulary.notations("SupplyStage"))


def test_statuses_are_ontology_notations():
    from graph.extract import extract
    from graph.articles import article_from_text

    text = ("China banned exports of gallium in May. Beijing could restrict antimony exports. "
            "China lifted its ban on germanium exports last week.")
    import datetime as dt

    facts = extract(article_from_text(text, "t.txt", default_date=dt.date(2025, 6, 9)))
    statuses = {f.qualifiers.get("status") for f in facts if f.relation == "export_control"}
    assert {"in_force", "possible", "lifted"} <= statuses
    assert statuses <= set(vocabulary.notations("PolicyStatus"))
