"""Counts the rows on which two iris models (model.joblib in two directories) predict the same class.

    python agreement_iris.py DIR_A DIR_B < rows.json

rows.json is a JSON list of rows of four features. Prints one JSON line:
{"rows": n, "agreeing": k}, the offline answer a shadow comparison must reproduce.
"""

import json
import os
import sys

import joblib


def main() -> int:
    first = joblib.load(os.path.join(sys.argv[1], "model.joblib"))
    second = joblib.load(os.path.join(sys.argv[2], "model.joblib"))
    rows = json.load(sys.stdin)
    a = first.predict(rows)
    b = second.predict(rows)
    json.dump({"rows": len(rows), "agreeing": int((a == b).sum())}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
