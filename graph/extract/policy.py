"""Policy measures: export controls and tariffs.

export_control: an export word and a restriction word ("ban", "restrict", "controls", "licence",
"tracking system"...) in a sentence that names items; the issuer is the state named before the
restriction (or the article's state for "it", "the country"); "to X", "targeting X" give the target;
hedges ("could", "may", "threaten") make it `possible`, "suspend", "halt", "lift" make it `lifted`;
"take effect on", "starting", "from" dates win over other dates. Denials, exemptions and restrictions
on imports give nothing.
tariff: a state's tariffs "on" another state (or its goods), with a rate; a counter-tariff "it also
raised tariffs" targets the state whose tariff it answers.
"""

from __future__ import annotations

import re

from graph.extract.arguments import mineral_antecedents
from graph.extract.gazetteer import Entry, norm
from graph.extract.quantities import find_percents
from graph.extract.rulekit import (
    ITEM_TYPES,
    PRODUCT_TYPES,
    RULE_CONFIDENCE,
    words_of,
    is_target,
    countries,
    eligible_issuers,
    fallback_issuer,
    add_draft,
    sentence_dates,
    carried_date,
    negated,
)
from graph.extract.model import Sentence
from graph.extract.phrases import np_segments, known_or_new
from graph.extract.treekit import frames


def _restriction(ctx, word: str):
    """(is a restriction word, measure it implies). Asked for every word of every sentence, several times
    over; the answer depends on the word alone, so it is read from the lexicon once per word and article."""
    known = ctx.restrictions.get(word)
    if known is None:
        known = ctx.restrictions[word] = _read_restriction(ctx, word)
    return known


def _read_restriction(ctx, word: str):
    """(is a restriction word, measure it implies), from the lexicon's forms and prefixes."""
    if word in ctx.lex["restriction_stop"]:
        return False, None
    forms = ctx.lex["restriction_forms"]
    if word in forms and not word.startswith("_"):
        return True, forms[word]
    for prefix, measure in ctx.lex["restriction_words"].items():
        if prefix.startswith("_"):
            continue
        if word.startswith(prefix):
            return True, measure
    return False, None


def _hedged(ctx, sent, hedges: set, triggers=None) -> bool:
    """A hedge word in lower case ("may add", not the month "May"); with `triggers`, only one in reach of a
    trigger (up to 10 words before it, 6 after), not one of another clause ('the US is considering
    curbs on imports, after Beijing began requiring export permits')."""
    spots = [t for t, _ in triggers] if triggers else None
    for t in ctx.doc[sent.start:sent.end]:
        if t.lower_ in hedges and t.text.islower():
            if spots is None or any(-6 <= k - t.i <= 10 for k in spots):
                return True
    return False


def _ability_hedge(ctx, words: list[str]) -> bool:
    spec = ctx.lex["ability_hedges"]
    acts = set(spec["acts"])
    for k, w in enumerate(words):
        if w not in spec["words"]:
            continue
        nxt = [x for x in words[k + 1:k + 4] if x not in ("also", "further", "still", "easily", "quickly", "now", "then")]
        if nxt and nxt[0] in acts:
            return True
    return False


def _on_imports(words: list[str], k: int) -> bool:
    after = [w for w in words[k + 1:k + 4] if w not in ("the", "all", "some", "on", "of", "for")]
    before = words[max(0, k - 2):k]
    return bool(after and after[0].startswith("import")) or any(w.startswith("import") for w in before)


MEASURE_ORDER = ("tracking", "ban", "quota", "licensing", "other")


def export_controls(ctx):
    """Export controls: find the sentences (and clauses) with a restriction on exports, draft one fact per
    item each restricts, then mark the article's controls lifted when a later sentence lifts them."""
    per_sentence, pending_effective = _control_sentences(ctx)
    lift_dates = _lift_dates(ctx)
    first_draft = len(ctx.drafts)
    prev_clause = None
    for sent, words, triggers in per_sentence:
        prev_clause = _draft_controls(ctx, sent, words, triggers, pending_effective, prev_clause)
    _apply_lifts(ctx, ctx.drafts[first_draft:], lift_dates)


def _control_sentences(ctx):
    """(clauses that restrict exports, each with its words and (trigger token, measure) pairs; effective
    dates of item-less control sentences by sentence index, which nearby controls take as theirs)."""
    lex = ctx.lex
    export_words = ctx.wordset("export_words")
    exempt = ctx.wordset("exemption_words")
    pending_effective = {}  # sentence index -> effective date of an item-less control sentence
    per_sentence = []
    for sent in (c for whole in ctx.analysis.sentences for c in _clauses(ctx, whole)):
        words = words_of(ctx, sent)
        if not any(w in export_words or w.startswith("export") for w in words) and not _cut_off_supply(words):
            if not any(m.entry.type in ITEM_TYPES for m in sent.mentions) and \
                    any(_restriction(ctx, w)[0] or w in lex["measure_nouns"] for w in words):
                _note_measure_date(ctx, sent, words, pending_effective)  # 'The new rules take effect on Dec 1'
            continue
        triggers = []
        for k, w in enumerate(words):
            ok, measure = _restriction(ctx, w)
            if not ok and w in lex["export_tax_words"] and k > 0 and words[k - 1].startswith("export"):
                ok, measure = True, "other"  # 'export duties on nickel': a tax on exports restricts them
            if not ok and _cut_off(words, k):
                ok, measure = True, "ban"  # 'cut off supplies of rare earths to Japan'
            if ok and measure == "licensing" and not _near_trade(ctx, words, k):
                continue  # 'revoked the licences of bauxite miners': a licence to mine, not to export
            if ok and w in ctx.wordset("lift_words") and not _stops_trade(ctx, sent, words, k):
                continue  # 'a shortage could halt assembly lines': no trade is stopped
            if ok and not negated(words, k, lex):
                triggers.append((sent.start + k, measure))
        # "exports rose despite a ban on imports": a restriction on imports is not an export control
        triggers = [(t, m) for t, m in triggers if not _on_imports(words, t - sent.start)]
        if not triggers or any(w in exempt for w in words) or ("not" in words and "apply" in words):
            continue
        denial = [k for k, w in enumerate(words) if w in lex["denial_words"]]
        if denial and any(t - sent.start > denial[0] for t, _ in triggers):
            continue  # "Beijing denied that it had banned ...": reported as not having happened
        per_sentence.append((sent, words, triggers))
        items = [m for m in sent.mentions if m.entry.type in ITEM_TYPES]
        if not items and not any(w.startswith("technolog") for w in words):
            _note_measure_date(ctx, sent, words, pending_effective)
    return per_sentence, pending_effective


def _stops_trade(ctx, sent, words, k: int) -> bool:
    """A halting word ('halt', 'suspend') restricts only what it acts on: a trade word or an item within a
    few words after it, or a control it suspends."""
    if any(_trade_word(ctx, w) or _restriction(ctx, w)[0] for w in words[k + 1:k + 6]):
        return True
    if _passive(words, k):
        return any(_trade_word(ctx, w) or _restriction(ctx, w)[0] and w not in ctx.wordset("lift_words")
                   for w in words[:k])
    start = sent.start + k + 1
    return any(m.entry.type in ITEM_TYPES and start <= m.start < start + 5 for m in sent.mentions)


def _trade_word(ctx, w: str) -> bool:
    """An export or trade word ('exports', 'shipments', 'sales')."""
    return w.startswith("export") or w in ctx.wordset("trade_nouns") or w in ctx.wordset("export_words")


def _cut_off(words, k: int) -> bool:
    """'cut off' ends at word k."""
    return words[k] == "off" and k > 0 and words[k - 1] in ("cut", "cuts", "cutting")


def _cut_off_supply(words) -> bool:
    """'cut off rare earth supplies to China': cutting off a supply stops the trade."""
    return any(_cut_off(words, k) and {"supply", "supplies"} & set(words[k + 1:k + 6]) for k in range(len(words)))


def _near_trade(ctx, words, k: int, reach: int = 5) -> bool:
    """A licence or permit about trade: an export or trade word within `reach` words of it."""
    near = words[max(0, k - reach):k + reach + 1]
    before = words[max(0, k - 8):k]
    actors = [j for j, w in enumerate(before) if w.startswith("exporter")]
    if actors and "," not in before[actors[-1]:]:
        return True  # 'required exporters of antimony to obtain a licence': the licence is the exporters'
    return any(_trade_word(ctx, w) or w in ctx.wordset("shipping_words") for w in near)


def _note_measure_date(ctx, sent, words, pending_effective):
    """A control sentence without items dates the measure: its effective date, else (for 'The ban,
    announced last December, ...') the date of the measure it refers to."""
    eff = [d for d in sentence_dates(ctx, sent) if d.effective]
    if eff:
        pending_effective[sent.index] = eff[0].value
        return
    if not _refers_to_measure(ctx, words):
        return
    dates = _measure_dates(ctx, sent)
    if dates:
        pending_effective[sent.index] = dates[0].value


def _lift_dates(ctx) -> list:
    """'the measures will be halted', 'Removal date: 20 Nov 2010': dates (or None) on which sentences
    without items lift the article's controls."""
    lex = ctx.lex
    export_words = ctx.wordset("export_words")
    lift = ctx.wordset("lift_words")
    hedges = ctx.wordset("hedge_words")
    lift_dates = []
    for sent in ctx.analysis.sentences:
        words = words_of(ctx, sent)
        if any(m.entry.type in ITEM_TYPES for m in sent.mentions) or not any(w in lift for w in words):
            continue
        if negated(words, next(k for k, w in enumerate(words) if w in lift), lex) or _hedged(ctx, sent, hedges):
            continue
        controls = any(_restriction(ctx, w)[0] for w in words) and any(w.startswith("export") or w in export_words
                                                                       for w in words)
        if controls or re.search(r"\b(removal|lifting|suspension|end) date\b", sent.text, re.I):
            dates = sentence_dates(ctx, sent)
            lift_dates.append(dates[-1].value if dates else None)
    return lift_dates


def _apply_lifts(ctx, drafts, lift_dates):
    """The article's controls dated on or before a lift date are lifted."""
    if not lift_dates:
        return
    for d in drafts:
        date = d.qualifiers.get("date")
        if d.qualifiers.get("status") != "lifted" and any(
                ld is None or date is None or str(date) <= ld for ld in lift_dates):
            d.qualifiers["status"] = "lifted"
            d.rule = "export_control_lifted"


def _draft_controls(ctx, sent, words, triggers, pending_effective, prev_clause):
    """One export_control draft per item the clause restricts; returns (whole sentence, issuer) for the
    next clause, which inherits the issuer when it names none."""
    bound = _bound_items(ctx, sent, {t for t, _ in triggers})
    by_bound = _by_bound(ctx, sent, bound)
    modifiers = [c for c in countries(sent) if any(c.end == m.start for m, _ in bound.values())]
    issuers = eligible_issuers(ctx, sent, exclude=by_bound + modifiers)
    free = [t for t, _ in triggers if not any(k == t for _, k in bound.values())] or [triggers[0][0]]
    first_free = free[0]
    before = [c for c in issuers if c.start < first_free]
    later = [c for c in issuers if c.how != "leader"]  # a leader named after the measure is no issuer of it
    issuer_m = before[-1] if before else (later[0] if later else None)
    issuer = issuer_m.entry if issuer_m else None
    conf = RULE_CONFIDENCE["export_control"] * (issuer_m.confidence if issuer_m else 0.8)
    if issuer is None and prev_clause is not None and prev_clause[0] is sent.whole:
        issuer = prev_clause[1]  # "X requires licences for A, and last year banned B": X again
    if issuer is None:
        issuer = fallback_issuer(ctx, sent)
        conf *= 0.85
    if issuer is None:
        return prev_clause
    ctx.issuer_by_sentence[sent.index] = issuer
    targets = [c.entry for c in countries(sent) if is_target(ctx, sent, c) and c.entry.iri != issuer.iri]
    targets = list({t.iri: t for t in targets}.values())
    status, measure = _status_and_measure(ctx, sent, words, triggers)
    date, rank = _control_date(ctx, sent, pending_effective, ctx.doc[triggers[0][0]].idx - sent.start_char)
    seen = set()
    for entry, who, mconf in _controlled_items(ctx, sent, words, bound, by_bound, issuer):
        if entry.iri in seen:
            continue
        seen.add(entry.iri)
        quals = {"date": date, "target": (targets[0] if targets and who.iri == issuer.iri else None),
                 "measure": measure, "status": status}
        add_draft(ctx, "export_control", who, entry, quals, sent.whole or sent, "export_control", conf * mconf, rank)
    return sent.whole, issuer


def _bound_items(ctx, sent, trigger_tokens) -> dict:
    """Items bound to a trigger: 'rare earth export controls', 'chip controls by the US side', 'controls on X'
    (mention start -> (mention, trigger token))."""
    doc = ctx.doc
    bound = {}
    last_bound = None
    descriptors = frames()["descriptor_heads"]
    for m in sent.mentions:
        if m.entry.type not in PRODUCT_TYPES or m.entry.type == "Industry":
            continue
        if m.end < sent.end and doc[m.end].lower_ in descriptors and m.entry.type != "Mineral":
            continue  # 'permits for the battery material': a word for the mineral, not batteries
        k = m.end
        if k < sent.end and doc[k].lower_.startswith("export"):
            k += 1
        if k in trigger_tokens:
            bound[m.start] = last_bound = (m, k)
            continue
        p = m.start - 1
        while p >= sent.start and (doc[p].lower_ in ("the", "a", "its", "their", "new", "all", "some", "certain")
                                   or (doc[p].is_lower and doc[p].is_alpha and p >= m.start - 2
                                       and doc[p].lower_ not in ("on", "over", "for", "of", "and", "or"))):
            p -= 1
        if p >= sent.start + 1 and doc[p].lower_ in ("on", "over", "for", "of") and \
                (p - 1 in trigger_tokens or (p - 2 in trigger_tokens and doc[p - 1].lower_ in ("system", "systems", "regime", "measures", "list"))
                 or _trade_after_trigger(ctx, sent, p - 1, trigger_tokens)):
            if m.entry.type in ("Product", "Material", "Technology") or doc[p].lower_ != "of":
                bound[m.start] = last_bound = (m, p - 1)
                continue
        # the next item of a list whose first item is bound: "controls on chips and chipmaking tools"
        if last_bound is not None and m.entry.type in ("Product", "Material", "Technology") \
                and last_bound[0].end < m.start <= last_bound[0].end + 3:
            gap = [t.lower_ for t in doc[last_bound[0].end:m.start]]
            if all(g in (",", "and", "or") for g in gap):
                bound[m.start] = last_bound = (m, last_bound[1])
    return bound


def _trade_after_trigger(ctx, sent, k: int, trigger_tokens) -> bool:
    """'banned (the) exports of magnets': the trade noun before 'of' is the object of a trigger."""
    doc = ctx.doc
    if k < sent.start or doc[k].lower_ not in ctx.wordset("trade_nouns"):
        return False
    k -= 1
    while k >= sent.start and doc[k].lower_ in ("the", "all", "its", "their", "some", "any"):
        k -= 1
    return k in trigger_tokens


def _by_bound(ctx, sent, bound) -> list:
    """States named after a bound trigger: 'chip controls by the US side'."""
    doc = ctx.doc
    by_bound = []
    for _, trig in bound.values():
        after = trig + 1
        while after < sent.end and doc[after].lower_ in ("measures", "system", "by", "the", "side"):
            if doc[after].lower_ == "by":
                c = next((c for c in countries(sent) if c.start in range(after + 1, after + 3)), None)
                if c is not None:
                    by_bound.append(c)
            after += 1
    return by_bound


def _status_and_measure(ctx, sent, words, triggers):
    """'lifted' when a lift word acts on a control or the control was brief, 'possible' when hedged, else
    'in_force'; the measure is
    the first of MEASURE_ORDER the triggers imply (halting the trade itself is a ban)."""
    status = "in_force"
    lifting = _lifting(ctx, words)
    if lifting is True or set(words) & ctx.wordset("brief_words"):
        status = "lifted"  # 'briefly banned': in force no longer
    elif _hedged(ctx, sent, ctx.wordset("hedge_words"), triggers) or _ability_hedge(ctx, words):
        status = "possible"
    measures = {m for _, m in triggers if m}
    if lifting == "ban":
        measures.add("ban")
    return status, next((m for m in MEASURE_ORDER if m in measures), None)


def _control_date(ctx, sent, pending_effective, trigger_at: int = 0):
    """(date, rank): an effective date here (3), one nearby (2), a date of the measure or of the report (1),
    a date carried from the sentences before (0). Of the measure's dates, the first after its trigger
    ('imports fell in 2025 owing to China's ban in 2024'), else the last before it."""
    dates = _measure_dates(ctx, sent)
    after = [d for d in dates if d.start >= trigger_at]
    dates = after + list(reversed([d for d in dates if d.start < trigger_at]))
    reported = [d for d in sentence_dates(ctx, sent) if d not in dates]
    eff = [d for d in dates if d.effective]
    nearby = [pending_effective[k] for k in range(sent.index - 3, sent.index + 3) if k in pending_effective]
    if eff:
        return eff[0].value, 3
    if nearby:
        return nearby[0], 2
    if dates:
        return dates[0].value, 1
    if reported:
        return reported[0].value, 1  # only the day it was said: the best the text gives
    return carried_date(ctx, sent), 0


def _controlled_items(ctx, sent, words, bound, by_bound, issuer) -> list:
    """(item, the state restricting it, mention confidence): free items for the issuer, bound items for the
    state that owns or imposes their trigger, and the technologies a 'technologies related to' list names."""
    items = []
    owners = {c.end: c for c in countries(sent)}
    free_ends = set()
    for m in sent.mentions:
        if m.start in bound or not _specific_item(ctx, m.entry):
            continue
        if m.entry.type in ITEM_TYPES and m.entry.cls != "Component" and not _foreign_item(ctx, sent, m, issuer, owners):
            items.append((m.entry, issuer, m.confidence))
            free_ends.add(m.end)
        elif (m.entry.type == "Product" or m.entry.cls == "Component") and _listed_after(ctx, m, free_ends):
            items.append((m.entry, issuer, m.confidence))  # 'exports of rare earths and related magnets'
            free_ends.add(m.end)
    for m, trig in bound.values():
        if not _specific_item(ctx, m.entry):
            continue
        own = None
        if m.start - 1 >= sent.start:
            own = next((c.entry for c in countries(sent) if c.end == m.start), None)
        by = next((c.entry for c in by_bound if trig < c.start <= trig + 5), None)
        items.append((m.entry, own or by or issuer, m.confidence))
    items += [(t, issuer, 0.7) for t in _technologies(ctx, sent, words)]
    if not items:
        items = [(e, issuer, 0.75) for e in _described_items(ctx, sent)]
    return items


def _described_items(ctx, sent) -> list:
    """'Exporters will still need licences to ship the metals': a descriptor with a definite determiner
    stands for the minerals named just before."""
    doc, f = ctx.doc, frames()
    for k in range(sent.start + 1, sent.end):
        if doc[k].lower_ in f["descriptor_heads"] and doc[k - 1].lower_ in ("the", "these", "those", "both"):
            return mineral_antecedents(ctx, sent, k, doc[k].lower_.endswith("s"), None, categories=False)
    return []


def _listed_after(ctx, m, item_ends: set) -> bool:
    """A product listed right after an item of the measure ('gallium, germanium and related products')."""
    doc, k = ctx.doc, m.start - 1
    while k >= 0 and m.start - k <= 3 and doc[k].lower_ in (",", "and", "or", "related", "associated", "their", "its"):
        k -= 1
    return k < m.start - 1 and (k + 1) in item_ends


def _foreign_item(ctx, sent, m, issuer, owners: dict) -> bool:
    """'a bill restricting deliveries of Russian enriched uranium': another state's goods, restricted by
    the issuer, are an import measure, not the issuer's export control (`owners`: the sentence's states
    by the token they end at)."""
    doc, k = ctx.doc, m.start - 1
    while k >= sent.start and k >= m.start - 3 and doc[k].is_lower and doc[k].is_alpha:
        k -= 1
    owner = owners.get(k + 1)
    return owner is not None and issuer is not None and owner.entry.iri != issuer.iri


def _clauses(ctx, sent) -> list:
    """'X has required licences for A since 2023, and last year banned B': two measures, each with its own
    date, measure and target. A sentence splits at ', and' / ', but' when the part after it restricts
    something of its own (a restriction word before its first item) and the part before does too."""
    doc = ctx.doc
    cuts = [i for i in range(sent.start + 1, sent.end - 1)
            if doc[i].text == "," and doc[i + 1].lower_ in ("and", "but", "while", "whereas") or doc[i].text == ";"]
    if not cuts:
        return [sent]
    item_at = {m.start for m in sent.mentions if m.entry.type in ITEM_TYPES}
    bounds = [sent.start] + cuts + [sent.end]
    parts = []  # (start, end, restricts, leads): one pass over each part's tokens
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        has_item = has_restriction = leads = False
        for x in range(a, b):
            if x in item_at:
                has_item = True
            if _restriction(ctx, doc[x].lower_)[0]:
                has_restriction = True
                leads = leads or not has_item
        parts.append((a, b, has_item and has_restriction, leads))
    merged = []
    for a, b, restricts, leads in parts:
        if merged and not (restricts and leads and merged[-1][2]):
            pa, _, pr, pl = merged[-1]
            merged[-1] = (pa, b, pr or restricts, pl)
        else:
            merged.append((a, b, restricts, leads))
    if len(merged) < 2:
        return [sent]
    out = []
    mentions = sorted(sent.mentions, key=lambda m: m.start)
    k = 0
    for a, b, _, _ in merged:
        own = []
        while k < len(mentions) and mentions[k].start < b:
            if mentions[k].start >= a:
                own.append(mentions[k])
            k += 1
        span = doc[a:b]
        out.append(Sentence(sent.index, a, b, span.start_char, span.end_char, span.text, own, whole=sent))
    return out


def _refers_to_measure(ctx, words: list[str]) -> bool:
    """'The ban, announced last December, ...', 'These controls took effect ...': a sentence about a measure
    the article has named, whose date is that measure's date."""
    head = words[:3]
    return len(head) >= 2 and head[0] in ("the", "this", "these", "that") and _restriction(ctx, head[1])[0]


def _measure_dates(ctx, sent):
    """The sentence's dates without the date of the report ('the ministry said on Sunday')."""
    dates = sentence_dates(ctx, sent)
    keep = [d for d in dates if not _reporting_date(sent.text, d.start)]
    return keep


def _reporting_date(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:said|says|told\s+\w+|reported|wrote)\s+(?:on\s+|in\s+a\s+\w+\s+on\s+|late\s+|early\s+)?$",
                          text[max(0, start - 30):start], re.I))


def _lifting(ctx, words: list[str]):
    """True when a lift word acts on a control ('suspended its ban', 'removed a requirement', 'the curbs were
    lifted'); 'ban' when it acts on the trade itself ('halted cobalt shipments', 'a suspension of exports'),
    which is a ban; None without a lift word."""
    lift = set(ctx.lex["lift_words"])
    found = None
    for k, w in enumerate(words):
        if w not in lift:
            continue
        after = [x for x in words[k + 1:k + 6] if x not in ("the", "a", "an", "its", "their", "of", "on", "all", "some")]
        before = words[max(0, k - 4):k]
        if w in ctx.wordset("revocation_words") and set(after[:3]) & ctx.wordset("permission_words"):
            found = found or "ban"  # 'revoked export licences': taking a permission away restricts
            continue
        if any(_restriction(ctx, x)[0] and x not in lift for x in after[:3] + before):
            return True
        if any(_trade_word(ctx, x) for x in after[:4]):
            found = found or "ban"  # 'halted rare earth shipments': stopping the trade is a ban
            continue
        nxt = words[k + 1] if k + 1 < len(words) else "."
        if found is None and (nxt in _BARE_LIFT_FOLLOWERS or not nxt[:1].isalpha() or _passive(words, k)):
            found = True  # 'Beijing lifted it in November', 'the measures were suspended.'
    return found


def _passive(words, k: int) -> bool:
    """'were halted', 'was temporarily suspended': the lift word is said of the subject before it."""
    return any(w in ("is", "are", "was", "were", "be", "been", "being") for w in words[max(0, k - 2):k])


_BARE_LIFT_FOLLOWERS = frozenset({"it", "them", "this", "these", "those", "in", "on", "from", "until", "for", "after",
                                  "last", "temporarily", "indefinitely", "and", "by", "as", "at", "early", "late"})
"""Words after a lift word that leave it acting on the measure in hand; 'halted assembly lines' (a noun
right after) acts on something else."""


def _specific_item(ctx, entry) -> bool:
    """'dual-use items', 'critical minerals' name categories of goods, not goods a measure covers."""
    if entry.iri in ctx.gaz.categories:
        return False
    last = entry.label.lower().split()[-1]
    return last not in ctx.lex["generic_heads"]


def _technologies(ctx, sent, words) -> list[Entry]:
    """'technologies related to cobalt refining, smelting and recycling' → one technology per process."""
    doc = ctx.doc
    out = []
    for k, w in enumerate(words):
        if not w.startswith("technolog"):
            continue
        j = k + 1
        while j < len(words) - 1 and not (words[j] == "related" and words[j + 1] == "to") and words[j] not in ("for", "of") \
                and j - k < 6:
            j += 1
        if j >= len(words) - 1 or words[j] not in ("related", "for", "of"):
            continue
        start = sent.start + j + (2 if words[j] == "related" else 1)
        segs = np_segments(ctx, start, sent.end)
        prefix = None
        pending = []
        for s, e in segs:
            minerals = [m for m in sent.mentions if s <= m.start < e and m.entry.type == "Mineral"]
            seg_words = [t.text for t in doc[s:e] if t.lower_ not in ("the", "a", "an", "their", "its")]
            if minerals and prefix is None:
                prefix = _short(minerals[0])
            low = [x.lower() for x in seg_words]
            cut = next((i for i, x in enumerate(low) if x in ("of", "from")), None)
            if cut is not None:
                process = seg_words[:cut]
                if pending:
                    process = pending + process
                    pending = []
            else:
                process = [x for x in seg_words if not any(m.start <= doc[s].i < m.end for m in minerals)]
                if minerals:
                    process = [t.text for t in doc[s:e] if not any(m.start <= t.i < m.end for m in minerals)
                               and t.lower_ not in ("the", "a", "an")]
                if e < sent.end and doc[e].lower_ == "and" and any(doc[x].lower_ == "of" for x in range(e, min(e + 4, sent.end))):
                    pending = process + ["and"]
                    continue
            if not process or not all(re.match(r"^[a-zA-Z\-]+$", x) for x in process) or len(process) > 4:
                continue
            if not re.search(r"(ing|tion|sion|ment|ure|sis|ysis)$", process[0].lower()) and \
                    not re.search(r"(ing|tion|sion|ment|ure|sis|ysis)$", process[-1].lower()):
                continue
            words_ = [x.lower() for x in process]
            label = " ".join(([prefix] if prefix else []) + words_ + ["technology"])
            out.append(known_or_new(ctx, [label, " ".join(words_ + ["technology"]),
                                          " ".join(([prefix] if prefix else []) + words_[:1] + ["technology"])],
                                    "technology", "Technology"))
        break
    return out


def _short(m) -> str:
    """'rare earths' → 'rare earth' as a modifier."""
    words = norm(m.text).split()
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _origin_country(ctx, sent, t: int, by_start: dict, tariff_words):
    doc = ctx.doc
    origin_verbs = set(ctx.lex["origin_verbs"])
    for k in range(t, min(sent.end, t + 15)):
        w = doc[k].lower_
        if w in tariff_words or doc[k].text in (".", ";") or (w == "," and k > t):
            return None
        nxt = k + 2 if k + 2 < sent.end and doc[k + 1].lower_ == "the" else k + 1
        if w in ("from", "in") and nxt in by_start and k - 1 >= sent.start and doc[k - 1].lower_ in origin_verbs:
            return by_start[nxt]
        if w == "from" and nxt in by_start and (ctx.ending_at(k, PRODUCT_TYPES) or
                                                 k - 1 >= t and doc[k - 1].is_alpha and doc[k - 1].is_lower):
            return by_start[nxt]  # 'a duty on graphite from China', 'on lithium-ion cells from the US'
    return None


def tariffs(ctx):
    """Tariffs: a state's tariffs 'on' another state (or its goods), with a rate; without a target, a
    counter-tariff on the state whose tariff it answers."""
    lex = ctx.lex
    tariff_words = ctx.wordset("tariff_words")
    for sent in ctx.analysis.sentences:
        words = words_of(ctx, sent)
        idx = [k for k, w in enumerate(words) if w in tariff_words and not negated(words, k, lex)]
        if not idx:
            continue
        target = _tariff_target(ctx, sent, idx, countries(sent), tariff_words)
        if target is None:
            _counter_tariff(ctx, sent, words, idx)
            continue
        for state in [target] + _coordinated_states(ctx, sent, target):
            _draft_tariff(ctx, sent, sent.start + idx[0], state)


def _tariff_target(ctx, sent, idx, states, tariff_words):
    """The state a tariff word is 'on' or 'against' (past 'imports', 'goods', 'from' ...), or the origin of
    the goods it is on."""
    doc = ctx.doc
    by_start = {c.start: c for c in states}
    for k in idx:
        t = sent.start + k + 1
        limit = min(sent.end, t + 10)
        while t < limit and doc[t].lower_ not in ("on", "against"):
            if doc[t].lower_ in tariff_words or doc[t].text in (".", ";"):
                break
            t += 1
        if t >= limit or doc[t].lower_ not in ("on", "against"):
            continue
        t += 1
        while t < limit and doc[t].lower_ in ("the", "all", "some", "most", "imports", "goods", "products", "from",
                                              "of", "made", "in", "certain"):
            t += 1
        if t in by_start:
            return by_start[t]
        # "a duty of 93.5% on anode material imported from China": the goods' origin is the target
        origin = _origin_country(ctx, sent, t, by_start, tariff_words)
        if origin is not None:
            return origin
    return None


_LIST_FOLLOWERS = frozenset({"and", "or", "in", "on", "from", "over", "as", "for", "after", "amid", "last", "this",
                             "to", "since", "by", "at", "with", "while", "but", "earlier", "later", "starting"})


def _coordinated_states(ctx, sent, first) -> list:
    """'on imports from Canada and Mexico': the states listed right after the target are targets too."""
    doc, by_start, out = ctx.doc, {c.start: c for c in countries(sent)}, []
    k = first.end
    while k < sent.end:
        j = k
        while j < sent.end and doc[j].lower_ in (",", "and", "or", "the"):
            j += 1
        if j == k or j not in by_start or not any(doc[x].lower_ in (",", "and", "or") for x in range(k, j)):
            break
        end = by_start[j].end
        if end < sent.end and doc[end].is_alpha and doc[end].lower_ not in _LIST_FOLLOWERS:
            break  # '..., and Canada responded': a new clause's subject
        out.append(by_start[j])
        k = end
    return [c for c in out if c.entry.iri != first.entry.iri]


def _counter_tariff(ctx, sent, words, idx):
    """"In addition to increasing tariffs, it also ...": a counter-tariff on the state that imposed one."""
    first = sent.start + idx[0]
    before = [c for c in eligible_issuers(ctx, sent) if c.start < first]
    who = before[-1].entry if before else None
    if who is None and any(w in ("it", "its") for w in words[:idx[0] + 4]):
        who = fallback_issuer(ctx, sent)
    prior = [d for d in ctx.drafts if d.relation == "tariff" and who is not None and d.object.iri == who.iri]
    if who is None or not prior:
        return
    dates = sentence_dates(ctx, sent)
    date = dates[0].value if dates else (carried_date(ctx, sent) or prior[-1].qualifiers.get("date"))
    add_draft(ctx, "tariff", who, prior[-1].subject, {"rate": None, "date": date, "item": None}, sent,
              "tariff_counter", RULE_CONFIDENCE["tariff"] * 0.6)


def _draft_tariff(ctx, sent, first, target):
    """The issuer named before the first tariff word, the rate nearest to it, the date, the goods named
    after the target."""
    doc = ctx.doc
    issuers = [c for c in eligible_issuers(ctx, sent, exclude=[target]) if c.entry.iri != target.entry.iri]
    before = [c for c in issuers if c.start < first]
    issuer_m = before[-1] if before else None
    if issuer_m is None:
        return
    rate = None
    percents = find_percents(sent.text)
    if percents:
        tariff_char = doc[first].idx - sent.start_char
        rate = min(percents, key=lambda p: abs(p.start - tariff_char)).value
    dates = _measure_dates(ctx, sent) or sentence_dates(ctx, sent)
    eff = [d for d in dates if d.effective]
    date, rank = (eff[0].value, 3) if eff else ((dates[0].value, 1) if dates else (carried_date(ctx, sent), 0))
    conf = RULE_CONFIDENCE["tariff"] * max(min(issuer_m.confidence, target.confidence), 0.75)
    item = next((m.entry for m in sent.mentions if m.entry.type in PRODUCT_TYPES and m.entry.type != "Industry"
                 and target.end <= m.start <= target.end + 1), None)  # an industry is no good a tariff covers
    add_draft(ctx, "tariff", issuer_m.entry, target.entry, {"rate": rate, "date": date, "item": item}, sent, "tariff",
              conf, rank)
