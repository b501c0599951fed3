#!/usr/bin/env python3
"""New groups for `gpo eval --groups`: merges of two test groups of one demographic dimension.

Usage: scripts/merged_groups.py SURVEY_DIR MODEL_DIR OUT.csv

Reads a survey folder in the gpo survey format (docs/FORMATS.md; e.g. from
`gpo data import --task oqa`) and a trained model's meta.json. Every pair of the model's test
respondents (neither training nor validation) that share an attribute key — e.g. two INCOME
groups — becomes one group named `A+B`, whose distribution on each question both answered is
the even mixture of theirs (the merged category if both groups were the same size). The file
is in the answers format; no answer of a training respondent enters it.
"""

import csv
import itertools
import json
import sys
from collections import defaultdict


def main(survey_dir, model_dir, out):
    meta = json.load(open(f"{model_dir}/meta.json"))
    seen = set(meta["train_respondents"]) | set(meta["validation_respondents"])
    attributes = {}
    with open(f"{survey_dir}/respondents.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row.pop("respondent")
            row.pop("label", None)
            attributes[name] = {k for k, v in row.items() if v}
    answers = defaultdict(lambda: defaultdict(dict))
    with open(f"{survey_dir}/answers.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            answers[row["respondent"]][row["question"]][row["option"]] = float(row["weight"])
    test = [name for name in answers if name not in seen]
    merged = 0
    with open(out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["respondent", "question", "option", "weight"])
        for a, b in itertools.combinations(test, 2):
            if not attributes.get(a, set()) & attributes.get(b, set()):
                continue
            merged += 1
            for question in answers[a].keys() & answers[b].keys():
                pa, pb = answers[a][question], answers[b][question]
                total_a, total_b = sum(pa.values()), sum(pb.values())
                for option in pa.keys() | pb.keys():
                    weight = 0.5 * pa.get(option, 0.0) / total_a + 0.5 * pb.get(option, 0.0) / total_b
                    writer.writerow([f"{a}+{b}", question, option, repr(weight)])
    print(f"{merged} merged groups from {len(test)} test groups -> {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
