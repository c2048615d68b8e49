"""Writes the iris data set (the training data of train_iris.py) as CSV with a header row.

    python iris_csv.py --out FILE

Columns sepal_length, sepal_width, petal_length, petal_width (cm), in the data set's order: the
reference data `mdo baseline build` profiles for the end-to-end tests.
"""

import argparse
import csv
import sys

from sklearn.datasets import load_iris

COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for row in load_iris().data:
            writer.writerow([repr(float(x)) for x in row])
    return 0


if __name__ == "__main__":
    sys.exit(main())
