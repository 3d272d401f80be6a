"""Extraction pieces that are not one sentence -> facts: dates, linking, new nodes and their other names.

Sentence -> facts cases of every rule family are data: tests/data/extraction_cases.jsonl, run by
tests/test_extraction_cases.py.
"""

import datetime as dt

import pytest

from graph.articles import Article, article_from_text
from graph.extract import extract
from graph.extract.dates import Anchor, find_dates
from graph.extract.gazetteer import get_gazetteer
from graph.extract.linking import NO_MATCH, link


def facts_of(text, date=dt.date(2025, 6, 9), publisher=None):
    article = article_from_text(text, "t.txt", default_date=date)
    article.publisher = publisher
    return extract(article)


def test_date_words():
    anchor = Anchor(dt.date(2025, 6, 9), "day")
    values = {d.text: d.value for d in find_dates("last week, on Tuesday, in July 2023, last June and in 2023", anchor)}
    assert values["last week"] == "2025-06"
    assert values["on Tuesday"] == "2025-06-03"
    assert values["July 2023"] == "2023-07"
    assert values["last June"] == "2024-06"
    assert values["2023"] == "2023"
    [eff] = find_dates("The rules take effect on September 15.", Anchor(dt.date(2024, 8, 1), "month"))
    assert eff.effective and eff.value == "2024-09-15"


def test_effect_phrases_from_the_lexicon_mark_effective_dates():
    anchor = Anchor(dt.date(2025, 6, 9), "day")
    for text in ("The quota came into force on 3 March 2025.", "The ban kicked in on March 3, 2025.",
                 "Licences are needed as of 3 March 2025."):
        [d] = find_dates(text, anchor)
        assert d.effective and d.value == "2025-03-03", text
    [d] = find_dates("The ministry announced it on March 3, 2025.", anchor)
    assert not d.effective


def test_modal_may_is_not_a_month():
    anchor = Anchor(dt.date(2025, 6, 9), "day")
    assert find_dates("This may lead to shortages, and prices may march higher.", anchor) == []
    assert [d.value for d in find_dates("The rules apply from May 1.", anchor)] == ["2025-05-01"]


def test_new_organisations_become_new_nodes():
    facts = facts_of("Analysts at Zentrix Metals, a research firm, expect prices to fall.")
    orgs = [f.object for f in facts if f.relation == "mentions" and f.object.type == "Organization"]
    assert [(o.label, o.new) for o in orgs] == [("Zentrix Metals", True)]
    assert orgs[0].iri.endswith("/org/zentrix-metals")


def test_linking_keeps_a_minimum_score_and_says_no_match():
    gaz = get_gazetteer()
    assert link("Reuters", gaz, ("Organization",)).score == 1.0
    assert link("Blorbvex Holdings", gaz, ("Organization",)) is NO_MATCH
    assert not link("Ministry of Commerce", gaz, ("Organization",))  # which country's? no guess
    china = gaz.get("https://w3id.org/cmkg/id/country/china")
    hit = link("Ministry of Commerce", gaz, ("Organization",), country=china)
    assert hit.entry.label == "Ministry of Commerce of China" and hit.score < 1


@pytest.mark.parametrize("text", ["", "   \n", "No minerals or states here at all."])
def test_texts_without_facts(text):
    assert [f for f in extract(Article(name="x.txt", text=text)) if f.relation != "mentions"] == []


def test_acronym_of_a_new_organisation_is_kept():
    facts = facts_of("Prices rose, said data from Qarlen Metals Exchange (QME). QME expects more.")
    [org] = {f.object for f in facts if f.relation == "mentions"}
    assert org.label == "Qarlen Metals Exchange" and org.alt == ("QME",)


def test_drafts_index_follows_slice_replacement():
    """Rules read the drafts of one sentence through the index; a filter over the whole list (how rules
    drop drafts) must leave the index agreeing with the list, in the order the drafts were written."""
    from graph.extract.model import Draft, Drafts, Sentence

    s0, s1, s2 = (Sentence(i, i * 10, i * 10 + 9, i * 50, i * 50 + 49, "s") for i in range(3))
    clause = Sentence(1, 10, 14, 50, 70, "c")
    e = object()

    def draft(rel, sent):
        made.append(1)
        return Draft(rel, None, e, {}, sent, f"rule {len(made)}", 0.9)

    made = []
    a, b, c, d, x = draft("export_control", s0), draft("export_control", s1), draft("tariff", s1), \
        draft("export_control", clause), draft("export_control", s2)
    drafts = Drafts([a, b, c, d])
    drafts.append(x)
    assert drafts.of(s1) == [b, c] and drafts.of(clause) == [d] and drafts.of(s1, "tariff") == [c]
    assert drafts.near(2, 2, "export_control") == [a, b, d, x]
    drafts[:] = [y for y in drafts if y is not b]
    assert drafts.of(s1) == [c] and drafts.near(1, 1) == [a, c, d]
    late = draft("export_control", s0)
    drafts[1:] = list(drafts[1:]) + [late]
    assert [y.rule for y in drafts.near(0, 0)] == [a.rule, late.rule] and list(drafts) == [a, c, d, x, late]


def test_header_ends_at_dashes_or_at_a_blank_line():
    """A header left without its '---' still gives the article its date and title; without a header
    the text is all body."""
    dashed = article_from_text("title: T\ndate: 2025-07-16\n---\nChina banned gallium exports.", "a.txt")
    blank = article_from_text("title: T\ndate: 2025-07-16\n\nChina banned gallium exports.", "b.txt")
    both = article_from_text("date: 2025-07-16\n\n---\nChina banned gallium exports.", "c.txt")
    plain = article_from_text("China banned gallium exports.\n\nMore text.", "d.txt")
    for a in (dashed, blank, both):
        assert a.date == dt.date(2025, 7, 16) and a.text.strip() == "China banned gallium exports."
    assert blank.title == "T" and plain.date is None and plain.text.startswith("China banned")
