"""Organisations that the gazetteer does not know, found by how news text introduces them.

A run of capitalised words is an organisation when it ends in an organisation word ("... Group",
"... Materials", "... Ministry of X"), when a descriptor introduces it ("consultancy X",
"research firm X", "London-listed X"), when a stock ticker follows it ("X 603799.SS"), when an
appositive describes it ("X, a state-backed research firm"), or when its acronym follows in
parentheses. The name is then linked to the gazetteer (a government body is first tried with the
article's country: "Ministry of Commerce" → "Ministry of Commerce of China"); a name that does not
link becomes a new organisation node. Later short forms ("Lynas" after "Lynas Rare Earths", "SMM"
after "Shanghai Metals Market (SMM)") refer back to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract.dates import MONTHS, WEEKDAYS
from graph.extract.gazetteer import Entry, norm
from graph.extract.lexicon import lexicon
from graph.extract.linking import link, ministry_entry, new_entry
from graph.extract.model import Mention

_TICKER = re.compile(r"^(\d{4,6}\.[A-Z]{2}|[A-Z]{1,5}\.[A-Z]{1,2}|\([A-Z]{1,5}(?:\.[A-Z]{1,2})?\))$")
_CONNECT = {"of", "and", "&", "for", "in", "de", "the", "on"}
_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)  # a capitalised run does not continue into a date


def _is_cap(token) -> bool:
    text = token.text
    if not text or not (text[0].isupper() or (text[0].isdigit() and any(c.isalpha() for c in text) and len(text) <= 4)):
        return False
    return any(c.isalpha() for c in text) and not _TICKER.match(text)


def cap_runs(doc, sent):
    """Maximal runs of capitalised tokens (with inner 'of', 'and', '&', hyphens) in a sentence."""
    i = sent.start
    while i < sent.end:
        if not _is_cap(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < sent.end:
            t = doc[j]
            if _is_cap(t):
                j += 1
            elif t.text == "-" and not doc[j - 1].whitespace_ and j + 1 < sent.end and _is_cap(doc[j + 1]):
                j += 2
            elif t.lower_ in _CONNECT and j + 1 < sent.end and _is_cap(doc[j + 1]) and t.text != "The" \
                    and not (t.lower_ == "the" and doc[j - 1].lower_ not in _CONNECT) \
                    and doc[j + 1].lower_ not in _DATE_WORDS:
                j += 1
            elif t.lower_ in ("of", "for") and j + 2 < sent.end and doc[j + 1].text == "the" and _is_cap(doc[j + 2]):
                j += 2
            elif t.text in ("'", "’") and not doc[j - 1].whitespace_ and doc[j - 1].text.endswith("s") \
                    and j + 1 < sent.end and _is_cap(doc[j + 1]):
                j += 1  # "Manufacturers' Association"
            else:
                break
        yield i, j
        i = j


def _strip(doc, i: int, j: int, lex) -> tuple[int, int]:
    stop = set(lex["org_strip_words"])
    while i < j and (doc[i].lower_ in stop or doc[i].lower_ in _CONNECT):
        i += 1
    while j > i and (doc[j - 1].lower_ in _CONNECT or doc[j - 1].text in ("-",)):
        j -= 1
    return i, j


def _org_class(words: list[str], cue: str | None, lex) -> str:
    """The class of a new organisation node (rules/lexicon.json org_classes)."""
    classes = lex["org_classes"]
    low = [w.lower() for w in words]
    if any(w in classes["government_words"] for w in low):
        return "GovernmentBody"
    if low and low[-1] in classes["media_last_words"]:
        return "MediaOrganization"
    if cue in classes["research_cues"] or any(w in classes["research_words"] for w in low):
        return "ResearchOrganization"
    return "Company"


def _role_cut(doc, i: int, j: int, lex) -> tuple[int, int] | None:
    """Drop a role title or a trailing person name from a run: 'Vice Premier of the State Council He Lifeng'."""
    roles = set(lex["role_words"])
    keywords = set(lex["org_keywords"])
    words = [t.lower_ for t in doc[i:j]]
    # start after the last role word followed by 'of'
    for k in range(len(words) - 1, -1, -1):
        if words[k] in roles and k + 1 < len(words) and words[k + 1] in ("of", "at", "for"):
            i, words = i + k + 2, words[k + 2:]
            break
    while words and words[0] in _CONNECT:
        i, words = i + 1, words[1:]
    suffixes = set(lex["org_suffixes"])
    if any(w in roles for w in words) and not (words and words[-1] in suffixes and len(words) >= 2):
        return None
    # end after the last organisation keyword when 2-3 name-like words trail it
    kw = [k for k, w in enumerate(words) if w in keywords]
    if kw:
        k = kw[-1] + 1
        trail = len(words) - k
        if 2 <= trail <= 3 and words[k] not in _CONNECT:
            return i, i + k  # "State Council He Lifeng": the name after the body is a person
    return i, j


@dataclass(frozen=True)
class _Run:
    """A run of capitalised tokens doc[i:j] that may name an organisation, with the lexicon's word sets."""

    doc: object
    i: int
    j: int
    words: list
    low: list
    lex: dict
    suffixes: frozenset
    keywords: frozenset
    cues_before: frozenset
    cues_after: frozenset


def find_orgs(analysis, known) -> list:
    """Rule-found organisation mentions (Mention objects, how='rule')."""
    lex = lexicon()
    doc = analysis.doc
    sets = {k: frozenset(lex[k]) for k in ("org_suffixes", "org_keywords", "org_cues_before", "org_cues_after")}
    not_last = set(lex["not_org_last"])
    covered = {}
    for m in known:
        for k in range(m.start, m.end):
            covered[k] = m
    found = []
    for sent in analysis.sentences:
        acting = None
        for i, j in _split_after_known(doc, cap_runs(doc, sent), covered, sets["org_suffixes"]):
            span = _name_span(doc, i, j, lex)
            if span is None:
                continue
            i, j = span
            words = [t.text for t in doc[i:j]]
            low = [w.lower() for w in words]
            if low[-1] in not_last or low[-1] in ("'s", "’s"):
                continue
            run = _Run(doc, i, j, words, low, lex, sets["org_suffixes"], sets["org_keywords"],
                       sets["org_cues_before"], sets["org_cues_after"])
            if _already_named(doc, i, j, covered, sets["org_cues_before"]) and \
                    not (len(words) >= 2 and _by_ticker(run) and not _entity_of_its_own(i, j, covered)):
                continue  # 'American Rare Earths (ARR.AX)': a ticker makes states and minerals a company name
            reason, cue = next((rc for rc in (cue_of(run) for cue_of in ORG_CUES) if rc is not None), (None, None))
            if reason is None:
                continue
            if reason in ("cue", "appositive", "ticker", "listed") and len(words) > 5:
                continue
            if acting is None:
                acting = _acting_states(doc, sent, covered)
            state = _sentence_state(acting, i)
            for part in (_list_parts(run) if reason == "example" else [run]):
                mention = _org_mention(analysis, part, cue, state)
                if mention is not None:
                    found.append(mention)
    found += _portfolio_ministries(analysis, covered)
    found += _coordinated_companies(analysis, covered, {k for m in found for k in range(m.start, m.end)})
    return found


def _coordinated_companies(analysis, covered, taken: set) -> list:
    """'Glencore and Trafigura', 'Toyota or Honda': a short capitalised name coordinated with a company
    the gazetteer knows is a company too. Not at the start of a sentence, where every word is capitalised
    (unless the known company follows it), and not a word the lexicon keeps out of names."""
    doc, lex = analysis.doc, lexicon()
    stop = set(lex["org_strip_words"]) | set(lex["role_words"]) | set(lex["pronouns"])
    starts = {s.start for s in analysis.sentences}
    gaz, out, seen = analysis.gaz, [], set()
    for m in {id(m): m for m in covered.values()}.values():
        if m.entry.type != "Organization" or gaz.entries.get(m.entry.iri, m.entry).cls != "Company":
            continue
        for i, j in (_name_after(doc, m.end), _name_before(doc, m.start)):
            if j <= i or (i, j) in seen or any(k in covered or k in taken for k in range(i, j)):
                continue
            words = [t.lower_ for t in doc[i:j]]
            if any(w in stop or w in _DATE_WORDS or w in gaz.demonym_index for w in words):
                continue
            if i in starts and j != m.start - 1:
                continue
            seen.add((i, j))
            label = doc[i:j].text
            hit = link(label, gaz, ("Organization",))
            entry = hit.entry if hit else new_entry("org", label, "Company", "Organization", ())
            out.append(Mention(i, j, entry, "rule", 0.6))
    return out


def _name_after(doc, k: int) -> tuple[int, int]:
    """The capitalised words after 'and'/'or' at k: (start, end), empty when there are none or more than three."""
    if k + 1 >= len(doc) or doc[k].lower_ not in ("and", "or"):
        return (0, 0)
    j = k + 1
    while j < len(doc) and j - k <= 3 and _is_cap(doc[j]) and doc[j].is_alpha:
        j += 1
    if j == k + 1 or j - k > 3 or (j < len(doc) and _is_cap(doc[j])):
        return (0, 0)
    return (k + 1, j)


def _name_before(doc, k: int) -> tuple[int, int]:
    """The capitalised words before 'and'/'or' right before k."""
    if k - 2 < 0 or doc[k - 1].lower_ not in ("and", "or"):
        return (0, 0)
    i = k - 1
    while i - 1 >= 0 and k - 1 - i < 3 and _is_cap(doc[i - 1]) and doc[i - 1].is_alpha:
        i -= 1
    if i == k - 1 or (i - 1 >= 0 and _is_cap(doc[i - 1])):
        return (0, 0)
    return (i, k - 1)


def _split_after_known(doc, runs, covered: dict, suffixes):
    """'Glencore and Eurasian Resources Group', 'Shin-Etsu Chemical and Nippon Steel', 'Bank of America and
    Morgan Stanley': a run that opens with a whole known name or a name ending in an organisation word,
    or closes with a known name, joined by 'and' to more capitalised words is two runs."""
    for i, j in runs:
        m, last = covered.get(i), covered.get(j - 1)
        cut = m.end if m is not None and m.start == i and m.entry.type in ("Organization", "Country") else next(
            (k for k in range(i + 2, j - 1) if doc[k].lower_ == "and" and doc[k - 1].lower_ in suffixes), None)
        if cut is None and last is not None and last.entry.type == "Organization" and last.end == j \
                and last.start - 1 > i:
            cut = last.start - 1  # 'Bank of America and Morgan Stanley': a known name closes the run
        if cut is not None and cut + 1 < j and doc[cut].lower_ == "and":
            yield i, cut
            yield cut + 1, j
        else:
            yield i, j


def _list_parts(r: _Run) -> list:
    """'Bajaj Auto and Maruti Suzuki' given as examples: one run per name."""
    parts, start = [], r.i
    for k in range(r.i, r.j + 1):
        if k == r.j or r.doc[k].lower_ in ("and", ","):
            if k > start:
                parts.append(_Run(r.doc, start, k, [t.text for t in r.doc[start:k]], [t.lower_ for t in r.doc[start:k]],
                                  r.lex, r.suffixes, r.keywords, r.cues_before, r.cues_after))
            start = k + 1
    return parts


def _name_span(doc, i: int, j: int, lex):
    """The run without leading articles and trailing connectors, role titles or a person's name; None if
    nothing is left."""
    i, j = _strip(doc, i, j, lex)
    if j <= i:
        return None
    cut = _role_cut(doc, i, j, lex)
    if cut is None:
        return None
    i, j = cut
    return (i, j) if j > i else None


def _entity_of_its_own(i: int, j: int, covered: dict) -> bool:
    return i in covered and covered[i].start == i and (covered[i].end == j or covered[i].entry.type == "Organization")


def _already_named(doc, i: int, j: int, covered: dict, cues_before) -> bool:
    """Already a gazetteer entity of its own (a country, a known organisation), or only states and minerals
    without a cue word before them."""
    if _entity_of_its_own(i, j, covered):
        return True
    if all(k in covered and covered[k].entry.type in ("Country", "Mineral") for k in range(i, j)):
        if not (i > 0 and doc[i - 1].lower_ in cues_before):
            return True
    return False


def _by_suffix(r: _Run):
    """'... Group', '... Rare Earths Ltd': an organisation word ends the name."""
    if len(r.words) >= 2 and (r.low[-1] in r.suffixes or " ".join(r.low[-2:]) in r.suffixes):
        return "suffix", None
    return None


def _by_keyword(r: _Run):
    """'Ministry of ...', '... Commission': an organisation keyword inside the name."""
    return ("keyword", None) if any(w in r.keywords for w in r.low) else None


def _by_cue_before(r: _Run):
    """'consultancy X', 'research firm X': a descriptor introduces the name."""
    doc, i = r.doc, r.i
    prev = doc[i - 1].lower_ if i > 0 else ""
    prev2 = " ".join(t.lower_ for t in doc[max(0, i - 2):i])
    return ("cue", prev) if prev in r.cues_before or prev2 in r.cues_before else None


def _by_example(r: _Run):
    """'carmakers, including Bajaj Auto and Maruti Suzuki': names given as examples of firms (a plural
    of an organisation cue word before 'including' / 'such as'), and the names listed after the first."""
    doc, k = r.doc, r.i - 1
    while k >= 0 and doc[k].lower_ in (",", "and", "or") or (k >= 0 and _is_cap(doc[k]) and k >= r.i - 8):
        k -= 1
    words = [doc[x].lower_ for x in range(max(0, k - 3), k + 1)]
    if not words or words[-1] not in ("including", "as", "like"):
        return None
    if words[-1] == "as" and (len(words) < 2 or words[-2] != "such"):
        return None
    before = words[:-2] if words[-1] == "as" else words[:-1]
    plural = [w[:-1] for w in before if w.endswith("s")]
    return ("example", None) if any(p in r.cues_before for p in plural) else None


def _by_listed(r: _Run):
    """'London-listed X', 'Perth-based X'."""
    doc, i = r.doc, r.i
    if i >= 2 and doc[i - 1].lower_ in {w.lstrip("-") for w in r.lex["org_cues_listed"]} and doc[i - 2].text == "-":
        return "listed", None
    return None


def _by_ticker(r: _Run):
    """'X 603799.SS', 'X (LYC.AX)': a stock ticker follows the name."""
    doc, j = r.doc, r.j
    nxt = doc[j].text if j < len(doc) else ""
    if _TICKER.match(nxt) or (nxt == "(" and j + 2 < len(doc) and _TICKER.match(doc[j + 1].text + "")):
        return "ticker", None
    return None


def _by_appositive(r: _Run):
    """'X, a state-backed research firm': an appositive describes the name."""
    doc, j = r.doc, r.j
    if not (j < len(doc) and doc[j].text == "," and j + 1 < len(doc) and doc[j + 1].lower_ in ("a", "an", "the")):
        return None
    k = j + 2
    roles = r.lex["role_words"]
    while k < min(j + 7, len(doc)) and doc[k].text not in (",", "."):
        if doc[k].lower_ in roles:
            return None  # 'Ana Silva, a director at consultancy X': a person's role, not a firm's description
        if doc[k].lower_ in r.cues_after:
            return "appositive", doc[k].lower_
        k += 1
    return None


def _by_acronym(r: _Run):
    """'Shanghai Metals Market (SMM)': its acronym follows in parentheses."""
    doc, j = r.doc, r.j
    if j < len(doc) and doc[j].text == "(" and j + 2 < len(doc) and doc[j + 2].text == ")" and len(r.words) >= 2:
        acronym = doc[j + 1].text
        initials = "".join(w[0] for w in r.words if w.lower() not in _CONNECT and w[0].isalpha())
        if acronym.isupper() and acronym.lower() == initials.lower():
            return "acronym", None
    return None


ORG_CUES = (_by_suffix, _by_keyword, _by_cue_before, _by_listed, _by_ticker, _by_appositive, _by_acronym,
            _by_example)
"""How news text introduces an organisation, tried in this order; the first that applies gives the reason."""


def _acting_states(doc, sent, covered: dict) -> list:
    """(start, state) of each state a sentence names as an actor, not as a place or partner ('from the
    British government', 'in London'); read once per sentence."""
    seen, out = set(), []
    for k in range(sent.start, sent.end):
        m = covered.get(k)
        if m is None or m.entry.type != "Country" or id(m) in seen:
            continue
        seen.add(id(m))
        p = m.start - 1
        while p >= sent.start and doc[p].lower_ in ("the", "a"):
            p -= 1
        if p < sent.start or doc[p].lower_ not in ("in", "at", "to", "from", "with", "of", "for", "by", "on"):
            out.append((m.start, m.entry))
    return out


def _sentence_state(acting: list, before: int):
    """The one state acting before a body ('Beijing added tungsten ... licences from the Ministry of
    Commerce'), or None when none or several do."""
    states = {e.iri: e for start, e in acting if start < before}
    return next(iter(states.values())) if len(states) == 1 else None


def _org_mention(analysis, r: _Run, cue, state=None):
    """The run linked to the gazetteer (a government body first with the state its sentence names, else
    the article's country), else a new organisation node; None when the run is no name."""
    doc, gaz, words, low = r.doc, analysis.gaz, r.words, r.low
    label = _label(words, r.lex)
    if not label or norm(label) in ("", "the"):
        return None
    if len(words) == 1 and low[0] in r.keywords:
        return None  # "the Commission" alone: left to coreference
    country = state or analysis.main_country  # the state a government body without one belongs to
    found_link = link(label, gaz, ("Organization",), country=country)
    if found_link:
        return Mention(r.i, r.j, found_link.entry, "rule", 0.85 * found_link.score)
    cls = _org_class(words, cue, r.lex)
    alt = []
    if cls == "GovernmentBody" and country is not None and not _names_polity(label, gaz) \
            and low[0] in ("ministry", "department", "state", "general", "national", "office"):
        alt.append(label)
        label = f"{label} of {country.label}"
    j = r.j
    if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")" and doc[j + 1].text.isupper():
        alt.append(doc[j + 1].text)
    return Mention(r.i, r.j, new_entry("org", label, cls, "Organization", tuple(alt)), "rule", 0.75)


def _portfolio_ministries(analysis, covered) -> list:
    """'the commerce ministry said', 'the country's energy ministry': a ministry named by its portfolio in
    lower case belongs to the state of the article (or the state named before it)."""
    doc = analysis.doc
    lex = lexicon()
    stop = set(lex["pronouns"]) | set(lex["role_words"]) | set(lex["np_stop_words"]) | \
        {"the", "a", "an", "this", "that", "its", "their", "new", "said", "says", "and", "or", "of", "in", "on", "at"}
    out = []
    for t in doc:
        if t.lower_ not in ("ministry", "department") or not t.text.islower() or t.i in covered:
            continue
        k = t.i
        while k - 1 >= 0 and doc[k - 1].is_alpha and doc[k - 1].text.islower() and doc[k - 1].lower_ not in stop \
                and t.i - k < 2:
            k -= 1
        if k == t.i or k - 1 < 0:
            continue
        before = doc[k - 1]
        country = None
        if before.text in ("'s", "’s") and k - 2 >= 0:
            owner = covered.get(k - 2)
            if owner is not None and owner.entry.type == "Country":
                country = owner.entry
            elif doc[k - 2].lower_ != "country":
                continue
        elif before.lower_ != "the":
            continue
        country = country or analysis.main_country
        if country is None:
            continue
        org = ministry_entry(analysis.gaz, doc[k:t.i].text, country)
        out.append(Mention(k, t.i + 1, org, "rule", 0.7))
    return out


def _names_polity(label: str, gaz) -> bool:
    return any(gaz.lookup(w, ("Country",)) for w in re.findall(r"[A-Z][\w.]+(?: [A-Z][\w.]+)?", label))


def _label(words: list[str], lex) -> str:
    legal = set(lex["org_legal_suffixes"])
    while words and words[-1].lower() in legal:
        words = words[:-1]
    text = ""
    for w in words:
        if w in ("-", "'", "’") or (text.endswith("-")):
            text += w
        else:
            text += (" " if text else "") + w
    return text.replace(" ,", ",").strip()


def coreferences(analysis, mentions) -> list:
    """Short forms of organisations named earlier: first word ('Lynas'), acronym in parentheses ('SMM')."""
    doc = analysis.doc
    lex = lexicon()
    stop = set(lex["not_name_words"])
    keywords = set(lex["org_keywords"])
    aliases: dict[str, Entry] = {}
    for m in mentions:
        if m.entry.type != "Organization":
            continue
        words = [t.text for t in doc[m.start:m.end]]
        if len(words) >= 2 and words[0][0].isupper() and words[0].lower() not in stop \
                and not analysis.gaz.lookup(words[0]) and len(words[0]) > 2:
            aliases.setdefault(words[0], m.entry)
        if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")" and doc[m.end + 1].text.isupper():
            aliases.setdefault(doc[m.end + 1].text, m.entry)
        if len(words) == 1 and m.how == "rule" and len(words[0]) > 2:
            aliases.setdefault(words[0], m.entry)  # "regulator ARECOMS" ... later "ARECOMS chairman"
        for w in words[1:]:
            if w.lower() in keywords and words.count(w) == 1:
                aliases.setdefault(w, m.entry)  # "the Commission" after "European Commission"
    covered = {k for m in mentions for k in range(m.start, m.end)}
    out = []
    for t in doc:
        if t.i in covered:
            continue
        text = t.text[:-2] if t.text.endswith(("'s", "’s")) else t.text
        entry = aliases.get(text)
        if entry is None and t.text in aliases:
            entry = aliases[t.text]
        if entry is not None:
            out.append(Mention(t.i, _full_name_end(doc, t.i, entry, covered), entry, "coref", 0.8))
    return out


def _full_name_end(doc, i: int, entry, covered) -> int:
    """'Serra' after 'Serra Verde': when the whole name is written again, the mention covers all of it."""
    rest = entry.label.split()[1:]
    j = i + 1
    for word in rest:
        if j >= len(doc) or j in covered or doc[j].text != word:
            return i + 1
        j += 1
    return j


def publisher_mention(analysis, mentions) -> list:
    """The publisher named in the header, when the body names it too (a byline, a credit line)."""
    publisher = getattr(analysis.article, "publisher", None)
    if not publisher:
        return []
    name = re.sub(r"\s*\(.*?\)\s*", " ", publisher).strip()
    if not name or len(name) < 3:
        return []
    if any(m.entry.type == "Organization" and norm(m.entry.label) == norm(name) for m in mentions):
        return []
    doc = analysis.doc
    found = re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", analysis.article.text)
    if not found:
        return []
    span = doc.char_span(found.start(), found.end(), alignment_mode="expand")
    if span is None:
        return []
    covered = {k for m in mentions for k in range(m.start, m.end)}
    if any(k in covered for k in range(span.start, span.end)):
        return []
    hit = link(name, analysis.gaz, ("Organization",))
    entry = hit.entry if hit else new_entry("org", name, "MediaOrganization", "Organization")
    return [Mention(span.start, span.end, entry, "publisher", 0.8)]
