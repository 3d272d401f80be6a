"""The mention layer every relation rule reads: the spaCy pipeline, the gazetteer matchers, `analyse()`.

`spacy.blank("en")` gives tokens; a sentencizer plus a line-break rule gives sentences; two
PhraseMatchers (case-folded for minerals and products, exact case for countries and organisations,
whose short forms "US" or "CNN" are also ordinary words in lower case) find the gazetteer's labels.
Organisations that the gazetteer lacks are found by `orgs.py`, people by `people.py`. No model is
downloaded and nothing is read from the network.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from graph.extract import orgs, people
from graph.extract.dates import infer_anchor
from graph.extract.gazetteer import Entry, Gazetteer, get_gazetteer
from graph.extract.lexicon import lexicon
from graph.extract.model import Analysis, Mention, Sentence

CASE_SENSITIVE_TYPES = ("Country", "Organization", "Person")
SENTENCE_STARTERS = set(lexicon()["sentence_starters"])


@Language.component("cmkg_line_breaks")
def line_breaks(doc):
    """A line break ends a sentence: headings, bullets and datelines are not run into the next line.

    Also "... made in the U.S. The plant ...": an abbreviation's period ends the sentence before a word
    that usually starts one. Set in one array write (setting tokens one by one is quadratic in spaCy).
    """
    starts = []
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in token.text or "\n" in token.whitespace_ or token.text in ("•", "|"):
            starts.append(i + 1)
        elif len(token.text) > 2 and token.text.endswith(".") and token.text.count(".") >= 2 and token.whitespace_ \
                and nxt.text in SENTENCE_STARTERS:
            starts.append(i + 1)
    if starts:
        values = doc.to_array([SENT_START])
        values[starts] = 1
        doc.from_array([SENT_START], values)
    return doc


class Matchers:
    """Phrase matchers over the gazetteer's surfaces (built once per gazetteer)."""

    def __init__(self, nlp, gaz: Gazetteer):
        self.nlp = nlp
        self.mineral_words = {s.text.lower() for s in gaz.surfaces
                              if gaz.entries[s.iri].type == "Mineral" and " " not in s.text}
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.keys: dict[str, tuple[str, str]] = {}
        lower_forms: dict[str, set[str]] = {}
        exact_forms: dict[str, set[str]] = {}
        for surface in gaz.surfaces:
            entry = gaz.entries[surface.iri]
            key = f"{surface.iri}|{surface.how}"
            self.keys[key] = (surface.iri, surface.how)
            text = surface.text
            if entry.type in CASE_SENSITIVE_TYPES or _looks_like_acronym(text):
                forms = {text}
                if entry.type == "Country" and " " not in text and text[0].isupper():
                    forms.add(text.upper())  # datelines: "BEIJING (Reuters)"
                exact_forms.setdefault(key, set()).update(forms)
            else:
                forms = {text}
                if " " in text:
                    forms.add(text.replace(" ", "-"))
                if entry.type in ("Product", "Material", "Technology", "Industry", "Mineral"):
                    if not text.endswith("s"):
                        forms.add(text + "s")
                    elif " " in text and text.endswith("s") and not text.endswith("ss"):
                        forms.add(text[:-3] + "y" if text.endswith("ies") else text[:-1])
                lower_forms.setdefault(key, set()).update(forms)
        for key, forms in lower_forms.items():
            self.lower.add(key, list(nlp.tokenizer.pipe(sorted(forms))))
        for key, forms in exact_forms.items():
            self.exact.add(key, list(nlp.tokenizer.pipe(sorted(forms))))

    def __call__(self, doc):
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                yield self.nlp.vocab.strings[match_id], start, end


def _looks_like_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(text) <= 6 and " " not in text and sum(c.isupper() for c in letters) >= 2


@lru_cache(maxsize=1)
def get_nlp():
    nlp = spacy.blank("en")
    nlp.max_length = 30_000_000  # no parser or NER: memory grows with the text, not 1 GB per 100k characters
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("cmkg_line_breaks", after="sentencizer")
    return nlp


_MATCHERS: dict[int, Matchers] = {}


def get_matchers(gaz: Gazetteer) -> Matchers:
    key = id(gaz)
    if key not in _MATCHERS:
        _MATCHERS.clear()
        _MATCHERS[key] = Matchers(get_nlp(), gaz)
    return _MATCHERS[key]


HOW_CONFIDENCE = {"loose": 0.7, "label": 0.95, "alt": 0.9, "hidden": 0.8, "metonym": 0.85, "demonym": 0.75, "demonym_weak": 0.5}


def _in_alloy(doc, start: int, end: int, gaz_minerals: set[str]) -> bool:
    """'neodymium-iron-boron' names a magnet alloy, not the elements one by one."""
    chain = []
    i = start - 1
    while i >= 1 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_:
        chain.append(doc[i - 1].lower_)
        i -= 2
    j = end
    while j + 1 < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
        chain.append(doc[j + 1].lower_)
        j += 2
    return sum(1 for w in chain if w in gaz_minerals) >= 1 and len(chain) >= 1 and all(w.isalpha() for w in chain) \
        and (len(chain) >= 2 or chain[0] in gaz_minerals)


def select_spans(candidates: list[Mention]) -> list[Mention]:
    """Longest spans win; at equal length a gazetteer match beats a rule's guess.

    Not `spacy.util.filter_spans`: that breaks ties between overlapping spans of equal length by position
    (the first wins), which drops a gazetteer label for a rule's guess that starts earlier; it also takes
    Span objects, not mentions with their entity. Tried on the dev articles, it changes facts."""
    order = {"label": 0, "alt": 1, "metonym": 2, "rule": 3, "loose": 3.5, "hidden": 4, "demonym": 5, "demonym_weak": 6, "coref": 7, "publisher": 8}
    chosen: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), order.get(m.how, 9), m.start)):
        if any(i in taken for i in range(m.start, m.end)):
            continue
        chosen.append(m)
        taken.update(range(m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)


def analyse(article) -> Analysis:
    gaz = get_gazetteer()
    nlp = get_nlp()
    # spaCy's tokenizer is quadratic in the length of a run without spaces; no word is 100 characters long
    doc = nlp(_LONG_RUN.sub(lambda m: " " * len(m.group()), article.text))
    matchers = get_matchers(gaz)
    demonym_heads, origin = set(lexicon()["demonym_heads"]), set(lexicon()["origin_suffixes"])
    minerals = matchers.mineral_words
    candidates: list[Mention] = []
    for key, start, end in matchers(doc):
        iri, how = matchers.keys[key]
        entry = gaz.entries[iri]
        if entry.type == "Mineral" and _in_alloy(doc, start, end, minerals):
            continue
        if how in ("metonym", "demonym") and end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
            if not (how == "demonym" and end + 1 < len(doc) and doc[end + 1].lower_ in origin):
                continue  # "London-listed", "Beijing-based": a place, not the state
            how = "demonym_weak"  # "Chinese-made EVs": goods of the state
        if how == "demonym" and (end >= len(doc) or doc[end].lower_ not in demonym_heads) \
                and not (start > 0 and doc[start - 1].lower_ == "the" and (end >= len(doc) or not doc[end].is_alpha)):
            how = "demonym_weak"  # "European political leaders": an adjective, not the state
        candidates.append(Mention(start, end, entry, how, HOW_CONFIDENCE.get(how, 0.8)))
    candidates = _metal_readings(doc, candidates)
    anchor = infer_anchor(getattr(article, "date", None), article.text)
    sentences = [Sentence(i, *bounds) for i, bounds in enumerate(_sentence_bounds(doc))]
    analysis = Analysis(article, doc, sentences, [], anchor, gaz)
    first = select_spans(candidates)
    analysis.main_country = _main_country(first)
    candidates.extend(orgs.find_orgs(analysis, first))
    mentions = select_spans(candidates)
    mentions = select_spans(mentions + orgs.coreferences(analysis, mentions))
    analysis.mentions = mentions
    _assign(sentences, mentions)
    analysis.affiliations, derived = people.find_affiliations(analysis)
    mentions = select_spans(mentions + derived)
    mentions += orgs.publisher_mention(analysis, mentions)
    for m in mentions:
        span = doc[m.start:m.end]
        m.start_char, m.end_char, m.text = span.start_char, span.end_char, span.text
    mentions = _prefer_named_countries(mentions)
    mentions = _drop_place_parts(doc, mentions, {s.start for s in sentences})
    mentions = _split_coordinated(doc, gaz, mentions)
    mentions = _related_products(doc, gaz, mentions)
    mentions += _leaders(doc, gaz, mentions)
    analysis.mentions = sorted(mentions, key=lambda m: m.start)
    _assign(sentences, analysis.mentions)
    return analysis


def _sentence_bounds(doc):
    """(start, end, start_char, end_char, text) of each non-blank sentence, read from the sentence-start
    array in one pass (doc.sents builds a Span per sentence and is the slow way)."""
    starts = [i for i, v in enumerate(doc.to_array([SENT_START])) if v == 1 or i == 0] if len(doc) else []
    text = doc.text
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(doc)
        first, last = doc[start], doc[end - 1]
        start_char, end_char = first.idx, last.idx + len(last.text)
        chunk = text[start_char:end_char]
        if chunk.strip():
            yield start, end, start_char, end_char, chunk


def _assign(sentences: list[Sentence], mentions: list[Mention]) -> None:
    """Give each sentence the mentions that start in it."""
    starts = [s.start for s in sentences]
    for s in sentences:
        s.mentions = []
    for m in sorted(mentions, key=lambda m: m.start):
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < sentences[k].end:
            sentences[k].mentions.append(m)


def _metal_readings(doc, candidates):
    """'lead' is a metal only where the text reads it so (lexicon `ambiguous_minerals`): listed with another
    mineral ('tin, zinc and lead'), or before a word of the trade ('lead ore', 'lead prices'); not 'could
    lead to', 'the lead negotiator'."""
    lex = lexicon()
    words, after = set(lex["ambiguous_minerals"]["words"]), set(lex["ambiguous_minerals"]["metal_context"])
    ambiguous = [m for m in candidates if m.entry.type == "Mineral" and m.end - m.start == 1
                 and doc[m.start].lower_ in words]
    if not ambiguous:
        return candidates
    others = [m for m in candidates if m.entry.type == "Mineral" and m not in ambiguous]
    ends, starts = {m.end for m in others}, {m.start for m in others}
    drop = set()
    for m in ambiguous:
        k, j = m.start - 1, m.end
        while k >= 0 and doc[k].lower_ in (",", "and", "or"):
            k -= 1
        while j < len(doc) and doc[j].lower_ in (",", "and", "or"):
            j += 1
        listed = (k + 1 < m.start and (k + 1) in ends) or (j > m.end and j in starts)
        trade = m.end < len(doc) and doc[m.end].lower_ in after
        if not (listed or trade) or doc[m.start].text.isupper():
            drop.add(id(m))
    return [m for m in candidates if id(m) not in drop]


def _related_products(doc, gaz, mentions):
    """'rare earths and related magnets': the product named after a mineral and 'related' is the
    mineral's own kind of it (rare earth magnets), when the gazetteer has that name."""
    ending = {m.end: m for m in mentions if m.entry.type == "Mineral"}
    out = []
    for m in mentions:
        k = m.start
        if m.entry.type in ("Product", "Material") and k >= 3 and doc[k - 1].lower_ in ("related", "associated") \
                and doc[k - 2].lower_ in ("and", "or") and (k - 2) in ending:
            mineral = ending[k - 2]
            hits = gaz.lookup(f"{doc[mineral.start:mineral.end].text} {doc[m.start:m.end].text}", (m.entry.type,))
            if len({h.iri for h in hits}) == 1:
                m = Mention(m.start, m.end, hits[0], m.how, m.confidence, m.start_char, m.end_char, m.text)
        out.append(m)
    return out


def _split_coordinated(doc, gaz, mentions):
    """'medium and heavy rare earths' is two groups (one fact per item), even if a label joins them."""
    out = []
    for m in mentions:
        words = [t.text for t in doc[m.start:m.end]]
        low = [w.lower() for w in words]
        if m.entry.type == "Mineral" and "and" in low[1:-1]:
            k = low.index("and")
            rest = words[k + 2:]
            parts = [" ".join(words[:k] + rest), " ".join(words[k + 1:])]
            hits = [gaz.lookup(p, ("Mineral",)) for p in parts]
            if all(len(h) == 1 for h in hits) and hits[0][0].iri != hits[1][0].iri:
                out.append(Mention(m.start, m.start + 1, hits[0][0], m.how, m.confidence, m.start_char, m.end_char, parts[0]))
                out.append(Mention(m.start + k + 1, m.end, hits[1][0], m.how, m.confidence, m.start_char, m.end_char,
                                   parts[1]))
                continue
        out.append(m)
    return out


def _prefer_named_countries(mentions):
    """A short name ("Congo", "Korea") means the state the article names in full, when there is one."""
    full = list({m.entry.iri: m for m in mentions if m.entry.type == "Country" and m.how in ("label", "alt")
                 and " " in m.entry.label}.values())
    for m in mentions:
        if m.entry.type != "Country" or m.how not in ("loose", "alt", "hidden") or " " in m.text.strip():
            continue
        word = m.text.strip().lower()
        others = {f.entry.iri: f.entry for f in full if f.entry.iri != m.entry.iri
                  and word in f.entry.label.lower().split()}
        if len(others) == 1 and word not in m.entry.label.lower().split()[:1] + [m.entry.label.lower()]:
            m.entry = next(iter(others.values()))
        elif len(others) == 1 and m.how == "loose":
            m.entry = next(iter(others.values()))
    return mentions


def _drop_place_parts(doc, mentions, starts):
    """'Inner Mongolia' is a region of China: a state's name inside a longer capitalised place name."""
    lex = lexicon()
    stop = set(lex["not_name_words"]) | set(lex["org_strip_words"]) | set(lex["place_directions"])
    covered = {i for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        p = m.start - 1
        if m.entry.type == "Country" and m.how in ("label", "alt", "metonym") and p >= 0 and p not in starts \
                and p not in covered and doc[p].is_alpha and doc[p].text[0].isupper() and doc[p].lower_ not in stop \
                and not doc[p].whitespace_ == "" and m.start not in starts:
            continue
        out.append(m)
    return out


def _leaders(doc, gaz, mentions):
    """'US President Donald Trump' → later 'Trump' (and 'the Trump administration') acts for the United States."""
    lex = lexicon()
    titles = set(lex["leader_titles"])
    names: dict[str, Entry] = {}
    for m in mentions:
        if m.entry.type != "Country":
            continue
        k = m.end
        while k < len(doc) and doc[k].lower_ in titles | {"minister", "vice"} and doc[k].text[:1].isupper():
            k += 1
        if k == m.end or doc[k - 1].lower_ in ("vice",):
            continue
        j = k
        while j < len(doc) and j - k < 3 and doc[j].text[:1].isupper() and doc[j].is_alpha:
            j += 1
        if j > k:
            names.setdefault(doc[j - 1].text, m.entry)
    for surname, state in lex["known_leaders"].items():
        hits = gaz.lookup(state, ("Country",)) if not surname.startswith("_") else []
        if len(hits) == 1:
            names.setdefault(surname, hits[0])  # 'Trump imposed tariffs': the state the leader acts for
    if not names:
        return []
    covered = {i for m in mentions for i in range(m.start, m.end)}
    return [Mention(t.i, t.i + 1, names[t.text], "leader", 0.7) for t in doc
            if t.text in names and t.i not in covered]


def _main_country(mentions: list[Mention]) -> Entry | None:
    """The country the article is mostly about (most named; the first named on a tie)."""
    counts = Counter(m.entry.iri for m in mentions if m.entry.type == "Country")
    if not counts:
        return None
    first = {}
    for m in mentions:
        if m.entry.type == "Country":
            first.setdefault(m.entry.iri, m.start)
    iri = sorted(counts, key=lambda i: (-counts[i], first[i]))[0]
    return next(m.entry for m in mentions if m.entry.iri == iri)


_LONG_RUN = re.compile(r"[^\w\s]{40,}|\S{200,}")
