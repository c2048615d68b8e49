"""Replaces the model of an MLServer model directory written by train_iris.py with a variant.

    python retrain_iris.py --model-dir DIR --features N [--strength C]

Trains the same StandardScaler + LogisticRegression pipeline on the first N iris features only
and overwrites DIR/model.joblib. Served after a reload, the model answers every request with
four features with an error from scikit-learn ("X has 4 features, but ... is expecting N"):
an honest way for the end-to-end tests to get a canary whose model fails every real request.
Prints one JSON line with the number of features the model expects.
"""

import argparse
import json
import os
import sys

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--features", type=int, required=True)
    parser.add_argument("--strength", type=float, default=1.0,
                        help="LogisticRegression's C: a small one (0.01) gives a weaker model that accepts the same inputs but answers differently")
    args = parser.parse_args()
    iris = load_iris()
    x = iris.data[:, : args.features]
    model = Pipeline([("scale", StandardScaler()), ("classify", LogisticRegression(C=args.strength, max_iter=1000))])
    model.fit(x, iris.target)
    joblib.dump(model, os.path.join(args.model_dir, "model.joblib"))
    json.dump({"features": int(model.n_features_in_)}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
