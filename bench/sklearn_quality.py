"""scikit-learn's side of the quality benchmark (bench/quality.mjs).

    python3 bench/sklearn_quality.py TRAIN.csv TEST.csv TARGET classification|regression

Fits scikit-learn's default MLP and linear model on TRAIN.csv and scores them on
TEST.csv, with the same preprocessing idea as the built-in trainer, fitted on the
training rows only: numeric columns take the training mean where missing and are
standardised; text columns are one-hot encoded (a missing value is a category of
its own, a value never seen in training encodes as all zeros). Rows without a
target are left out, as the built-in trainer and evaluate do. Prints one JSON
object on stdout.
"""

import csv
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

try:
    import pandas as pd
except ImportError:  # the csv module does the reading instead
    pd = None

# The texts the built-in reader takes as missing (its default null_values).
NULL_VALUES = ["", "NA", "N/A", "null", "NULL", "Null", "None", "#N/A"]
MISSING = "__missing__"


def to_number(text):
    try:
        return float(text)
    except ValueError:
        return None


def read_csv_module(path):
    """The header and each column's cells as text (None where missing)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if any(cell != "" for cell in r)]
    return header, {name: [None if r[j] in NULL_VALUES else r[j] for r in body] for j, name in enumerate(header)}


def load(train_path, test_path, target, task):
    """Feature matrices (data frames, or object arrays), targets, and the feature, numeric and text column names."""
    if pd is not None:
        train = pd.read_csv(train_path, keep_default_na=False, na_values=NULL_VALUES)
        test = pd.read_csv(test_path, keep_default_na=False, na_values=NULL_VALUES)
        train = train[train[target].notna()].copy()
        test = test[test[target].notna()].copy()
        features = [c for c in train.columns if c != target]
        # Typed from the training file: numbers (not booleans) are numeric, the rest is text.
        numeric = [c for c in features if pd.api.types.is_numeric_dtype(train[c]) and not pd.api.types.is_bool_dtype(train[c])]
        text = [c for c in features if c not in numeric]
        for frame in (train, test):
            for c in numeric:
                frame[c] = pd.to_numeric(frame[c], errors="coerce")
            for c in text:
                frame[c] = frame[c].astype(object).where(frame[c].notna(), None).map(lambda v: MISSING if v is None else str(v))
        y_train, y_test = train[target].to_numpy(), test[target].to_numpy()
        if task == "classification":
            y_train, y_test = np.array([str(v) for v in y_train]), np.array([str(v) for v in y_test])
        else:
            y_train, y_test = y_train.astype(float), y_test.astype(float)
        return train[features], test[features], y_train, y_test, features, numeric, text, "pandas " + pd.__version__

    header, train_cols = read_csv_module(train_path)
    _, test_cols = read_csv_module(test_path)
    features = [c for c in header if c != target]
    # Typed from the training file: a column whose every present value is a number is numeric.
    numeric = [c for c in features if all(v is None or to_number(v) is not None for v in train_cols[c])]
    text = [c for c in features if c not in numeric]

    def matrix(cols):
        keep = [i for i, v in enumerate(cols[target]) if v is not None]
        x = np.empty((len(keep), len(features)), dtype=object)
        for j, c in enumerate(features):
            for k, i in enumerate(keep):
                v = cols[c][i]
                if c in numeric:
                    number = None if v is None else to_number(v)
                    x[k, j] = np.nan if number is None else number
                else:
                    x[k, j] = MISSING if v is None else str(v)
        labels = [cols[target][i] for i in keep]
        y = np.array([str(v) for v in labels]) if task == "classification" else np.array(labels, dtype=float)
        return x, y

    x_train, y_train = matrix(train_cols)
    x_test, y_test = matrix(test_cols)
    return x_train, x_test, y_train, y_test, features, numeric, text, "csv module"


def preprocessor(numeric, text, positions):
    pick = (lambda names: [positions[n] for n in names]) if positions else (lambda names: names)
    parts = []
    if numeric:
        parts.append(("numeric", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]), pick(numeric)))
    if text:
        parts.append(("text", OneHotEncoder(handle_unknown="ignore"), pick(text)))
    return ColumnTransformer(parts)


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in ("classification", "regression"):
        sys.exit("usage: sklearn_quality.py TRAIN.csv TEST.csv TARGET classification|regression")
    train_path, test_path, target, task = sys.argv[1:]
    x_train, x_test, y_train, y_test, features, numeric, text, reader = load(train_path, test_path, target, task)
    # The csv module's matrices are plain arrays with the features in file order: columns go by position.
    positions = None if pd is not None else {name: i for i, name in enumerate(features)}
    if task == "classification":
        models = {
            "mlp": ("MLPClassifier(random_state=0, max_iter=1000)", MLPClassifier(random_state=0, max_iter=1000)),
            "linear": ("LogisticRegression(max_iter=2000)", LogisticRegression(max_iter=2000)),
        }
    else:
        models = {
            "mlp": ("MLPRegressor(random_state=0, max_iter=1000)", MLPRegressor(random_state=0, max_iter=1000)),
            "linear": ("Ridge()", Ridge()),
        }
    results = {}
    for key, (name, estimator) in models.items():
        pipeline = Pipeline([("preprocess", preprocessor(numeric, text, positions)), ("model", estimator)])
        started = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            pipeline.fit(x_train, y_train)
        seconds = time.perf_counter() - started
        predicted = pipeline.predict(x_test)
        result = {"model": name, "fit_seconds": round(seconds, 3)}
        if task == "classification":
            result["accuracy"] = accuracy_score(y_test, predicted)
            result["f1_macro"] = f1_score(y_test, predicted, average="macro", zero_division=0)
        else:
            result["r2"] = r2_score(y_test, predicted)
            result["rmse"] = float(np.sqrt(mean_squared_error(y_test, predicted)))
            result["mae"] = mean_absolute_error(y_test, predicted)
        iterations = getattr(pipeline.named_steps["model"], "n_iter_", None)
        if iterations is not None:
            result["iterations"] = int(np.max(iterations))
        result["converged"] = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        results[key] = result
    print(
        json.dumps(
            {
                "sklearn": sklearn.__version__,
                "reader": reader,
                "task": task,
                "rows": {"train": int(len(y_train)), "test": int(len(y_test))},
                "features": {"numeric": numeric, "text": text},
                "models": results,
            }
        )
    )


if __name__ == "__main__":
    main()
