"""Train a churn classifier from the CSV files in a folder; save it as an MLflow model.

Runs inside Azure ML as the command component of examples/handoff.py (the environment comes from
examples/assets/conda.yaml): ``python train.py --data <folder> --model <folder>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="folder of CSV files with a `churned` column")
    parser.add_argument("--model", type=Path, required=True, help="where to write the MLflow model")
    parser.add_argument("--target", default="churned", help="the label column")
    args = parser.parse_args()

    files = sorted(args.data.rglob("*.csv"))
    if not files:
        raise SystemExit(f"{args.data}: no CSV files")
    frame = pd.concat([pd.read_csv(path) for path in files], ignore_index=True)
    features = frame.drop(columns=[args.target]).select_dtypes("number")
    model = LogisticRegression(max_iter=1000).fit(features, frame[args.target])
    mlflow.log_metric("train_accuracy", float(model.score(features, frame[args.target])))
    mlflow.sklearn.save_model(model, str(args.model))


if __name__ == "__main__":
    main()
