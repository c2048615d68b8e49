"""Trains a logistic regression on many numeric features into an MLServer model repository, for
the memory part of `npm run bench:batch` (rows that wide make a 1 GiB input of ~130k rows).

    python train_wide.py --out DIR --name wide --features 1000

Writes DIR/<name>/model.joblib and DIR/<name>/model-settings.json (MLServer's scikit-learn
runtime) and prints one JSON line: the model's name, features, test accuracy and versions.
Deterministic: synthetic data (make_classification) with a fixed seed, and the lbfgs solver.
"""

import argparse
import json
import os
import sys

import joblib
import sklearn
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

SEED = 20261204


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--name", default="wide")
    parser.add_argument("--features", type=int, default=1000)
    args = parser.parse_args()
    model_dir = os.path.join(os.path.abspath(args.out), args.name)
    os.makedirs(model_dir, exist_ok=True)
    x, y = make_classification(
        n_samples=4000, n_features=args.features, n_informative=min(50, args.features),
        n_redundant=0, random_state=SEED,
    )
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=SEED)
    model = LogisticRegression(max_iter=1000)
    model.fit(x_train, y_train)
    joblib.dump(model, os.path.join(model_dir, "model.joblib"))
    with open(os.path.join(model_dir, "model-settings.json"), "w") as f:
        json.dump(
            {"name": args.name, "implementation": "mlserver_sklearn.SKLearnModel",
             "parameters": {"uri": "./model.joblib", "version": "v1"}},
            f, indent=2,
        )
    json.dump(
        {"modelName": args.name, "features": args.features, "testAccuracy": float(model.score(x_test, y_test)),
         "sklearn": sklearn.__version__},
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
