"""The rule toolkit: what every relation rule shares. The per-article context (`Ctx`), fact drafts
(`add_draft`), and small readers of a sentence: its words, its states, which of them act and which are
targets (`eligible_issuers`, `is_target`), its dates, negation. Rule modules import these names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.dates import find_dates
from graph.extract.gazetteer import Entry
from graph.extract.model import Draft, Drafts, Mention
from graph.facts import Evidence
from graph.relations import rule_confidence


ITEM_TYPES = ("Mineral", "Material", "Technology")


PRODUCT_TYPES = ("Product", "Material", "Technology", "Industry", "Mineral")


RULE_CONFIDENCE = rule_confidence()
"""Default confidence of each relation's rules, from the table of relations (calibrated later)."""


@dataclass
class Ctx:
    analysis: object
    lex: dict
    drafts: Drafts = field(default_factory=Drafts)
    issuer_by_sentence: dict = field(default_factory=dict)
    by_end: dict = field(default_factory=dict)  # token index where a mention ends -> mentions
    item_tokens: set = field(default_factory=set)  # tokens inside product-like mentions
    polities: dict = field(default_factory=dict)  # cache of polity_of: government body IRI -> its state
    issuers: dict = field(default_factory=dict)  # cache of eligible_issuers: sentence index -> mentions
    wordsets: dict = field(default_factory=dict)  # cache of wordset: lexicon key -> its words
    lowered: list = field(default_factory=list)  # the article's tokens in lower case, read once
    dates: dict = field(default_factory=dict)  # cache of sentence_dates: sentence text -> its dates
    restrictions: dict = field(default_factory=dict)  # cache of policy._restriction: word -> (is one, measure)

    def __post_init__(self):
        for m in self.analysis.mentions:
            self.by_end.setdefault(m.end, []).append(m)
            if m.entry.type in PRODUCT_TYPES:
                self.item_tokens.update(range(m.start, m.end))

    def wordset(self, key: str) -> frozenset:
        """The words of a lexicon list, as a set (built once per article)."""
        if key not in self.wordsets:
            self.wordsets[key] = frozenset(self.lex[key])
        return self.wordsets[key]

    def ending_at(self, end: int, types=None) -> list:
        return [m for m in self.by_end.get(end, ()) if types is None or m.entry.type in types]

    @property
    def doc(self):
        return self.analysis.doc

    @property
    def gaz(self):
        return self.analysis.gaz


def words_of(ctx, sent) -> list[str]:
    """The sentence's tokens in lower case (a fresh list; the article's tokens are read once)."""
    if not ctx.lowered:
        ctx.lowered = [t.lower_ for t in ctx.doc]
    return ctx.lowered[sent.start:sent.end]


def has_seq(words: list[str], seq: list[str], at: int) -> bool:
    return words[at:at + len(seq)] == seq


def prev_words(ctx, sent, m, n=3) -> list[str]:
    lo = max(sent.start, m.start - n)
    return [t.lower_ for t in ctx.doc[lo:m.start]]


def is_target(ctx, sent, m) -> bool:
    if m.end < sent.end and ctx.doc[m.end].lower_ in ("'s", "’s"):
        return False  # 'a reply to China's ban': the state owns what follows
    words = prev_words(ctx, sent, m, 3)
    words = [w for w in words if w not in ("the", "its", "their")]
    if not words:
        return False
    if words[-1] in set(ctx.lex["target_preps"]):
        if words[-1] == "to" and len(words) >= 2 and words[-2] in ctx.wordset("not_target_before_to"):
            return False
        return True
    return False


def is_modifier_of_person(ctx, m) -> bool:
    """'US President Trump', 'Japanese minister': a state that qualifies a person is not the actor."""
    doc = ctx.doc
    if m.end < len(doc) and doc[m.end].lower_ in ctx.wordset("role_words") | ctx.wordset("person_title_stop"):
        return True
    return False


def neutral(ctx, sent, m) -> bool:
    """Places and partners rather than actors: 'in Beijing', 'between Beijing and Washington', 'with China'."""
    words = [w for w in prev_words(ctx, sent, m, 3) if w not in ("the",)]
    if len(words) >= 2 and words[-1] == "of" and words[-2] not in ("government", "administration", "president",
                                                                   "ministry", "governments", "authorities"):
        return True
    return bool(words) and words[-1] in ("in", "between", "with", "from", "and", "for", "by", "over", "than", "at", "across")


def polity_of(ctx, entry: Entry) -> Entry | None:
    """The state a government body belongs to ('Ministry of Commerce of China', 'U.S. Department of Defense')."""
    cache = ctx.polities
    if entry.iri in cache:
        return cache[entry.iri]
    found = None
    if entry.cls == "GovernmentBody":
        words = entry.label.split()
        for n in (4, 3, 2, 1):
            for k in range(len(words) - n + 1):
                hits = ctx.gaz.lookup(" ".join(words[k:k + n]), ("Country",))
                if len(hits) == 1 and found is None:
                    found = hits[0]
            if found is not None:
                break
    cache[entry.iri] = found
    return found


def countries(sent, ctx=None):
    """State mentions, and government bodies standing for their state when ctx is given."""
    out = [m for m in sent.mentions if m.entry.type == "Country"]
    if ctx is not None:
        for m in sent.mentions:
            polity = polity_of(ctx, m.entry) if m.entry.type == "Organization" else None
            if polity is not None:
                out.append(Mention(m.start, m.end, polity, "body", m.confidence * 0.9, m.start_char, m.end_char, m.text))
        out.sort(key=lambda m: m.start)
    return out


def eligible_issuers(ctx, sent, exclude=()):
    if not exclude:
        cache = ctx.issuers
        if sent.index not in cache:
            cache[sent.index] = eligible_issuers(ctx, sent, exclude=[None])
        return cache[sent.index]
    exclude = [x for x in exclude if x is not None]
    out = []
    for m in countries(sent, ctx):
        if m.how == "demonym_weak" and not (m.start > 0 and ctx.doc[m.start - 1].lower_ == "the"):
            if not (m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in ("monopoly", "dominance", "government", "companies")):
                continue
        if m.how == "demonym" and m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in ctx.lex["demonym_private_heads"]:
            continue  # "European carmakers warned ...": firms of a state, not the state acting
        if any(m.start == x.start and m.end == x.end for x in exclude) or is_target(ctx, sent, m) \
                or is_modifier_of_person(ctx, m) or neutral(ctx, sent, m):
            continue
        out.append(m)
    return out


def fallback_issuer(ctx, sent):
    for k in range(sent.index - 1, max(-1, sent.index - 4), -1):
        if k in ctx.issuer_by_sentence:
            return ctx.issuer_by_sentence[k]
    return ctx.analysis.main_country


def evidence(ctx, sent, rule, confidence) -> Evidence:
    text = ctx.analysis.article.text[sent.start_char:sent.end_char]
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(re.sub(r"\s+", " ", stripped), start, start + len(stripped), rule, round(confidence, 3))


def add_draft(ctx, relation, subject, obj, qualifiers, sent, rule, confidence, date_rank=-1):
    if obj is None or (subject is not None and subject.iri == obj.iri):
        return
    ctx.drafts.append(Draft(relation, subject, obj, dict(qualifiers), sent, rule, confidence, date_rank,
                            len(ctx.drafts)))


def sentence_dates(ctx, sent):
    """The dates of a sentence (or clause), as a fresh list. Several rules ask for the same sentence's dates
    and the date patterns are the costly part, so they are found once per text (the anchor is the
    article's, the same for every sentence)."""
    found = ctx.dates.get(sent.text)
    if found is None:
        found = ctx.dates[sent.text] = tuple(find_dates(sent.text, ctx.analysis.anchor))
    return list(found)


def carried_date(ctx, sent):
    """The date of the sentences just before, when this one continues them ('it also', 'following this')."""
    words = set(words_of(ctx, sent))
    if not words & set(ctx.lex["continuation_words"]):
        return None
    for k in range(sent.index - 1, max(-1, sent.index - 3), -1):
        dates = sentence_dates(ctx, ctx.analysis.sentences[k])
        if dates:
            return dates[0].value
    return None


def negated(words: list[str], i: int, lex) -> bool:
    neg = set(lex["negation_words"])
    window = words[max(0, i - 4):i]
    return any(w in neg for w in window)
