"""People, their roles and organisations, as news text introduces them.

Patterns (role words, organisation cues from rules/lexicon.json):
- appositive: "Arthur Kroeber, research director of consultancy Gavekal Dragonomics, said" and
  "Jane Doe, the commission's vice president for X" (the organisation named earlier);
- pre-modifier: "Lynas chief executive officer and managing director Amanda Lacaze";
- title: "Vice Premier of the State Council He Lifeng";
- ministers: "the Japanese minister of economy, trade and industry, Akihiro Ohata",
  "the Chinese commerce minister, Chen Deming", "Mines Minister Winston Chitando": the
  organisation is the ministry of that portfolio in that country (the demonym's, else the
  article's country), linked to the gazetteer or created.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from graph.extract.gazetteer import Entry, lexicon, norm
from graph.extract.linking import ministry_entry, new_entry
from graph.extract.model import Mention


PRONOUNS = set(lexicon()["pronouns"])


@dataclass
class Affiliation:
    person: Entry
    org: Entry
    role: str | None
    sentence: object  # model.Sentence
    rule: str
    confidence: float


_PARTICLES: set = set()


def _name_at(doc, i: int, limit: int, covered: dict, stop: set, roles: set, starts: frozenset = frozenset()) -> int:
    """End of a 2-3 word personal name starting at token i, or i when there is none."""
    j = i
    particles = _PARTICLES or _PARTICLES.update(lexicon()["name_particles"]) or _PARTICLES
    extra = 0
    while j < min(limit, i + 3 + extra):
        t = doc[j]
        text = t.text
        if j > i and text in particles and extra == 0:
            e = j
            while e < min(limit, j + 2) and doc[e].text in particles:
                e += 1
            if e < limit and doc[e].text[:1].isupper() and doc[e].text.isalpha() and e not in covered:
                extra = e - j  # "Sigrid de Vries", "Ursula von der Leyen"
                j = e
                continue
        if not (text[:1].isupper() and text.replace("-", "").replace("'", "").isalpha()) or text.isupper() and len(text) > 1:
            break
        if (t.lower_ in stop and not (t.lower_ in PRONOUNS and j not in starts and j > 0 and t.text[0].isupper())) \
                or t.lower_ in roles or j in covered:
            break
        j += 1
    return j if j - i >= 2 else i


def _org_by_word(analysis, word: str, before: int):
    """'the commission' / 'the company': the latest organisation named before whose name has that word."""
    best = None
    for m in analysis.mentions:
        if m.entry.type == "Organization" and m.start < before and word in norm(m.entry.label).split():
            best = m
    if best is None and word in ("company", "firm", "group"):
        for m in analysis.mentions:
            if m.entry.type == "Organization" and m.start < before and m.entry.cls == "Company":
                best = m
    return best.entry if best else None


def _person(label: str) -> Entry:
    return new_entry("person", label, "Person", "Person")


def find_affiliations(analysis):
    """(affiliations, derived organisation mentions) of an analysed article."""
    lex = lexicon()
    doc, gaz = analysis.doc, analysis.gaz
    stop = set(lex["not_name_words"])
    roles = set(lex["role_words"])
    covered = {}
    for m in analysis.mentions:
        for k in range(m.start, m.end):
            covered[k] = m
    orgs = [m for m in analysis.mentions if m.entry.type == "Organization"]
    starts = frozenset(s.start for s in analysis.sentences)
    out: list[Affiliation] = []
    derived: list = []
    seen = set()

    def add(person_label, org, role, sent, rule, conf):
        key = (norm(person_label), org.iri)
        if key in seen or not org:
            return
        seen.add(key)
        if role:
            role = re.sub(r"^(?:a|an|the)\s+", "", role.strip(" ,"), flags=re.I)
        out.append(Affiliation(_person(person_label), org, role or None, sent, rule, conf))

    for sent in analysis.sentences:
        toks = range(sent.start, sent.end)
        sent_orgs = [m for m in sent.mentions if m.entry.type == "Organization"]
        # appositive: Name , role (at|of|with) [descriptor] Org
        for i in toks:
            end = _name_at(doc, i, sent.end, covered, stop, roles, starts)
            if end == i or end >= sent.end or doc[end].text != ",":
                continue
            if i > sent.start and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ not in stop and (i - 1) not in covered:
                continue
            name = doc[i:end].text
            k = end + 1
            # "Name, the commission's vice president for ..."
            if k + 2 < sent.end and doc[k].lower_ == "the" and doc[k + 2].text in ("'s", "’s"):
                org = _org_by_word(analysis, doc[k + 1].lower_, k)
                role_end = k + 3
                while role_end < sent.end and doc[role_end].text not in (",", ".", ";", '"', "“", "”"):
                    role_end += 1
                role = doc[k + 3:role_end].text
                if org and any(w.lower() in roles for w in role.split()):
                    add(name, org, role, sent, "person_apposition_possessive", 0.8)
                continue
            # "Name, the trade minister": the ministry of that portfolio in the article's state
            if k + 2 < sent.end and doc[k].lower_ == "the" and analysis.main_country is not None:
                q = k + 1
                while q < sent.end and doc[q].is_lower and doc[q].is_alpha and doc[q].lower_ not in stop \
                        and doc[q].lower_ not in roles and q - k <= 3:
                    q += 1
                if q > k + 1 and q < sent.end and doc[q].lower_ == "minister" and \
                        (q + 1 >= sent.end or doc[q + 1].text in (",", ".", ";") or doc[q + 1].lower_ in ("at", "in", "on")):
                    org = ministry_entry(analysis.gaz, doc[k + 1:q].text, analysis.main_country)
                    add(name, org, doc[k + 1:q + 1].text, sent, "person_minister", 0.7)
                    derived.append(Mention(k + 1, q + 1, org, "derived", 0.65))
                    continue
            # "Name, deputy minister of industry and trade": the ministry of that portfolio
            q = k
            while q < sent.end and doc[q].is_lower and doc[q].lower_ in roles and doc[q].lower_ != "minister":
                q += 1
            if q + 2 < sent.end and doc[q].lower_ == "minister" and doc[q + 1].lower_ == "of":
                r = q + 2
                while r < sent.end and (doc[r].is_lower or doc[r].text == ",") and r - q < 10 and \
                        not (doc[r].text == "," and (r + 1 >= sent.end or not doc[r + 1].is_lower)):
                    r += 1
                portfolio = doc[q + 2:r].text.strip(" ,")
                if portfolio and all(w.isalpha() or w == "," for w in portfolio.replace(",", " , ").split()):
                    org = ministry_entry(analysis.gaz, portfolio, analysis.main_country)
                    add(name, org, doc[k:r].text, sent, "person_minister", 0.7)
                    derived.append(Mention(q, r, org, "derived", 0.65))
                    continue
            org_m = next((m for m in sent_orgs if m.start > k), None)
            if org_m is None:
                continue
            stretch = doc[k:org_m.start]
            if any(t.text in (";", ".") for t in stretch) or len(stretch) > 14:
                continue
            # walk back from the organisation over lower-case descriptors to the preposition
            p = org_m.start - 1
            while p >= k and doc[p].text.islower() and doc[p].lower_ not in ("at", "of", "with", "for", "from"):
                p -= 1
            if p < k or doc[p].lower_ not in ("at", "of", "with", "for", "from"):
                continue
            role = doc[k:p].text
            if not role or not any(w.lower().strip(",") in roles for w in role.split()):
                continue
            if "," in role:
                continue
            add(name, org_m.entry, role, sent, "person_apposition", 0.85)
        # pre-modifier: Org role-words Name
        for m in sent_orgs:
            k = m.end
            while k < sent.end and (doc[k].text.islower() and (doc[k].lower_ in roles or doc[k].lower_ in ("and", "of", "&"))):
                k += 1
            if k == m.end or not any(doc[x].lower_ in roles for x in range(m.end, k)):
                continue
            end = _name_at(doc, k, sent.end, covered, stop, roles, starts)
            if end > k:
                add(doc[k:end].text, m.entry, doc[m.end:k].text, sent, "person_premodifier", 0.8)
        # title: Role of (the) Org Name
        for m in sent_orgs:
            p = m.start - 1
            if p >= sent.start and doc[p].lower_ == "the":
                p -= 1
            if p < sent.start or doc[p].lower_ != "of":
                continue
            r = p
            while r - 1 >= sent.start and doc[r - 1].text[:1].isupper() and doc[r - 1].lower_ in roles:
                r -= 1
            if r == p:
                continue
            end = _name_at(doc, m.end, sent.end, covered, stop, roles, starts)
            if end > m.end:
                add(doc[m.end:end].text, m.entry, doc[r:p].text, sent, "person_title", 0.8)
        # ministers
        for i in toks:
            if doc[i].lower_ != "minister" or (i > sent.start and doc[i - 1].lower_ in ("prime", "deputy-prime")):
                continue
            country = None
            if doc[i].text == "Minister":
                # "Mines Minister Winston Chitando"
                q = i
                while q - 1 >= sent.start and doc[q - 1].text[:1].isupper() and doc[q - 1].lower_ not in stop \
                        and (q - 1) not in covered:
                    q -= 1
                if q == i:
                    continue
                if q - 1 >= sent.start and doc[q - 1].lower_ in gaz.demonym_index:
                    country = gaz.get(gaz.demonym_index[doc[q - 1].lower_])
                end = _name_at(doc, i + 1, sent.end, covered, stop, roles, starts)
                if end == i + 1:
                    continue
                portfolio = doc[q:i].text
                org = ministry_entry(analysis.gaz, portfolio, country or analysis.main_country)
                add(doc[i + 1:end].text, org, doc[q:i + 1].text, sent, "person_minister", 0.75)
                derived.append(Mention(q, i + 1, org, "derived", 0.7))
                continue
            if i + 1 < sent.end and doc[i + 1].lower_ == "of":
                # "minister of economy, trade and industry, Akihiro Ohata,"
                k = i + 2
                name_start = name_end = None
                while k < min(sent.end, i + 12):
                    if doc[k].text == ",":
                        e = _name_at(doc, k + 1, sent.end, covered, stop, roles, starts)
                        if e > k + 1 and (e >= sent.end or doc[e].text in (",", ".") or doc[e].lower_ in ("said", "says", "stated")):
                            name_start, name_end = k + 1, e
                            break
                    if not doc[k].text.islower() and doc[k].text != ",":
                        break
                    k += 1
                if name_start is None:
                    continue
                portfolio = doc[i + 2:k].text
                role_start = i
                head = i - 1
            else:
                # "commerce minister, Chen Deming"
                q = i
                while q - 1 >= sent.start and doc[q - 1].text.islower() and doc[q - 1].lower_ not in stop \
                        and doc[q - 1].lower_ not in roles:
                    q -= 1
                if q == i or i + 1 >= sent.end or doc[i + 1].text != ",":
                    continue
                name_start = i + 2
                name_end = _name_at(doc, name_start, sent.end, covered, stop, roles, starts)
                if name_end == name_start:
                    continue
                portfolio = doc[q:i].text
                role_start = q
                head = q - 1
                k = i + 1
            if head >= sent.start and doc[head].lower_ in gaz.demonym_index:
                country = gaz.get(gaz.demonym_index[doc[head].lower_])
            org = ministry_entry(analysis.gaz, portfolio, country or analysis.main_country)
            role = doc[role_start:k].text
            add(doc[name_start:name_end].text, org, role, sent, "person_minister", 0.75)
            derived.append(Mention(role_start, k, org, "derived", 0.7))
    return out, derived
