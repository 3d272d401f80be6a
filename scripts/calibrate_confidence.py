"""Measure each extraction rule's precision on the development articles and store it as the rule's
confidence (graph/extract/rules/confidence.json).

    python scripts/calibrate_confidence.py --eval ../shared/eval [--write]

Runs the extractor on `EVAL/dev/*.txt`, matches its facts with `EVAL/gold` through the evaluation's
own scorer (`EVAL/score.py`), and counts, per relation and rule, how many facts were right. A rule
with few facts is pulled toward its relation's precision (`PRIOR_WEIGHT` pseudo-facts). Without
--write it only prints the table. It also prints precision per confidence band measured honestly:
two folds of articles, each fold's facts scored with the confidences learned on the other fold.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "graph" / "extract" / "rules" / "confidence.json"
PRIOR_WEIGHT = 3
BANDS = [(0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.6, 0.7), (0.0, 0.6)]


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("cmkg_eval_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(dev: Path):
    """(view record, relation:rule) for every fact of every dev article, uncalibrated."""
    from graph.articles import read_article
    from graph.extract.mentions import analyse
    from graph.extract.relations import read_relations

    rows = []
    for path in sorted(dev.glob("*.txt")):
        article = read_article(path)
        for fact in read_relations(analyse(article)):
            rows.append((fact.to_view(article.name), f"{fact.relation}:{fact.evidence.rule}"))
    return rows


def correctness(scorer, gold, rows) -> list[bool]:
    """Whether each predicted fact matched a gold fact (the scorer's own matching)."""
    preds = [r for r, _ in rows]
    _, _, misses = scorer.score(gold, preds, show_misses=True)
    extras = defaultdict(int)
    for kind, source, relation, s, o in misses:
        if kind == "extra":
            extras[(source, relation, scorer.norm(s), scorer.norm(o))] += 1
    out = []
    for r in preds:
        k = (r["source"], r["relation"], scorer.norm(r["subject"]), scorer.norm(r["object"]))
        if extras.get(k):
            extras[k] -= 1
            out.append(False)
        else:
            out.append(True)
    return out


def learn(rows, right) -> dict:
    per_rule, per_rel = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for (record, rule), ok in zip(rows, right):
        per_rule[rule][0] += ok
        per_rule[rule][1] += 1
        per_rel[record["relation"]][0] += ok
        per_rel[record["relation"]][1] += 1
    relations = {r: round(t / n, 3) for r, (t, n) in per_rel.items()}
    rules = {}
    for rule, (t, n) in sorted(per_rule.items()):
        prior = relations[rule.split(":", 1)[0]]
        rules[rule] = {"confidence": round((t + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT), 3), "right": t, "facts": n}
    return {"rules": rules, "relations": relations}


def confidence_of(learned, record, rule) -> float:
    hit = learned["rules"].get(rule)
    return hit["confidence"] if hit else learned["relations"].get(record["relation"], 0.5)


def bands(rows, right, folds) -> list[tuple]:
    counts = defaultdict(lambda: [0, 0])
    for k in range(2):
        train = [i for i, (r, _) in enumerate(rows) if folds[r["source"]] != k]
        learned = learn([rows[i] for i in train], [right[i] for i in train])
        for i, (record, rule) in enumerate(rows):
            if folds[record["source"]] != k or record["relation"] == "mentions":
                continue
            c = confidence_of(learned, record, rule)
            band = next(b for b in BANDS if b[0] <= c < b[1])
            counts[band][0] += right[i]
            counts[band][1] += 1
    return [(b, *counts[b]) for b in BANDS]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--write", action="store_true", help=f"write {TABLE.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if not (args.eval / "score.py").is_file():
        print(f"Error: no evaluation scorer at {args.eval / 'score.py'}", file=sys.stderr)
        return 2
    scorer = load_scorer(args.eval)
    gold = []
    for path in sorted((args.eval / "gold").glob("*.jsonl")):
        for f in scorer.load(path.read_text(encoding="utf-8").splitlines()):
            f.setdefault("source", path.stem + ".txt")
            gold.append(f)
    rows = predictions(args.eval / "dev")
    right = correctness(scorer, gold, rows)
    learned = learn(rows, right)
    for rule, v in learned["rules"].items():
        print(f"{rule:48} {v['right']:3}/{v['facts']:<3} -> {v['confidence']:.3f}")
    sources = sorted({r["source"] for r, _ in rows})
    folds = {s: i % 2 for i, s in enumerate(sources)}
    print("\nprecision per confidence band (two folds, each scored with the other fold's table; relations only):")
    for (lo, hi), ok, n in bands(rows, right, folds):
        print(f"  {lo:.1f}-{min(hi, 1.0):.1f}: {ok}/{n} right" + (f" ({ok / n:.2f})" if n else ""))
    if args.write:
        payload = {"_about": "Measured precision per relation:rule on the development articles "
                             "(scripts/calibrate_confidence.py); read by graph/extract/confidence.py.",
                   "articles": len(sources), **learned}
        TABLE.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nWrote {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
