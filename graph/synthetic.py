"""Synthetic data for benchmarks: dependency graphs of any size shaped like the real one.

Minerals feed components, components feed products, products feed industries, all through
`cmkg:dependsOn` edges with labels and types, so the benchmarks exercise the same queries and
graph walks as real data. Deterministic for a given seed.
"""

import random

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.namespaces import CMKG, ID

TIERS = (("mineral", CMKG.Mineral, 0.02), ("material", CMKG.Component, 0.18),
         ("product", CMKG.Product, 0.6), ("industry", CMKG.Industry, 0.2))
TRIPLES_PER_NODE = 6.5


def synthetic_triples(n_triples: int, seed: int = 0):
    """Yield about `n_triples` rdflib triples of a layered dependency graph."""
    rng = random.Random(seed)
    n_nodes = max(8, int(n_triples / TRIPLES_PER_NODE))
    tiers = []
    for kind, cls, share in TIERS:
        tiers.append([(URIRef(f"{ID}{kind}/syn-{i}"), cls, kind) for i in range(max(2, int(n_nodes * share)))])
    emitted = 0
    for nodes in tiers:
        for iri, cls, kind in nodes:
            label = f"{kind} {iri.rsplit('-', 1)[-1]}"
            yield (iri, RDF.type, cls)
            yield (iri, SKOS.prefLabel, Literal(label, lang="en"))
            yield (iri, RDFS.label, Literal(label, lang="en"))
            emitted += 3
    lower = tiers[0]
    for nodes in tiers[1:]:
        for iri, _, _ in nodes:
            for target in rng.sample(lower, k=min(len(lower), rng.randint(1, 3))):
                yield (iri, CMKG.dependsOn, target[0])
                emitted += 1
        lower = nodes
    while emitted < n_triples:
        tier = rng.randrange(1, len(tiers))
        src = rng.choice(tiers[tier])[0]
        dst = rng.choice(tiers[tier - 1])[0]
        yield (src, CMKG.dependsOn, dst)
        emitted += 1


def write_ntriples(path, n_triples: int, seed: int = 0) -> int:
    """Write the synthetic graph as N-Triples (the fastest format to load); returns the triple count."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for s, p, o in synthetic_triples(n_triples, seed):
            fh.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            count += 1
    return count


# -- synthetic articles (ingest benchmarks, parallel-ingest tests) ---------------------------------
#
# Each article is the seed article with its entities, dates and figures replaced by draws from small
# pools, so it exercises the same extraction rules with different answers. Article i of a given seed
# is always the same text, and every article has its own URL (so its own key and named graph).

SEED_ARTICLE = "000_338a74fefc3e312e.txt"

_HEAVY = ("samarium", "gadolinium", "terbium", "dysprosium", "lutetium", "scandium", "yttrium", "holmium",
          "erbium", "thulium", "ytterbium", "europium")
_DUAL_USE = ("gallium", "germanium", "antimony", "graphite", "tungsten", "indium", "bismuth", "tellurium",
             "molybdenum", "cobalt", "lithium", "nickel")
_LIGHT = ("titanium", "magnesium", "light rare earths", "neodymium", "praseodymium", "lanthanum", "cerium",
          "vanadium", "manganese")
_COUNTRIES = ("Japan", "South Korea", "India", "Australia", "Canada", "Germany", "France", "Vietnam",
              "Brazil", "Indonesia", "Netherlands", "Taiwan")
_PEOPLE = (("Andrew Gilholm", "Gilholm"), ("Arthur Kroeber", "Kroeber"), ("Tom Nunlist", "Nunlist"),
           ("Maria Keller", "Keller"), ("David Osei", "Osei"), ("Lena Park", "Park"), ("Rahul Mehta", "Mehta"),
           ("Sofia Marin", "Marin"))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def seed_article_path():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "seeds" / SEED_ARTICLE


def _seed_text(path=None) -> str:
    from graph.errors import InputError

    path = path or seed_article_path()
    try:
        return open(path, encoding="utf-8").read()
    except OSError as err:
        raise InputError(f"cannot read the seed article {path}: {err.strerror or err}") from None


def _listing(items) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + ", and " + items[-1]


def synthetic_article_text(i: int, seed: int = 0, template: str | None = None) -> str:
    """Text (with its metadata header) of synthetic article `i`: the seed article with new entities, dates, figures."""
    import datetime as dt

    rng = random.Random(f"cmkg-synthetic:{seed}:{i}")
    text = template if template is not None else _seed_text()
    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    before = day - dt.timedelta(days=rng.randrange(1, 3))
    tariff_day = max(dt.date(day.year, 1, 1), day - dt.timedelta(days=rng.randrange(20, 120)))
    heavy = rng.sample(_HEAVY, rng.randint(3, 7))
    dual = rng.sample(_DUAL_USE, rng.randint(2, 5))
    light = rng.sample(_LIGHT, 3)
    countries = rng.sample(_COUNTRIES, 2)
    people = rng.sample(_PEOPLE, 3)
    mining, refined = rng.randint(35, 75), rng.randint(76, 99)
    replacements = [
        ("date: 2025-06-09", f"date: {day.isoformat()}"),
        ("url: https://www.toutiao.com/article/7513793370133627407/",
         f"url: https://example.org/cmkg-synthetic/{seed}/{i}"),
        ("Original source: https://www.toutiao.com/article/7513793370133627407/",
         f"Original source: https://example.org/cmkg-synthetic/{seed}/{i}"),
        ("samarium, gadolinium, terbium, dysprosium, lutetium, scandium, and yttrium", _listing(heavy)),
        ("seven categories", f"{len(heavy)} categories"),
        ("gallium, germanium, antimony, ultra-hard materials, and graphite", _listing(dual)),
        ("titanium, magnesium, and light rare earths", _listing(light)),
        ("Japan, South Korea, and some EU member states", f"{countries[0]}, {countries[1]}, and some EU member states"),
        ("as high as 145%", f"as high as {rng.choice((10, 20, 25, 34, 54, 84, 104, 125, 145))}%"),
        ("more than 60% of global rare earth production and 92% of refined supply",
         f"more than {mining}% of global rare earth production and {refined}% of refined supply"),
        ("In 2023, China accounted", f"In {day.year - rng.randint(1, 2)}, China accounted"),
        ("On April 2 this year", f"On {_MONTHS[tariff_day.month - 1]} {tariff_day.day} this year"),
        ("Local time on June 8", f"Local time on {_MONTHS[before.month - 1]} {before.day}"),
        ("a June 7 message", f"a {_MONTHS[before.month - 1]} {max(1, before.day - 1)} message"),
        ("three months", f"{rng.choice(('two', 'three', 'four', 'six'))} months"),
    ]
    for (full, short), (new_full, new_short) in zip(_PEOPLE[:3], people):
        replacements += [(full, new_full), (f"{short} said", f"{new_short} said")]
    for old, new in replacements:
        text = text.replace(old, new)
    title_mineral = heavy[0]
    return text.replace("title: China's success in the rare earth supply chain",
                        f"title: China's success in the {title_mineral} supply chain", 1)


def synthetic_articles(n: int, seed: int = 0) -> list:
    """`n` synthetic articles (graph.articles.Article), ready for `graph.ingest.ingest_articles`."""
    from graph.articles import article_from_text

    template = _seed_text()
    return [article_from_text(synthetic_article_text(i, seed, template), f"synthetic-{seed}-{i:05d}.txt")
            for i in range(n)]


def write_synthetic_articles(folder, n: int, seed: int = 0) -> list:
    """Write `n` synthetic articles as .txt files under `folder` (for `cmkg ingest FOLDER`); returns the paths."""
    from pathlib import Path

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    template = _seed_text()
    paths = []
    for i in range(n):
        path = out / f"synthetic-{seed}-{i:05d}.txt"
        path.write_text(synthetic_article_text(i, seed, template), encoding="utf-8")
        paths.append(path)
    return paths
