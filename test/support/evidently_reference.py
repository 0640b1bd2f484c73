"""
The judge of the drift check's fidelity tests (test/drift-fidelity.test.ts): Evidently
0.7's DataDriftPreset with its defaults, re-implemented on numpy and scipy (Evidently
itself is not needed), and the raw scipy statistics the drift tests are built on.

Every rule below was read from Evidently's sources at tag v0.7.21 and names the file
and function it comes from; paths are under src/evidently/. The statistics are
scipy's own (scipy.stats, scipy.spatial.distance), never ours.

Usage (every mode prints one JSON document; inf and nan as the strings "inf", "-inf",
"nan", since JSON has neither):

  python3 evidently_reference.py probe
      numpy and scipy versions, and where scikit-learn's bundled data sets are (found
      without importing scikit-learn), or null.
  python3 evidently_reference.py pair REFERENCE.csv CURRENT.csv
      the drift report of one pair: per column the inferred type, the test, statistic,
      p-value or distance, threshold and verdict; then the dataset verdict.
  python3 evidently_reference.py pairs MANIFEST.json
      the same for many pairs in one process: MANIFEST is a list of
      {"name", "reference", "current"}; prints a list of reports.
  python3 evidently_reference.py stats < CASES.json
      raw scipy statistics: CASES is {"ks": [[a, b], ...], "chisquare": [[f_obs, f_exp],
      ...], "chi2_contingency": [[row1, row2], ...], "wasserstein": [[u, v], ...],
      "jensenshannon": [[p, q], ...], "std": [values, ...], "z": [[ref, cur], ...]};
      prints the same keys with a result per case.
  python3 evidently_reference.py batch < {"stats": CASES, "pairs": MANIFEST}
      both in one process (scipy.stats takes a second or two to import): prints
      {"stats": ..., "pairs": [...]}.
"""

import csv
import importlib.util
import json
import math
import os
import sys
import warnings
from collections import Counter

import numpy as np
import scipy

# scipy.stats and scipy.spatial are imported when first needed: "probe" stays quick.
stats = None
distance = None


def load_scipy():
    global stats, distance
    if stats is None:
        from scipy import stats as scipy_stats
        from scipy.spatial import distance as scipy_distance

        stats, distance = scipy_stats, scipy_distance


def num(x):
    """A float for JSON: inf and nan as strings."""
    if x is None:
        return None
    x = float(x)
    if x != x:
        return "nan"
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return "-inf"
    return x


# ---------------------------------------------------------------------------------------
# Reading a CSV file as pandas.read_csv would (pandas is not needed).
#
# Evidently infers column types from the pandas dtype (core/datasets.py,
# infer_column_type), so the dtype read_csv gives each column matters. This is the part
# of read_csv's inference (C parser, default na_values) that the files of the fidelity
# test exercise: a column whose non-missing cells are all integers is int64, or float64
# when a cell is missing (NaN needs a float); all numbers is float64; all True/False
# spellings with no missing cell is bool; anything else is object (Python strings, NaN
# for missing cells).
# ---------------------------------------------------------------------------------------

# pandas' default na_values (pandas.read_csv documentation, "na_values").
PANDAS_NA = {
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
}
TRUE = {"True", "TRUE", "true"}
FALSE = {"False", "FALSE", "false"}


def converted(cells, convert):
    """The cells converted, or None when one does not convert."""
    try:
        return [convert(c) for c in cells]
    except ValueError:
        return None


class Column:
    """A column as pandas would hold it: its dtype and its values (None for missing)."""

    def __init__(self, name, dtype, values):
        self.name = name
        self.dtype = dtype
        self.values = values

    def dropna(self):
        """Series.replace([-inf, inf], nan).dropna(), as get_one_column_drift cleans a column."""
        out = []
        for v in self.values:
            if v is None:
                continue
            if isinstance(v, float) and (v != v or v in (math.inf, -math.inf)):
                continue
            out.append(v)
        return out


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = {}
    for j, name in enumerate(header):
        cells = [row[j] for row in body]
        present = [c for c in cells if c not in PANDAS_NA]
        missing = len(present) < len(cells)
        # Python's int() and float() read every number these files hold as the C parser does.
        integers = converted(present, int) if present else None
        numbers = None if integers is not None else converted(present, float)
        if integers is not None:
            dtype, convert = ("float64", float) if missing else ("int64", int)
        elif numbers is not None:  # also a column with no values: float64 of NaN
            dtype, convert = "float64", float
        elif not missing and all(c in TRUE or c in FALSE for c in present):
            dtype, convert = "bool", lambda c: c in TRUE
        else:
            dtype, convert = "object", str
        columns[name] = Column(name, dtype, [None if c in PANDAS_NA else convert(c) for c in cells])
    return columns, len(body)


# ---------------------------------------------------------------------------------------
# Column types: core/datasets.py, infer_column_type, with INTEGER_CARDINALITY_LIMIT = 10.
# The preset takes the data definition of the current dataset: core/report.py,
# Context.data_definition returns self._input_data[0]._data_definition (the current
# data's), and metrics/column_statistics.py, ValueDriftCalculation.calculate uses
# current_data.column(column).type.
# ---------------------------------------------------------------------------------------

INTEGER_CARDINALITY_LIMIT = 10


def nunique(values):
    """Series.nunique() of values without missing ones: distinct values (1 and 1.0 are one, as in pandas)."""
    return len(set(values))


def infer_column_type(column):
    present = column.dropna()
    if column.dtype.startswith("float"):
        return "numerical"
    if column.dtype.startswith("int"):
        return "categorical" if nunique(present) <= INTEGER_CARDINALITY_LIMIT else "numerical"
    if column.dtype == "bool":
        return "categorical"
    if column.dtype == "object":
        if not present:
            return "unknown"
        # Strings: text when more than half of the values are distinct.
        return "text" if nunique(present) > len(present) * 0.5 else "categorical"
    return "unknown"


# ---------------------------------------------------------------------------------------
# The default tests: legacy/calculations/stattests/registry.py, _get_default_stattest.
# n_values is pd.concat([reference, current]).nunique() of the cleaned columns; the size
# rule is reference_data.shape[0] <= 1000, the reference after nulls were dropped
# (get_one_column_drift drops them before calling get_stattest).
# ---------------------------------------------------------------------------------------


def default_stattest(reference, current, column_type):
    n_values = nunique(reference + current)
    if column_type == "text":
        return "text_content_drift_abs" if len(reference) > 1000 else "perc_text_content_drift"
    if len(reference) <= 1000:
        if column_type == "numerical":
            if n_values <= 5:
                return "chisquare" if n_values > 2 else "z"
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if column_type == "numerical":
        return "jensenshannon" if n_values <= 5 else "wasserstein"
    return "jensenshannon"


# Default thresholds: the StatTest objects of legacy/calculations/stattests/*.py
# (StatTest.default_threshold is 0.05; wasserstein_stat_test and jensenshannon_stat_test
# set 0.1).
THRESHOLDS = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1}


def unique_keys(reference, current):
    """legacy/calculations/stattests/utils.py, get_unique_not_nan_values_list_from_series."""
    return list(set(reference) | set(current))


def ks_test(reference, current, threshold):
    """legacy/calculations/stattests/ks_stattest.py, _ks_stat_test: ks_2samp, drift when p <= threshold."""
    result = stats.ks_2samp(reference, current)
    return {"statistic": result[0], "p_value": result[1], "drifted": bool(result[1] <= threshold)}


def chi_test(reference, current, threshold):
    """
    legacy/calculations/stattests/chisquare_stattest.py, _chi_stat_test: chisquare of the
    current counts against the reference counts scaled to the current size; drift when
    p < threshold. A category the reference lacks has an expected count of 0: scipy then
    gives an infinite statistic and p = 0.
    """
    keys = unique_keys(reference, current)
    ref_counts, cur_counts = Counter(reference), Counter(current)
    k_norm = len(current) / len(reference)
    f_exp = [ref_counts.get(k, 0) * k_norm for k in keys]
    f_obs = [cur_counts.get(k, 0) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.chisquare(f_obs, f_exp)
    p = float(result[1])
    return {"statistic": result[0], "p_value": p, "drifted": bool(p < threshold)}


def z_test(reference, current, threshold):
    """
    legacy/calculations/stattests/z_stattest.py, _z_stat_test: p = 1 when both sides hold
    the same single value; else the first of the sorted keys against the rest
    (proportions_diff_z_stat_ind), p = 2 (1 - norm.cdf(|z|)) (proportions_diff_z_test);
    drift when p < threshold.
    """
    if nunique(reference) == 1 and nunique(current) == 1 and reference[0] == current[0]:
        return {"statistic": 0.0, "p_value": 1.0, "drifted": False}
    key = sorted(unique_keys(reference, current))[0]
    ref = [0 if x == key else 1 for x in reference]
    cur = [0 if x == key else 1 for x in current]
    n1, n2 = len(ref), len(cur)
    p1, p2 = float(sum(ref)) / n1, float(sum(cur)) / n2
    pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
    p = float(2 * (1 - stats.norm.cdf(np.abs(z))))
    return {"statistic": z, "p_value": p, "drifted": bool(p < threshold)}


def wasserstein_test(reference, current, threshold):
    """
    legacy/calculations/stattests/wasserstein_distance_norm.py, _wasserstein_distance_norm:
    wasserstein_distance / max(np.std(reference), 0.001); drift when >= threshold.
    """
    norm = max(float(np.std(reference)), 0.001)
    value = stats.wasserstein_distance(reference, current) / norm
    return {"statistic": value, "p_value": None, "drifted": bool(value >= threshold)}


def binned(reference, current, column_type, n_bins):
    """
    legacy/calculations/stattests/utils.py, get_binned_data with feel_zeroes=False (as
    jensenshannon.py calls it): numerical columns with more than 20 distinct reference
    values go to np.histogram_bin_edges(both, bins="sturges") (n_bins is not used then),
    anything else to the shares of each value of either side.
    """
    if column_type == "numerical" and nunique(reference) > 20:
        edges = np.histogram_bin_edges(np.asarray(reference + current, dtype=float), bins="sturges")
        return (
            np.histogram(reference, edges)[0] / len(reference),
            np.histogram(current, edges)[0] / len(current),
        )
    keys = unique_keys(reference, current)
    ref_counts, cur_counts = Counter(reference), Counter(current)
    return (
        np.array([ref_counts.get(k, 0) / len(reference) for k in keys]),
        np.array([cur_counts.get(k, 0) / len(current) for k in keys]),
    )


def jensenshannon_test(reference, current, threshold, column_type):
    """
    legacy/calculations/stattests/jensenshannon.py, _jensenshannon: n_bins = 30, base None
    (natural logarithm), empty bins left at 0; drift when distance >= threshold.
    """
    ref_pct, cur_pct = binned(reference, current, column_type, 30)
    value = float(distance.jensenshannon(ref_pct, cur_pct, None))
    return {"statistic": value, "p_value": None, "drifted": bool(value >= threshold)}


def column_drift(name, ref_column, cur_column, column_type):
    """legacy/calculations/data_drift.py, get_one_column_drift, for one column of both sides."""
    reference, current = ref_column.dropna(), cur_column.dropna()
    row = {
        "column": name,
        "type": column_type,
        "reference_values": len(reference),
        "current_values": len(current),
        "reference_nulls": len(ref_column.values) - len(reference),
        "current_nulls": len(cur_column.values) - len(current),
    }
    if not reference or not current:
        # get_one_column_drift raises ValueError ("An empty column ... was provided").
        return {**row, "test": None, "error": "an empty column: Evidently raises ValueError"}
    test = default_stattest(reference, current, column_type)
    row["test"] = test
    row["n_values"] = nunique(reference + current)
    if test not in THRESHOLDS:
        # Text columns get a domain classifier (text_content_drift*.py): not reproduced here.
        return {**row, "error": f"{test} is not reproduced by this judge"}
    threshold = THRESHOLDS[test]
    if test == "ks":
        result = ks_test(reference, current, threshold)
    elif test == "chisquare":
        result = chi_test(reference, current, threshold)
    elif test == "z":
        result = z_test(reference, current, threshold)
    elif test == "wasserstein":
        result = wasserstein_test(reference, current, threshold)
    else:
        result = jensenshannon_test(reference, current, threshold, column_type)
    return {
        **row,
        "threshold": threshold,
        "statistic": num(result["statistic"]),
        "p_value": num(result["p_value"]),
        "distance": num(result["statistic"]) if result["p_value"] is None else None,
        "drifted": result["drifted"],
    }


def drift_report(reference_path, current_path, drift_share=0.5):
    """
    The preset on one pair. Columns: those of the current data's definition that are
    numerical, categorical or text (presets/drift.py, DataDriftPreset.generate_metrics;
    legacy/calculations/data_drift.py, _get_all_columns_for_drift). A column the current
    data lacks is not in that definition, so it is not tested; a column the reference
    lacks makes get_one_column_drift raise ("Cannot find column ... in reference dataset").
    Dataset drift: legacy/calculations/data_drift.py, get_dataset_drift: drifted share of
    the tested columns >= drift_share (0.5, DataDriftOptions.drift_share).
    """
    load_scipy()
    ref_columns, ref_rows = read_csv(reference_path)
    cur_columns, cur_rows = read_csv(current_path)
    columns, skipped, errors = [], [], []
    for name, cur_column in cur_columns.items():
        column_type = infer_column_type(cur_column)
        if column_type not in ("numerical", "categorical", "text"):
            skipped.append({"column": name, "reason": f"type {column_type}: not a drift column"})
            continue
        if name not in ref_columns:
            errors.append({"column": name, "error": "not in the reference data: Evidently raises ValueError"})
            continue
        row = column_drift(name, ref_columns[name], cur_column, column_type)
        if "error" in row:
            errors.append(row)
        else:
            columns.append(row)
    for name in ref_columns:
        if name not in cur_columns:
            skipped.append({"column": name, "reason": "not in the current data: not in the data definition"})
    drifted = [c["column"] for c in columns if c["drifted"]]
    share = len(drifted) / len(columns) if columns else 0.0
    return {
        "reference_rows": ref_rows,
        "current_rows": cur_rows,
        "columns": columns,
        "skipped": skipped,
        "errors": errors,
        "drift_share": drift_share,
        "drifted_columns": drifted,
        "share_of_drifted_columns": share,
        # None when Evidently would not give a verdict (it raises on any error above).
        "dataset_drift": None if errors or not columns else bool(share >= drift_share),
    }


# ---------------------------------------------------------------------------------------
# Raw scipy statistics for the statistic-by-statistic checks.
# ---------------------------------------------------------------------------------------

# scipy.stats.ks_2samp(method="auto") computes the exact p-value when both samples have
# at most this many values (scipy/stats/_stats_py.py, MAX_AUTO_N), else the asymptotic one.
MAX_AUTO_N = 10000


def raw_stats(cases):
    load_scipy()
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["ks"] = []
        for a, b in cases.get("ks", []):
            auto = stats.ks_2samp(a, b, method="auto")
            asymp = stats.ks_2samp(a, b, method="asymp")
            out["ks"].append(
                {
                    "statistic": num(auto[0]),
                    "p_value": num(auto[1]),
                    "asymp_p_value": num(asymp[1]),
                    "exact": max(len(a), len(b)) <= MAX_AUTO_N,
                }
            )
        out["chisquare"] = []
        for f_obs, f_exp in cases.get("chisquare", []):
            r = stats.chisquare(f_obs, f_exp)
            out["chisquare"].append({"statistic": num(r[0]), "p_value": num(r[1])})
        out["chi2_contingency"] = []
        for row1, row2 in cases.get("chi2_contingency", []):
            r = stats.chi2_contingency([row1, row2], correction=False)
            out["chi2_contingency"].append({"statistic": num(r[0]), "p_value": num(r[1]), "df": int(r[2])})
        out["wasserstein"] = [num(stats.wasserstein_distance(u, v)) for u, v in cases.get("wasserstein", [])]
        out["jensenshannon"] = [
            {"natural": num(distance.jensenshannon(p, q)), "base2": num(distance.jensenshannon(p, q, base=2))}
            for p, q in cases.get("jensenshannon", [])
        ]
        out["std"] = [num(np.std(v)) for v in cases.get("std", [])]
        out["z"] = []
        for ref, cur in cases.get("z", []):
            r = z_test(ref, cur, 0.05)
            out["z"].append({"statistic": num(r["statistic"]), "p_value": num(r["p_value"])})
    return out


def probe():
    spec = importlib.util.find_spec("sklearn")
    data = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = os.path.join(location, "datasets", "data")
            if os.path.isdir(candidate):
                data = candidate
    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn_data": data,
    }


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "probe":
        result = probe()
    elif mode == "pair" and len(argv) == 4:
        result = drift_report(argv[2], argv[3])
    elif mode == "pairs" and len(argv) == 3:
        with open(argv[2], encoding="utf-8") as f:
            manifest = json.load(f)
        result = [{"name": p["name"], **drift_report(p["reference"], p["current"])} for p in manifest]
    elif mode == "stats":
        result = raw_stats(json.load(sys.stdin))
    elif mode == "batch":
        given = json.load(sys.stdin)
        pairs = given.get("pairs", [])
        result = {
            "stats": raw_stats(given.get("stats", {})),
            "pairs": [{"name": p["name"], **drift_report(p["reference"], p["current"])} for p in pairs],
        }
    else:
        sys.stderr.write(__doc__)
        return 2
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
