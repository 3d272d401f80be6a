"""Each extraction rule on sentences written for it (general news phrasing, not the dev articles)."""

import datetime as dt

import pytest

from graph.articles import article_from_text


def facts_of(text, date=dt.date(2025, 6, 9), publisher=None):
    from graph.extract import extract

    article = article_from_text(text, "t.txt", default_date=date)
    article.publisher = publisher
    return extract(article)


def view(text, relation, **kw):
    return [f.to_view("t.txt") for f in facts_of(text, **kw) if f.relation == relation]


def test_coordination_gives_one_fact_per_item():
    rows = view("Beijing said it will restrict exports of gallium, germanium and antimony.", "export_control")
    assert {r["object"] for r in rows} == {"gallium", "germanium", "antimony"}
    assert {r["subject"] for r in rows} == {"China"}  # metonym


def test_hedge_makes_a_measure_possible():
    rows = view("Officials said China could restrict exports of tungsten to the United States.", "export_control")
    [row] = rows
    assert row["status"] == "possible" and row["target"] == "United States"


def test_suspension_lifts_a_measure():
    [row] = view("Washington suspended its ban on exports of uranium to Russia.", "export_control")
    assert row["subject"] == "United States" and row["status"] == "lifted" and row["measure"] == "ban"


def test_denial_and_exemption_give_no_fact():
    assert not view("Beijing denied that it had banned exports of germanium to Japan.", "export_control")
    assert not view("The ban does not apply to exports of lithium concentrates.", "export_control")


def test_relative_dates_resolve_against_the_article_date():
    rows = view("Last December, China announced export controls on graphite.", "export_control")
    assert rows[0]["date"] == "2024-12"
    rows = view("China will restrict exports of indium from August 1.", "export_control",
                date=dt.date(2023, 7, 3))
    assert rows[0]["date"] == "2023-08-01"
    rows = view("On April 2 this year, the United States imposed tariffs on China as high as 145%.", "tariff")
    assert rows[0]["date"] == "2025-04-02" and rows[0]["rate"] == 145


def test_date_words():
    from graph.extract.dates import Anchor, find_dates

    anchor = Anchor(dt.date(2025, 6, 9), "day")
    values = {d.text: d.value for d in find_dates("last week, on Tuesday, in July 2023, last June and in 2023", anchor)}
    assert values["last week"] == "2025-06"
    assert values["on Tuesday"] == "2025-06-03"
    assert values["July 2023"] == "2023-07"
    assert values["last June"] == "2024-06"
    assert values["2023"] == "2023"
    [eff] = find_dates("The rules take effect on September 15.", Anchor(dt.date(2024, 8, 1), "month"))
    assert eff.effective and eff.value == "2024-09-15"


def test_percentages_give_production_shares_with_stage():
    [row] = view("The Democratic Republic of the Congo accounts for about 70% of global cobalt production.",
                 "production_share")
    assert (row["subject"], row["object"], row["stage"], row["share"]) == (
        "Democratic Republic of the Congo", "cobalt", "mining", 70)
    [row] = view("China refines nearly 90% of the world's rare earths.", "production_share")
    assert row["stage"] == "refining"
    assert not view("The United States was the top buyer, accounting for 29% of August's shipments.",
                    "production_share")


def test_person_role_organisation_patterns():
    rows = view('"Prices will rise," said Maria Lopez, chief economist at consultancy Oxford Economics.',
                "affiliated_with")
    assert rows == [{**rows[0], "subject": "Maria Lopez", "object": "Oxford Economics", "role": "chief economist"}]
    [row] = view("The Indian mines minister, Pralhad Joshi, announced an auction.", "affiliated_with")
    assert row["object"] == "Ministry of Mines of India" and row["role"] == "mines minister"
    [row] = view("Albemarle chief executive Kent Masters said demand would recover.", "affiliated_with")
    assert (row["subject"], row["object"]) == ("Kent Masters", "Albemarle")


def test_new_organisations_become_new_nodes():
    facts = facts_of("Analysts at Zentrix Metals, a research firm, expect prices to fall.")
    orgs = [f.object for f in facts if f.relation == "mentions" and f.object.type == "Organization"]
    assert [(o.label, o.new) for o in orgs] == [("Zentrix Metals", True)]
    assert orgs[0].iri.endswith("/org/zentrix-metals")


def test_dominance_and_dependency():
    rows = view("Indonesia dominates the production of nickel, cobalt and stainless steel.", "dominates")
    assert {r["object"] for r in rows} >= {"nickel", "cobalt"}
    rows = view("Electric vehicles and wind turbines are heavily dependent on neodymium.", "depends_on")
    assert {(r["subject"], r["object"]) for r in rows} == {("electric vehicles", "neodymium"),
                                                          ("wind turbines", "neodymium")}
    rows = view("Antimony, used in products from flame retardants to ammunition, is scarce.", "depends_on")
    assert {r["subject"] for r in rows} == {"flame retardants", "ammunition"}


def test_linking_keeps_a_minimum_score_and_says_no_match():
    from graph.extract.gazetteer import get_gazetteer
    from graph.extract.linking import NO_MATCH, link

    gaz = get_gazetteer()
    assert link("Reuters", gaz, ("Organization",)).score == 1.0
    assert link("Blorbvex Holdings", gaz, ("Organization",)) is NO_MATCH
    assert not link("Ministry of Commerce", gaz, ("Organization",))  # which country's? no guess
    china = gaz.get("https://w3id.org/cmkg/id/country/china")
    hit = link("Ministry of Commerce", gaz, ("Organization",), country=china)
    assert hit.entry.label == "Ministry of Commerce of China" and hit.score < 1


def test_alloy_names_are_not_element_mentions():
    facts = facts_of("The plant makes neodymium-iron-boron magnets for cars.")
    assert not [f for f in facts if f.relation == "mentions" and f.object.label == "neodymium"]


@pytest.mark.parametrize("text", ["", "   \n", "No minerals or states here at all."])
def test_texts_without_facts(text):
    from graph.extract import extract
    from graph.articles import Article

    assert [f for f in extract(Article(name="x.txt", text=text)) if f.relation != "mentions"] == []


def test_government_body_acts_for_its_state_and_lists_stay_bound():
    rows = view("The U.S. Commerce Department on Monday unveiled new export controls on advanced chips to China.",
                "export_control")
    assert [(r["subject"], r["object"], r["target"]) for r in rows] == [("United States", "semiconductors", "China")]


def test_import_restrictions_and_place_names_are_not_export_facts():
    assert not view("Lithium exports rose 12% despite a ban on imports of used cars.", "export_control")
    mentions = {r["object"] for r in view("The smelter in Inner Mongolia was closed.", "mentions")}
    assert "Mongolia" not in mentions


def test_leader_named_with_state_acts_for_it():
    [row] = view("US President Donald Trump imposed a 10% tariff on Chinese goods.", "tariff")
    assert (row["subject"], row["object"], row["rate"]) == ("United States", "China", 10)


def test_acronym_of_a_new_organisation_is_kept():
    facts = facts_of("Prices rose, said data from Qarlen Metals Exchange (QME). QME expects more.")
    [org] = {f.object for f in facts if f.relation == "mentions"}
    assert org.label == "Qarlen Metals Exchange" and org.alt == ("QME",)


def test_modal_may_is_not_a_month():
    from graph.extract.dates import Anchor, find_dates

    anchor = Anchor(dt.date(2025, 6, 9), "day")
    assert find_dates("This may lead to shortages, and prices may march higher.", anchor) == []
    assert [d.value for d in find_dates("The rules apply from May 1.", anchor)] == ["2025-05-01"]


def test_month_may_and_ability_are_not_hedges():
    rows = view("China imposed export controls on tungsten in May.", "export_control")
    assert rows[0]["status"] == "in_force" and rows[0]["date"] == "2025-05"
    rows = view("China said exporters can apply for licences under its export control regime on gallium.",
                "export_control")
    assert rows[0]["status"] == "in_force" and rows[0]["measure"] == "licensing"
    rows = view("Beijing may also restrict exports of indium.", "export_control")
    assert rows[0]["status"] == "possible"
