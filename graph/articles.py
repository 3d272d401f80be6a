"""Reading articles: text and Markdown with an optional metadata header, HTML pages, folders, stdin.

The header is `title:`, `source:`, `url:`, `date:` lines followed by a `---` line. Offsets of
evidence are counted in `Article.text`, the body after the header.
"""

import datetime as dt
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from graph.dates import parse_day
from graph.errors import InputError
from graph.namespaces import article_graph_iri, article_iri, article_key

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
HEADER_KEYS = ("title", "source", "url", "date")
MAX_BYTES = 20 * 1024 * 1024
_HEADER_LINE = re.compile(r"^(title|source|url|date)\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class Article:
    name: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: dt.date | None = None
    path: str | None = None

    @property
    def key(self) -> str:
        return article_key(self.url, self.text)

    @property
    def iri(self):
        return article_iri(self.key)

    @property
    def graph_iri(self):
        return article_graph_iri(self.key)


def parse_date(value: str, what: str = "date") -> dt.date:
    """ISO dates only (YYYY-MM-DD, YYYY-MM, YYYY): an ambiguous date is worse than none (graph.dates.parse_day)."""
    return parse_day(value, what)


def _looks_binary(text: str) -> bool:
    """More than 5% control characters (other than tab, line and page breaks) in the first 8,000: not prose.

    Catches binary data without NUL bytes, which any single-byte encoding would otherwise "decode".
    """
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f\v") or "\x7f" <= c <= "\x9f")
    return controls > 0.05 * len(sample)


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM); other encodings fall back to cp1252/latin-1 with a warning."""
    binary = InputError(f"{name}: looks like a binary file, not an article")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise binary
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        if _looks_binary(text):
            raise binary
        return text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise binary
        return text
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise binary
        warnings.warn(f"{name}: not UTF-8, read as {encoding}", stacklevel=2)
        return text
    raise InputError(f"{name}: cannot decode the text")


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """The header lines (`title:`, `source:`, `url:`, `date:`) and the body. The header ends at a `---` line,
    or at the first blank line after it: a header left without its `---` still dates the article."""
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped == "---" and meta:
            return meta, "\n".join(lines[i + 1 :])
        if not stripped and meta:
            rest = i + 1
            while rest < len(lines) and not lines[rest].strip():
                rest += 1
            if rest < len(lines) and lines[rest].strip() == "---":
                return meta, "\n".join(lines[rest + 1 :])
            return meta, "\n".join(lines[i + 1 :])
        match = _HEADER_LINE.match(stripped)
        if not match:
            break
        meta[match.group(1).lower()] = match.group(2).strip()
    return {}, raw


def html_to_text(html: str, name: str) -> tuple[dict[str, str], str]:
    """Main text and metadata of a web page, through trafilatura."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML page")
    meta: dict[str, str] = {}
    info = trafilatura.extract_metadata(html)
    if info is not None:
        for key, attr in (("title", "title"), ("source", "sitename"), ("url", "url"), ("date", "date")):
            value = getattr(info, attr, None)
            if value:
                meta[key] = str(value)
    return meta, text


def article_from_text(raw: str, name: str, *, path: str | None = None, default_date: dt.date | None = None,
                      is_html: bool = False) -> Article:
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if is_html:
        meta, body = html_to_text(raw, name)
    else:
        meta, body = split_header(raw)
    if not body.strip():
        raise InputError(f"{name}: the article is empty")
    date = default_date
    if meta.get("date"):
        try:
            date = parse_date(meta["date"][:10], f"{name}: date")
        except InputError:
            warnings.warn(f"{name}: date {meta['date']!r} is not a date (use YYYY-MM-DD); "
                          + (f"using {default_date.isoformat()}" if default_date else "left undated"), stacklevel=2)
            date = default_date
    return Article(name=name, text=body, title=meta.get("title"), publisher=meta.get("source"),
                   url=meta.get("url") or None, date=date, path=path)


def read_article(path: str | Path, default_date: dt.date | None = None) -> Article:
    """One article from a file, or from standard input when path is '-'."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        return article_from_text(decode(data, "<stdin>"), "stdin.txt", default_date=default_date)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.suffix.lower() not in ARTICLE_SUFFIXES:
        raise InputError(f"{p}: unsupported file type {p.suffix or '(none)'}; expected one of {', '.join(ARTICLE_SUFFIXES)}")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{p}: the file is empty")
    if size > MAX_BYTES:
        raise InputError(f"{p}: {size // (1024 * 1024)} MB is too large for one article (limit {MAX_BYTES // (1024 * 1024)} MB)")
    text = decode(p.read_bytes(), str(p))
    return article_from_text(text, p.name, path=str(p), default_date=default_date,
                             is_html=p.suffix.lower() in (".html", ".htm"))


def find_articles(sources: list[str | Path]) -> list[str]:
    """Expand files and folders (recursively) into article paths, in a stable order."""
    found: list[str] = []
    for source in sources:
        if str(source) == "-":
            found.append("-")
            continue
        p = Path(source)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not files:
                raise InputError(f"{p}: no articles (.txt, .md, .html) in this folder")
            found.extend(str(f) for f in files)
        elif p.exists():
            found.append(str(p))
        else:
            raise InputError(f"{p}: no such file or folder")
    return found
