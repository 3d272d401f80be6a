"""Train the tagger and dependency parser that ships inside the package, from UD English EWT.

    python scripts/train_parser.py ../shared/ud-ewt [--steps 12000] [--out graph/models/en_ewt_parser]

Reproduces `graph/models/en_ewt_parser`: converts the treebank's CoNLL-U files to spaCy's binary
format, writes an efficiency config (tagger + parser, CPU), trains, evaluates on the EWT *test* file,
and installs the best model with the treebank's attribution and license beside it. The figures it
prints (UAS, LAS, tag accuracy on test) are the ones the README quotes. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "graph" / "models" / "en_ewt_parser"

ATTRIBUTION = """\
This tagger and dependency parser was trained by cmkg's scripts/train_parser.py on the
Universal Dependencies English Web Treebank (UD_English-EWT).

Annotations (c) 2013-2021 The Board of Trustees of The Leland Stanford Junior University;
texts from the English Web Treebank (LDC2012T13).
Cite: Silveira et al., "A Gold Standard Dependency Corpus for English", LREC 2014.

The treebank is licensed under Creative Commons Attribution-ShareAlike 4.0 International
(https://creativecommons.org/licenses/by-sa/4.0/); this model, derived from it, is shared under the
same license. The full license text is in LICENSE.txt beside this file.
"""


def convert(conllu: Path, out: Path) -> Path:
    from spacy.tokens import DocBin
    from spacy.training.converters import conllu_to_docs

    docs = conllu_to_docs(conllu.read_text(encoding="utf-8"), n_sents=10, no_print=True)
    target = out / (conllu.stem + ".spacy")
    DocBin(docs=docs, store_user_data=False).to_disk(target)
    return target


def write_config(path: Path, steps: int) -> None:
    from spacy.cli.init_config import init_config

    config = init_config(lang="en", pipeline=["tagger", "parser"], optimize="efficiency", gpu=False)
    config["training"]["max_steps"] = steps
    config["training"]["eval_frequency"] = 500
    config["training"]["patience"] = 4000
    config["system"]["seed"] = 0
    config.to_disk(path)


def evaluate(model: Path, test: Path) -> dict:
    from spacy.cli.evaluate import evaluate as spacy_evaluate

    scores = spacy_evaluate(str(model), str(test), silent=True)
    return {"uas": round(scores["dep_uas"], 4), "las": round(scores["dep_las"], 4),
            "tag_acc": round(scores["tag_acc"], 4), "test_file": test.name}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("treebank", type=Path, help="folder with en_ewt-ud-{train,dev,test}.conllu")
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--work", type=Path, help="keep the training folder here (default: a temp dir)")
    ap.add_argument("--install-only", action="store_true",
                    help="do not train: evaluate and install WORK/training/model-best (e.g. after stopping a long run)")
    args = ap.parse_args(argv)

    files = {s: args.treebank / f"en_ewt-ud-{s}.conllu" for s in ("train", "dev", "test")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"Error: treebank files not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    from spacy.cli.train import train

    if args.install_only and args.work is None:
        print("Error: --install-only needs --work", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="cmkg-parser-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.install_only:
        corpus = {"test": convert(files["test"], work)}
    else:
        corpus = {s: convert(p, work) for s, p in files.items()}
        config = work / "config.cfg"
        write_config(config, args.steps)
        train(config, work / "training", overrides={"paths.train": str(corpus["train"]),
                                                    "paths.dev": str(corpus["dev"])})
    best = work / "training" / "model-best"
    scores = evaluate(best, corpus["test"])
    print(f"EWT test: UAS {scores['uas']:.3f}, LAS {scores['las']:.3f}, tag accuracy {scores['tag_acc']:.3f}")

    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(best, args.out)
    (args.out / "ATTRIBUTION.txt").write_text(ATTRIBUTION, encoding="utf-8")
    shutil.copy(args.treebank / "LICENSE.txt", args.out / "LICENSE.txt")
    meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    scores["dev"] = {k: round(v, 4) for k, v in meta.get("performance", {}).items() if k in ("dep_uas", "dep_las", "tag_acc")}
    (args.out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    print(f"Installed the model in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
