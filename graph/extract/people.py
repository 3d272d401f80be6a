"""People, their roles and organisations, as news text introduces them.

Patterns (role words, organisation cues from rules/lexicon.json):
- appositive: "Arthur Kroeber, research director of consultancy Gavekal Dragonomics, said" and
  "Jane Doe, the agency's deputy head for X" (the organisation named earlier);
- pre-modifier: "Acme Metals chief executive officer and chairman Jane Doe";
- title: "Vice Premier of the State Council He Lifeng";
- ministers: "the Peruvian minister of energy and mines, Hanako Sato",
  "the Chinese commerce minister, Li Wei", "Mines Minister Tendai Moyo": the
  organisation is the ministry of that portfolio in that country (the demonym's, else the
  article's country), linked to the gazetteer or created.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from graph.extract.gazetteer import Entry, norm
from graph.extract.lexicon import lexicon
from graph.extract.linking import body_entry, department_entry, ministry_entry, new_entry
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


PARTICLES = frozenset(lexicon()["name_particles"])


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def _name_at(doc, i: int, limit: int, covered: dict, stop: set, roles: set, starts: frozenset = frozenset()) -> int:
    """End of a 2-3 word personal name starting at token i, or i when there is none."""
    j = i
    particles = PARTICLES
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
        if _INITIALS.fullmatch(text) and j + 1 < limit and doc[j + 1].text[:1].isupper():
            j += 1  # 'V.L. Kantha Rao', 'Jerome H. Powell'
            extra += 1
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


@dataclass
class _Finder:
    """What the people rules share while reading one article: its tokens, the words that end a name, what
    is already a mention, and the affiliations found so far (one per person and organisation)."""

    analysis: object
    stop: set
    roles: set
    covered: dict
    starts: frozenset
    out: list = field(default_factory=list)
    derived: list = field(default_factory=list)
    seen: set = field(default_factory=set)
    texts: list = field(default_factory=list)  # each token's text, read once: the rules scan every token
    lowers: list = field(default_factory=list)  # each token in lower case

    def __post_init__(self):
        self.texts = [t.text for t in self.doc]
        self.lowers = [t.lower_ for t in self.doc]

    @property
    def doc(self):
        return self.analysis.doc

    def name_at(self, i: int, limit: int) -> int:
        """End of the personal name at token i (see _name_at). Asked at every token of every sentence; a
        name starts with a capital, so any other token answers i without building its Token object."""
        if i >= limit or not self.texts[i][:1].isupper():
            return i
        return _name_at(self.doc, i, limit, self.covered, self.stop, self.roles, self.starts)

    def add(self, person_label, org, role, sent, rule, conf):
        key = (norm(person_label), org.iri)
        if key in self.seen or not org:
            return
        self.seen.add(key)
        if role:
            role = re.sub(r"^(?:a|an|the)\s+", "", role.strip(" ,"), flags=re.I)
        self.out.append(Affiliation(_person(person_label), org, role or None, sent, rule, conf))

    def add_ministry(self, person_label, portfolio, country, role, sent, conf, span, span_conf):
        """A minister: the ministry of that portfolio in that country, also a mention of the ministry."""
        org = ministry_entry(self.analysis.gaz, portfolio, country)
        self.add(person_label, org, role, sent, "person_minister", conf)
        self.derived.append(Mention(span[0], span[1], org, "derived", span_conf))


def find_affiliations(analysis):
    """(affiliations, derived organisation mentions) of an analysed article."""
    lex = lexicon()
    covered = {}
    for m in analysis.mentions:
        for k in range(m.start, m.end):
            covered[k] = m
    f = _Finder(analysis, set(lex["not_name_words"]), set(lex["role_words"]), covered,
                frozenset(s.start for s in analysis.sentences))
    for sent in analysis.sentences:
        sent_orgs = [m for m in sent.mentions if m.entry.type == "Organization"]
        _appositives(f, sent, sent_orgs)
        _premodifiers(f, sent, sent_orgs)
        _possessive_roles(f, sent, sent_orgs)
        _titles(f, sent, sent_orgs)
        _ministers(f, sent)
        _body_titles(f, sent)
    return f.out, f.derived


def _appositives(f, sent, sent_orgs):
    """Name , role (at|of|with) [descriptor] Org ('Name is a role at Org' too); and the variants in
    APPOSITIONS, tried first."""
    doc = f.doc
    for i in range(sent.start, sent.end):
        end = f.name_at(i, sent.end)
        if end == i or end >= sent.end or (doc[end].text != "," and not (
                doc[end].lower_ in ("is", "was") and end + 1 < sent.end and doc[end + 1].lower_ in ("a", "an", "the"))):
            continue
        if i > sent.start and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ not in f.stop \
                and (i - 1) not in f.covered:
            continue
        name = doc[i:end].text
        k = end + 1
        if doc[end].text == "," and any(phrasing(f, sent, name, k) for phrasing in APPOSITIONS):
            continue
        if doc[end].text == "," and _apposition_who(f, sent, sent_orgs, name, k):
            continue
        _apposition_role_at(f, sent, sent_orgs, name, k)


_WHO_VERBS = frozenset({"heads", "headed", "leads", "led", "runs", "ran", "manages", "managed", "oversees",
                        "oversaw", "chairs", "chaired", "directs", "directed", "works", "worked"})


def _apposition_who(f, sent, sent_orgs, name, k) -> bool:
    """"Name, who heads the metals team at Org," / "Name, who runs Org,": the organisation the relative
    clause names, with the clause as the role."""
    doc = f.doc
    if not (k + 1 < sent.end and doc[k].lower_ == "who" and doc[k + 1].lower_ in _WHO_VERBS):
        return False
    stop = next((x for x in range(k + 2, min(sent.end, k + 16)) if doc[x].text in (",", ";", ".")), sent.end)
    org_m = next((m for m in sent_orgs if k + 2 <= m.start < stop), None)
    if org_m is None:
        return False
    role = doc[k + 1:org_m.start].text.strip()
    role = re.sub(r"\s+(?:at|of|for|with)$", "", role) if org_m.start > k + 2 else doc[k + 1].text
    f.add(name, org_m.entry, role, sent, "person_apposition_who", 0.8)
    return True


def _apposition_possessive(f, sent, name, k) -> bool:
    """"Name, the agency's deputy head for ...": the organisation named earlier with that word."""
    doc = f.doc
    if not (k + 2 < sent.end and doc[k].lower_ == "the" and doc[k + 2].text in ("'s", "’s")):
        return False
    org = _org_by_word(f.analysis, doc[k + 1].lower_, k)
    role_end = k + 3
    while role_end < sent.end and doc[role_end].text not in (",", ".", ";", '"', "“", "”"):
        role_end += 1
    role = doc[k + 3:role_end].text
    if org and any(w.lower() in f.roles for w in role.split()):
        f.add(name, org, role, sent, "person_apposition_possessive", 0.8)
    return True


def _apposition_the_minister(f, sent, name, k) -> bool:
    """"Name, the trade minister": the ministry of that portfolio in the article's state."""
    doc, main = f.doc, f.analysis.main_country
    if not (k + 2 < sent.end and doc[k].lower_ == "the" and main is not None):
        return False
    q = k + 1
    while q < sent.end and doc[q].is_lower and doc[q].is_alpha and doc[q].lower_ not in f.stop \
            and doc[q].lower_ not in f.roles and q - k <= 3:
        q += 1
    if q > k + 1 and q < sent.end and doc[q].lower_ == "minister" and \
            (q + 1 >= sent.end or doc[q + 1].text in (",", ".", ";") or doc[q + 1].lower_ in ("at", "in", "on")):
        f.add_ministry(name, doc[k + 1:q].text, main, doc[k + 1:q + 1].text, sent, 0.7, (k + 1, q + 1), 0.65)
        return True
    return False


def _apposition_minister_of(f, sent, name, k) -> bool:
    """"Name, deputy minister of industry and trade": the ministry of that portfolio."""
    doc = f.doc
    q = k
    while q < sent.end and doc[q].is_lower and doc[q].lower_ in f.roles and doc[q].lower_ != "minister":
        q += 1
    if not (q + 2 < sent.end and doc[q].lower_ == "minister" and doc[q + 1].lower_ == "of"):
        return False
    r = q + 2
    while r < sent.end and (doc[r].is_lower or doc[r].text == ",") and r - q < 10 and \
            not (doc[r].text == "," and (r + 1 >= sent.end or not doc[r + 1].is_lower)):
        r += 1
    portfolio = doc[q + 2:r].text.strip(" ,")
    if portfolio and all(w.isalpha() or w == "," for w in portfolio.replace(",", " , ").split()):
        f.add_ministry(name, portfolio, f.analysis.main_country, doc[k:r].text, sent, 0.7, (q, r), 0.65)
        return True
    return False


def _apposition_role_at(f, sent, sent_orgs, name, k):
    """"Arthur Kroeber, research director of consultancy Gavekal Dragonomics": role words, a preposition,
    lower-case descriptors, the organisation."""
    doc = f.doc
    org_m = next((m for m in sent_orgs if m.start > k), None)
    if org_m is None:
        return
    stretch = doc[k:org_m.start]
    if any(t.text in (";", ".") for t in stretch) or len(stretch) > 14:
        return
    # walk back from the organisation over lower-case descriptors to the preposition
    p = org_m.start - 1
    while p >= k and doc[p].text.islower() and doc[p].lower_ not in ("at", "of", "with", "for", "from"):
        p -= 1
    if p < k or doc[p].lower_ not in ("at", "of", "with", "for", "from"):
        return
    role = doc[k:p].text
    if not role or not any(w.lower().strip(",") in f.roles for w in role.split()):
        return
    if "," in role:
        return
    f.add(name, org_m.entry, role, sent, "person_apposition", 0.85)


APPOSITIONS = (_apposition_possessive, _apposition_the_minister, _apposition_minister_of)
"""Appositive variants tried in order after 'Name,'; the first that applies ends the search."""


def _premodifiers(f, sent, sent_orgs):
    """Org role-words Name: "Acme Metals chief executive officer and chairman Jane Doe"; an office named by
    its title: "U.S. Trade Representative Jane Doe"."""
    doc = f.doc
    for m in sent_orgs:
        k = m.end
        while k < sent.end and (doc[k].lower_ in f.roles and (doc[k].text.islower() or doc[k].text.isupper())
                                or doc[k].text.islower() and doc[k].lower_ in ("and", "of", "&")):
            k += 1  # "Acme Metals chief executive Jane Doe", "Acme Metals CEO Jane Doe"
        titled = k == m.end and doc[m.end - 1].lower_ in f.roles  # 'U.S. Trade Representative Jane Doe'
        if not titled and (k == m.end or not any(doc[x].lower_ in f.roles for x in range(m.end, k))):
            continue
        end = f.name_at(k, sent.end)
        if end - k >= (2 if titled else 1):
            role = doc[m.end - 1].text.lower() if titled else doc[m.end:k].text
            f.add(doc[k:end].text, m.entry, role, sent, "person_premodifier", 0.8)


def _possessive_roles(f, sent, sent_orgs):
    """"Glencore's head of cobalt trading, Tom Green, ...": the organisation's role, then the name set off
    by commas."""
    doc = f.doc
    for m in sent_orgs:
        k = m.end
        if k >= sent.end or doc[k].text not in ("'s", "’s"):
            continue
        r = k + 1
        while r < sent.end and doc[r].text != "," and r - k <= 8 and (doc[r].is_lower or doc[r].text.isupper()):
            r += 1
        role = doc[k + 1:r]
        if r >= sent.end or doc[r].text != "," or not any(t.lower_ in f.roles for t in role):
            continue
        end = f.name_at(r + 1, sent.end)
        if end - (r + 1) >= 2 and end < sent.end and doc[end].text == ",":
            f.add(doc[r + 1:end].text, m.entry, role.text, sent, "person_possessive_role", 0.8)


def _titles(f, sent, sent_orgs):
    """Role of (the) Org Name: "Vice Premier of the State Council He Lifeng"."""
    doc = f.doc
    for m in sent_orgs:
        p = m.start - 1
        if p >= sent.start and doc[p].lower_ == "the":
            p -= 1
        if p < sent.start or doc[p].lower_ != "of":
            continue
        r = p
        while r - 1 >= sent.start and doc[r - 1].text[:1].isupper() and doc[r - 1].lower_ in f.roles:
            r -= 1
        if r == p:
            continue
        end = f.name_at(m.end, sent.end)
        if end > m.end:
            f.add(doc[m.end:end].text, m.entry, doc[r:p].text, sent, "person_title", 0.8)


def _ministers(f, sent):
    """"Mines Minister Tendai Moyo", "minister of economy, trade and industry, Hanako Sato",
    "the Chinese commerce minister, Li Wei": the ministry of the demonym's state, else the article's."""
    doc, gaz, texts, lowers = f.doc, f.analysis.gaz, f.texts, f.lowers
    for i in range(sent.start, sent.end):
        if texts[i] == "Secretary":
            _secretary_titled(f, sent, i)
            continue
        if lowers[i] != "minister" or (i > sent.start and lowers[i - 1] in ("prime", "deputy-prime")):
            continue
        if texts[i] == "Minister":
            _minister_titled(f, sent, i)
            continue
        found = _minister_of(f, sent, i) if i + 1 < sent.end and doc[i + 1].lower_ == "of" \
            else _minister_comma(f, sent, i)
        if found is None:
            continue
        name_start, name_end, portfolio, role_start, head, k = found
        country = None
        if head >= sent.start and doc[head].lower_ in gaz.demonym_index:
            country = gaz.get(gaz.demonym_index[doc[head].lower_])
        f.add_ministry(doc[name_start:name_end].text, portfolio, country or f.analysis.main_country,
                       doc[role_start:k].text, sent, 0.75, (role_start, k), 0.7)


def _body_titles(f, sent):
    """"Senator Jane Roe", "Treasurer Jim Chalmers": a capitalised title right before a name gives the
    body of the state named before the title (a demonym) or the article's."""
    doc, gaz, titles = f.doc, f.analysis.gaz, lexicon()["body_titles"]
    texts, lowers = f.texts, f.lowers
    for i in range(sent.start, sent.end - 1):
        body = titles.get(lowers[i]) if texts[i][:1].isupper() and not lowers[i].startswith("_") else None
        if body is None or i in f.covered:
            continue
        end = f.name_at(i + 1, sent.end)
        if end - (i + 1) < 2:
            continue  # a person's full name, not 'Senator Smith' nor a title in a heading
        before = doc[i - 1].lower_ if i > sent.start else ""
        country = gaz.get(gaz.demonym_index[before]) if before in gaz.demonym_index else f.analysis.main_country
        org = body_entry(gaz, body, country)
        f.add(doc[i + 1:end].text, org, doc[i].text, sent, "person_body_title", 0.75)


def _minister_titled(f, sent, i):
    """"Mines Minister Tendai Moyo": capitalised portfolio words, the title, the name."""
    doc, gaz = f.doc, f.analysis.gaz
    q = _portfolio_start(f, sent, i)
    if q == i:
        return
    country = _title_state(f, sent, q)
    if country is None and q - 1 >= sent.start and doc[q - 1].lower_ in gaz.demonym_index:
        country = gaz.get(gaz.demonym_index[doc[q - 1].lower_])
    end = f.name_at(i + 1, sent.end)
    if end == i + 1:
        return
    f.add_ministry(doc[i + 1:end].text, doc[q:i].text, country or f.analysis.main_country, doc[q:i + 1].text, sent,
                   0.75, (q, i + 1), 0.7)


def _portfolio_start(f, sent, i: int) -> int:
    """Where the capitalised portfolio words before a title start ('Trade Minister': 'Trade' is a
    portfolio here, though not a name word elsewhere; 'Energy Minister': an industry named as a portfolio)."""
    doc, stop = f.doc, f.stop - set(lexicon()["portfolio_words"])
    q = i
    while q - 1 >= sent.start and doc[q - 1].text[:1].isupper() and doc[q - 1].lower_ not in stop \
            and (q - 1 not in f.covered or f.covered[q - 1].entry.type == "Industry"):
        q -= 1
    return q


def _title_state(f, sent, q: int):
    """"Chile's Trade Minister": the state whose possessive comes right before the title."""
    doc = f.doc
    if q - 2 < sent.start or doc[q - 1].text not in ("'s", "’s"):
        return None
    owner = f.covered.get(q - 2)
    return owner.entry if owner is not None and owner.entry.type == "Country" else None


def _secretary_titled(f, sent, i):
    """"US Commerce Secretary Jane Roe": the department of that portfolio in the state named before it
    (or the article's); not "Secretary-General", "Press Secretary" and other titles without a portfolio."""
    doc = f.doc
    q = _portfolio_start(f, sent, i)
    if q == i or doc[q:i].text.lower() in lexicon()["secretary_not_portfolios"]:
        return
    owner = f.covered.get(q - 1) if q - 1 >= sent.start else None
    country = owner.entry if owner is not None and owner.entry.type == "Country" else \
        _title_state(f, sent, q) or f.analysis.main_country
    end = f.name_at(i + 1, sent.end)
    if end == i + 1:
        return
    if country is not None and country.label not in lexicon()["department_states"]:
        org = ministry_entry(f.analysis.gaz, doc[q:i].text, country)  # India's Mines Secretary serves a ministry
    else:
        org = department_entry(f.analysis.gaz, doc[q:i].text, country)
    f.add(doc[i + 1:end].text, org, doc[q:i + 1].text, sent, "person_secretary", 0.75)
    f.derived.append(Mention(q, i + 1, org, "derived", 0.7))


def _minister_of(f, sent, i):
    """"minister of economy, trade and industry, Hanako Sato,": (name start, name end, portfolio, role
    start, the token before the role, role end) or None."""
    doc = f.doc
    k = i + 2
    name_start = name_end = None
    while k < min(sent.end, i + 12):
        if doc[k].text == ",":
            e = f.name_at(k + 1, sent.end)
            if e > k + 1 and (e >= sent.end or doc[e].text in (",", ".") or doc[e].lower_ in ("said", "says", "stated")):
                name_start, name_end = k + 1, e
                break
        if not doc[k].text.islower() and doc[k].text != ",":
            break
        k += 1
    if name_start is None:
        return None
    return name_start, name_end, doc[i + 2:k].text, i, i - 1, k


def _minister_comma(f, sent, i):
    """"commerce minister, Li Wei": as _minister_of."""
    doc = f.doc
    q = i
    while q - 1 >= sent.start and doc[q - 1].text.islower() and doc[q - 1].lower_ not in f.stop \
            and doc[q - 1].lower_ not in f.roles:
        q -= 1
    if q == i or i + 1 >= sent.end or doc[i + 1].text != ",":
        return None
    name_start = i + 2
    name_end = f.name_at(name_start, sent.end)
    if name_end == name_start:
        return None
    return name_start, name_end, doc[q:i].text, q, q - 1, i + 1
