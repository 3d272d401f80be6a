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


# --- general news phrasing: shares, measures, dependencies, people (sentences written for these tests) ---

def _one(rows, **match):
    hits = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert len(hits) == 1, rows
    return hits[0]


def test_share_phrasings_and_stages():
    rows = view("Chile accounts for roughly 25% of global copper mine production.", "production_share")
    assert _one(rows, subject="Chile", object="copper")["stage"] == "mining"
    rows = view("Australia mines about half of the world's lithium, and China refines nearly 65% of it.",
                "production_share")
    assert _one(rows, subject="Australia")["share"] == 50
    china = _one(rows, subject="China")
    assert china["object"] == "lithium" and china["stage"] == "refining" and china["share"] == 65
    rows = view("Russia produces roughly 40% of the world's primary palladium.", "production_share")
    assert _one(rows, subject="Russia")["stage"] == "refining"
    rows = view("Japan supplies more than 70% of the world's battery-grade nickel sulfate.", "production_share")
    assert _one(rows, subject="Japan", object="nickel")["stage"] == "processing"
    rows = view("Japan makes about 60% of the world's rare earth magnets.", "production_share")
    assert _one(rows, object="rare earth elements")["stage"] == "magnets"


def test_share_stated_after_the_state_and_in_words():
    row = _one(view("Peru's share of global silver output was 14% in 2023.", "production_share"), subject="Peru")
    assert row["object"] == "silver" and row["share"] == 14 and row["year"] == 2023
    row = _one(view("Brazil holds two-thirds of the world's niobium reserves.", "production_share"), subject="Brazil")
    assert row["share"] == 67 and row["stage"] == "reserves"
    assert _one(view("South Africa produces nearly all of the world's platinum.", "production_share"),
                subject="South Africa")["share"] == 100
    rows = view("China controls about 60% of global rare earth mining and nearly 90% of processing.",
                "production_share")
    assert {(r["stage"], r["share"]) for r in rows} == {("mining", 60), ("processing", 90)}


def test_share_of_the_country_named_as_the_country():
    text = ("Peru is weighing new mining rules. Peru's congress will vote in July.\n\n"
            "The country now accounts for about 12% of global zinc mine production.")
    assert _one(view(text, "production_share"), object="zinc")["subject"] == "Peru"


def test_export_ban_in_a_month_and_later_this_year():
    row = _one(view("The Philippines banned exports of nickel ore in June 2014.", "export_control"), object="nickel")
    assert row["date"] == "2014-06" and row["measure"] == "ban" and row["status"] == "in_force"
    row = _one(view("Vietnam could curb exports of tungsten later this year, the trade ministry said on Monday.",
                    "export_control"), object="tungsten")
    assert row["status"] == "possible" and row["date"] == "2025"


def test_two_measures_in_one_sentence_keep_their_own_dates_and_targets():
    rows = view("Ottawa has required export permits for tin since March 3, 2024, and last year banned the export "
                "of lithium and cobalt to Russia.", "export_control")
    tin = _one(rows, object="tin")
    assert tin["date"] == "2024-03-03" and tin["measure"] == "licensing" and tin["target"] is None
    for item in ("lithium", "cobalt"):
        row = _one(rows, object=item)
        assert row["subject"] == "Canada" and row["date"] == "2024" and row["target"] == "Russia"
        assert row["measure"] == "ban"


def test_the_date_of_a_lifted_measure_comes_from_the_sentence_about_it():
    text = ("Chile has suspended its ban on exports of copper to Japan, the mining ministry said on Friday.\n\n"
            "The ban, announced last October, had stopped shipments to Japanese smelters.")
    row = _one(view(text, "export_control"), object="copper")
    assert row["status"] == "lifted" and row["target"] == "Japan" and row["date"] == "2024-10"


def test_halting_exports_is_a_ban_and_removing_a_requirement_lifts_one():
    row = _one(view("Guinea halted bauxite exports on March 4.", "export_control"), object="bauxite")
    assert row["measure"] == "ban" and row["status"] == "in_force" and row["date"] == "2025-03-04"
    row = _one(view("Tokyo removed a requirement for extra checks on cobalt exports to India.", "export_control"),
               object="cobalt")
    assert row["status"] == "lifted" and row["target"] == "India"


def test_duty_rate_and_target_from_the_goods_origin():
    [row] = view("Canada will impose a provisional countervailing duty of 12.4% on steel wire imported from Vietnam.",
                 "tariff")
    assert row["subject"] == "Canada" and row["object"] == "Vietnam" and row["rate"] == 12.4


def test_depends_on_names_what_is_made_with_the_mineral():
    rows = view("Lithium is an essential ingredient in solid-state batteries for drones.", "depends_on")
    assert {r["subject"] for r in rows} == {"solid-state batteries"}
    rows = view("Catalytic converters made with platinum and palladium are essential for cutting car emissions.",
                "depends_on")
    assert {(r["subject"], r["object"]) for r in rows} == {("catalytic converters", "platinum"),
                                                          ("catalytic converters", "palladium")}
    rows = view("Tungsten is used in hard alloys for drill bits, as well as in superalloys for turbines.", "depends_on")
    assert {r["subject"] for r in rows} == {"hard alloys", "superalloys"}
    rows = view("Cobalt, a key component of lithium-ion batteries, is mostly mined in Congo.", "depends_on")
    assert {r["subject"] for r in rows} == {"lithium-ion batteries"}


def test_people_with_particles_apostrophe_orgs_and_portfolio_ministers():
    rows = view('"Prices will rise," said Marta van Houten, chief economist of the Nordic Smelters\' Association (NSA).',
                "affiliated_with")
    row = _one(rows, subject="Marta van Houten")
    assert row["object"] == "Nordic Smelters' Association" and row["role"] == "chief economist"
    text = "Portugal will tighten mining rules.\n\n\"We are ready,\" said Ana Lopes, the mines minister, in Lisbon."
    row = _one(view(text, "affiliated_with"), subject="Ana Lopes")
    assert row["object"] == "Ministry of Mines of Portugal" and row["role"] == "mines minister"


def test_lower_case_ministry_belongs_to_the_article_state():
    text = ("Vietnam will restrict exports of tungsten, the trade ministry said.\n\n"
            "Vietnam is a large producer.")
    orgs = {r["object"] for r in view(text, "mentions") if r["type"] == "Organization"}
    assert "Ministry of Trade of Vietnam" in orgs


def test_demonym_of_the_bloc_is_a_mention_but_its_firms_do_not_act():
    text = ("China tightened its rules in May.\n\n"
            "European carmakers said Chinese licences for graphite exports are slow.")
    assert "European Union" in {r["object"] for r in view(text, "mentions")}
    rows = view(text, "export_control")
    assert rows and all(r["subject"] == "China" for r in rows)


def test_depends_on_need_verbs_makers_and_noun_phrases():
    rows = view("Shipyards need vanadium and titanium for hull plates and propeller shafts.", "depends_on")
    assert {r["object"] for r in rows} == {"vanadium", "titanium"} and len({r["subject"] for r in rows}) == 2
    rows = view("Semiconductor makers depend on hafnium.", "depends_on")
    assert {(r["subject"], r["object"]) for r in rows} == {("semiconductors", "hafnium")}
    rows = view("Tin and silver are key metals for lead-free solders.", "depends_on")
    assert {r["object"] for r in rows} == {"tin", "silver"} and all("solder" in r["subject"] for r in rows)
    rows = view("Zirconium is the main material in reactor cladding tubes.", "depends_on")
    assert [r["object"] for r in rows] == ["zirconium"]
    rows = view("Vanadium is used in tool steel and increasingly in flow batteries.", "depends_on")
    assert any("flow batteries" in r["subject"] for r in rows) and "tool steel" in {r["subject"] for r in rows}
    rows = view("Terbium is vital for the phosphors in energy-saving lamps.", "depends_on")
    assert {r["subject"] for r in rows} == {"phosphors"}


def test_share_in_a_relative_clause():
    [row] = view("Most of the ore goes to Japan, which refines about 45% of global indium.", "production_share")
    assert (row["subject"], row["object"], row["stage"], row["share"]) == ("Japan", "indium", "refining", 45)
