"""Trains a small iris classifier and writes an MLServer model repository for tests.

    python train_iris.py --out DIR [--http-port P --grpc-port G [--metrics-port M]] [--name iris]
                         [--flavor sklearn|xgboost|lightgbm] [--no-settings] [--latency-ms MS]

Writes (and prints, as one JSON line on stdout, a summary of):

    DIR/settings.json              only with --http-port (a server on this host): 127.0.0.1 only,
                                   no worker pool, metrics off unless --metrics-port is given
    DIR/<name>/model-settings.json implementation mlserver_sklearn.SKLearnModel, parameters.uri
                                   (sklearn only, and not with --no-settings: then the fetcher's
                                   layout step writes it); with --latency-ms, implementation
                                   slow_sklearn.SlowSKLearnModel with parameters.extra.latency_ms
    DIR/<name>/slow_sklearn.py     only with --latency-ms: a copy of test/support/slow_sklearn.py,
                                   the scikit-learn runtime with an asyncio.sleep before every
                                   predict (MLServer imports it from the model folder)
    DIR/<name>/model.joblib        sklearn: a StandardScaler + LogisticRegression pipeline
    DIR/<name>/model.json          xgboost: an XGBClassifier (MLServer answers its predict)
    DIR/<name>/model.bst           lightgbm: a Booster in LightGBM's text format (MLServer answers
                                   Booster.predict: class probabilities)
    DIR/<name>/expected.json       sample rows with their labels and the model's own predictions
                                   and probabilities, and `served`: what MLServer's runtime for the
                                   flavour answers for those rows, computed in-process

Deterministic: the iris data ship inside scikit-learn (no download), the split uses a fixed
seed and the solver (lbfgs) has no randomness, so every run writes the same model.
"""

import argparse
import json
import os
import shutil
import sys

import joblib
import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

SEED = 20240601
# One flower of each species (rows 0, 50, 100 of the data set) and two borderline ones.
SAMPLE_ROWS = [0, 50, 100, 77, 133]
# The custom runtime that --latency-ms serves the model with.
SLOW_RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "support", "slow_sklearn.py")


def write_server_settings(out: str, args: argparse.Namespace) -> None:
    """DIR/settings.json for an MLServer started on this host (tests), not for pods."""
    settings = {
        "debug": False,
        "host": "127.0.0.1",
        "http_port": args.http_port,
        "grpc_port": args.grpc_port,
        # 0: inference runs in the server process itself (no worker pool), so there is one
        # Python process to stop and the server stays light on a 2-core machine.
        "parallel_workers": 0,
        "load_models_at_startup": True,
        "model_repository_root": out,
        "environments_dir": os.path.join(out, ".envs"),
        "metrics_dir": os.path.join(out, ".metrics"),
        "metrics_endpoint": "/metrics" if args.metrics_port else None,
    }
    if args.metrics_port:
        settings["metrics_port"] = args.metrics_port
    with open(os.path.join(out, "settings.json"), "w") as f:
        json.dump(settings, f, indent=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="model repository directory (created)")
    parser.add_argument("--name", default="iris", help="model name (default: iris)")
    parser.add_argument("--http-port", type=int, default=None, help="write DIR/settings.json for a host server")
    parser.add_argument("--grpc-port", type=int, default=0)
    parser.add_argument("--metrics-port", type=int, default=0, help="0: metrics server off")
    parser.add_argument("--flavor", choices=["sklearn", "xgboost", "lightgbm"], default="sklearn")
    parser.add_argument("--no-settings", action="store_true", help="write no model-settings.json")
    parser.add_argument(
        "--latency-ms", type=float, default=None,
        help="serve with slow_sklearn.SlowSKLearnModel: every inference takes at least MS (sklearn only)",
    )
    args = parser.parse_args()
    if args.latency_ms is not None and (args.flavor != "sklearn" or args.no_settings):
        parser.error("--latency-ms needs --flavor sklearn and model settings")
    if args.latency_ms is not None and args.latency_ms < 0:
        parser.error("--latency-ms must be >= 0")

    out = os.path.abspath(args.out)
    model_dir = os.path.join(out, args.name)
    os.makedirs(model_dir, exist_ok=True)

    iris = load_iris()
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, iris.target, test_size=0.2, random_state=SEED, stratify=iris.target
    )
    rows = iris.data[SAMPLE_ROWS]
    if args.flavor == "sklearn":
        model = Pipeline(
            [("scale", StandardScaler()), ("classify", LogisticRegression(max_iter=1000))]
        )
        model.fit(x_train, y_train)
        joblib.dump(model, os.path.join(model_dir, "model.joblib"))
        served = model.predict(rows).tolist()
    elif args.flavor == "xgboost":
        import xgboost

        model = xgboost.XGBClassifier(n_estimators=20, max_depth=3, random_state=SEED, n_jobs=1)
        model.fit(x_train, y_train)
        model.save_model(os.path.join(model_dir, "model.json"))
        served = model.predict(rows).tolist()
    else:
        import lightgbm

        model = lightgbm.LGBMClassifier(n_estimators=20, random_state=SEED, n_jobs=1, verbose=-1)
        model.fit(x_train, y_train)
        model.booster_.save_model(os.path.join(model_dir, "model.bst"))
        served = np.round(model.booster_.predict(rows), 6).tolist()
    accuracy = float(model.score(x_test, y_test))

    if args.flavor == "sklearn" and not args.no_settings:
        implementation = "mlserver_sklearn.SKLearnModel"
        parameters = {"uri": "./model.joblib", "version": "v1"}
        if args.latency_ms is not None:
            shutil.copyfile(SLOW_RUNTIME, os.path.join(model_dir, "slow_sklearn.py"))
            implementation = "slow_sklearn.SlowSKLearnModel"
            parameters["extra"] = {"latency_ms": args.latency_ms}
        with open(os.path.join(model_dir, "model-settings.json"), "w") as f:
            json.dump(
                {"name": args.name, "implementation": implementation, "parameters": parameters},
                f,
                indent=2,
            )

    if args.http_port is not None:
        write_server_settings(out, args)

    expected = {
        "rows": rows.tolist(),
        "labels": iris.target[SAMPLE_ROWS].tolist(),
        "predictions": model.predict(rows).tolist(),
        "probabilities": np.round(model.predict_proba(rows), 6).tolist(),
        "classNames": iris.target_names.tolist(),
        "featureNames": iris.feature_names,
        "flavor": args.flavor,
        "served": served,
    }
    with open(os.path.join(model_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)

    json.dump(
        {
            "modelName": args.name,
            "modelDir": model_dir,
            "testAccuracy": accuracy,
            "python": sys.version.split()[0],
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "joblib": joblib.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
