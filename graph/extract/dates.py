"""Date expressions in a sentence, resolved against the article's date.

"21 September 2010" → 2010-09-21; "Aug. 1" → the anchor's year; "last December" in a June 2025
article → 2024-12; "on Tuesday" → the latest Tuesday on or before the article's date; "last week",
"this year", "last month". Precision follows the text: YYYY, YYYY-MM or YYYY-MM-DD. An expression
preceded by "take effect", "starting", "from"... is marked `effective`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graph.extract.lexicon import lexicon

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
for _name, _i in list(MONTHS.items()):
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_PATTERNS = [
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("mdy", re.compile(r"\b" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("md_this", re.compile(r"\b" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<rel>this|last|next)\s+year\b", re.I)),
    ("md", re.compile(r"\b" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:%|per|,\s*(?:19|20)\d\d))", re.I)),
    ("dm", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"\b(?!\s+(?:19|20)\d\d)", re.I)),
    ("my", re.compile(r"\b" + _MON + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("last_month", re.compile(r"\b(?P<rel>last|next|this)\s+" + _MON + r"(?![a-z])", re.I)),
    ("rel_unit", re.compile(r"\b(?P<rel>last|this|next|earlier this|later this|previous|past)\s+(?P<unit>week|month|year)\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|this\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("month_in", re.compile(r"\b(?P<prep>in|since|by|until|from|during|early|late|mid|end of|beginning of|in early|in late|in mid)[\s-]+" + _MON + r"(?![a-z])(?!\s+\d)", re.I)),
    ("year", re.compile(r"(?<![$€£\d,.])\b(?P<year>(?:19|20)\d\d)\b(?![\d%]|[.,]\d|\s*(?:tonnes|tons|metric|kg|per|yuan|\$))", re.I)),
]


def _alternatives(phrases) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)


def _effect_pattern(spec: dict) -> re.Pattern:
    """Words that end just before a date and make it the date a measure takes effect (rules/lexicon.json
    effect_phrases): 'take effect', 'came into force', 'starting', 'as of', then perhaps 'on', 'from'."""
    return re.compile(
        r"(?:(?:" + _alternatives(spec["verbs"]) + r")\s+(?:into\s+)?(?:" + _alternatives(spec["objects"]) + r")|"
        + _alternatives(spec["phrases"]) + r")(?:\s+(?:" + _alternatives(spec["prepositions"]) + r"))?\s*$", re.I)


_EFFECT = _effect_pattern(lexicon()["effect_phrases"])


@dataclass(frozen=True)
class DateExpr:
    start: int  # character offsets in the text given to find_dates
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    effective: bool
    text: str


@dataclass(frozen=True)
class Anchor:
    """What relative dates are resolved against: the article's date, or one inferred from its text."""

    date: dt.date
    precision: str  # day | month | year

    @property
    def exact(self) -> bool:
        return self.precision == "day"


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None:
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


def _shift_month(d: dt.date, months: int) -> tuple[int, int]:
    total = d.year * 12 + d.month - 1 + months
    return total // 12, total % 12 + 1


def _resolve(kind: str, m: re.Match, anchor: Anchor | None) -> str | None:
    g = m.groupdict()
    if kind in ("dmy", "mdy"):
        return _fmt(int(g["year"]), _month(g["mon"]), int(g["day"]))
    if kind == "my":
        return _fmt(int(g["year"]), _month(g["mon"]))
    if kind == "year":
        return _fmt(int(g["year"]))
    if anchor is None:
        return None
    a = anchor.date
    if kind == "md_this":
        year = a.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        return _fmt(year, _month(g["mon"]), int(g["day"]))
    if kind in ("md", "dm"):
        return _fmt(a.year, _month(g["mon"]), int(g["day"]))
    if kind == "month_in":
        month = _month(g["mon"])
        year = a.year if anchor.precision == "year" or month <= a.month else a.year - 1
        return _fmt(year, month)
    if kind == "last_month":
        month, rel = _month(g["mon"]), g["rel"].lower()
        if rel == "last":
            year = a.year if month < a.month else a.year - 1
        elif rel == "next":
            year = a.year if month > a.month else a.year + 1
        else:
            year = a.year
        return _fmt(year, month)
    if kind == "rel_unit":
        rel, unit = g["rel"].lower(), g["unit"].lower()
        step = -1 if rel in ("last", "previous", "past") else (1 if rel == "next" else 0)
        if unit == "year":
            return _fmt(a.year + step)
        if anchor.precision == "year":
            return None
        if unit == "month":
            return _fmt(*_shift_month(a, step))
        if not anchor.exact:
            return None
        d = a + dt.timedelta(days=7 * step)
        return _fmt(d.year, d.month)
    if kind == "weekday":
        if not anchor.exact:
            return None
        back = (a.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
        if m.group(0).lower().startswith("last"):
            back = back or 7
        d = a - dt.timedelta(days=back)
        return d.isoformat()
    return None


_FUTURE_CUES = re.compile(r"\b(?:will|would|shall|plans?|planned|planning|next|until|expected|due|set\s+to|"
                          r"going\s+to|is\s+to|are\s+to)\b", re.I)


def _past_day(value: str, anchor, before: str) -> str:
    """'began requiring permits on December 1' in a March article is last December: a day without a year
    more than 45 days after the article, said with no word of the future before it, is in the year before."""
    if anchor is None or not anchor.exact or _FUTURE_CUES.search(before):
        return value
    day = dt.date.fromisoformat(value)
    if (day - anchor.date).days > 45:
        return _fmt(day.year - 1, day.month, day.day)
    return value


def _coming_month(value: str, anchor) -> str:
    """'will require reports from July' in a June article is this July; in an August article, next July."""
    if anchor is None or anchor.precision == "year":
        return value
    month = int(value[5:7])
    year = anchor.date.year if month >= anchor.date.month else anchor.date.year + 1
    return _fmt(year, month)


_REPORTED_BARE = r"\b(?:said|says|announced|announces|told|confirmed|stated|added|reported|declared|wrote)\s+$"


def find_dates(text: str, anchor: Anchor | None) -> list[DateExpr]:
    """Date expressions in `text`, longest first at each place, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[DateExpr] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "weekday" and not re.search(r"\b(on|last|this)\s+\w+$", text[max(0, s - 1): e], re.I) \
                    and not re.match(r"(on|last|this)\s", m.group(0), re.I) \
                    and not re.search(_REPORTED_BARE, text[max(0, s - 20): s], re.I):
                continue  # 'the ministry announced Wednesday' (news style) is a day; 'Wednesday's vote' is not
            if kind == "dm" and _lower_case_after_day(text, s):
                continue
            mon = m.groupdict().get("mon")
            if mon and not mon[0].isupper():
                continue  # "this may lead to", "march on": a month is written with a capital
            value = _resolve(kind, m, anchor)
            if value is None:
                continue
            taken.append((s, e))
            before = text[max(0, s - 40): s]
            effective = bool(_EFFECT.search(before))
            if kind in ("md", "dm") and not effective:
                value = _past_day(value, anchor, text[max(0, s - 60): s])
            elif kind == "month_in" and (effective or m.group("prep").lower() in ("from", "until", "by")) \
                    and _FUTURE_CUES.search(text[max(0, s - 120): s]):
                value = _coming_month(value, anchor)  # 'will require reports ... from July'
            found.append(DateExpr(s, e, value, effective, m.group(0)))
    return sorted(found, key=lambda d: d.start)


def _lower_case_after_day(text: str, start: int) -> bool:
    """'5 May' is a date; '5 may' after a number word is not: keep day-month only when capitalised."""
    word = re.match(r"\d+\s+(?:of\s+)?(\w+)", text[start:])
    return bool(word and word.group(1)[0].islower())


def infer_anchor(article_date: dt.date | None, text: str) -> Anchor | None:
    """The article's date, or else the latest explicit month (or year) its text names."""
    if article_date is not None:
        return Anchor(article_date, "day")
    best = None
    for kind, pattern in _PATTERNS:
        if kind not in ("dmy", "mdy", "my", "year"):
            continue
        for m in pattern.finditer(text):
            value = _resolve(kind, m, None)
            if not value:
                continue
            parts = [int(p) for p in value.split("-")]
            d = dt.date(parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 1)
            precision = "month" if len(parts) > 1 else "year"
            if len(parts) == 1:
                d = dt.date(parts[0], 12, 31)
            rank = (precision == "month", d)
            if best is None or rank > best[2]:
                best = (d, precision, rank)
    if best is None or best[0].year > dt.date.today().year + 1:
        return None
    return Anchor(best[0], best[1])
