#!/usr/bin/env python3
"""Build the ONNX test fixtures under test/fixtures/onnx/ from real frameworks.

ONNX is the one model contract of mlops-actions: a model from any framework, exported
to `model.onnx`, is evaluated, served and monitored by the Node code through ONNX
Runtime. These fixtures are models trained by the frameworks themselves, so the tests
can prove that what ONNX Runtime computes from a graph is what the framework predicted.

Run from anywhere (it finds the repository from its own location):

    /usr/bin/python3 scripts/onnx-fixtures.py        # or: python3 scripts/onnx-fixtures.py

Needs numpy, onnx (>= 1.12), scikit-learn (1.2), torch (1.13) and xgboost (1.7). It does
NOT need skl2onnx, onnxmltools or onnxruntime: the scikit-learn and XGBoost graphs are
written by hand with `onnx.helper` from the fitted estimators' parameters, in the same
form skl2onnx / onnxmltools write them, and every graph passes `onnx.checker.check_model`.
Every seed is fixed (and torch / xgboost run on one thread), so a rebuild writes the
same files. Graphs use opset ai.onnx 15 and ai.onnx.ml 3, ir_version 8.

For each fixture it writes a folder test/fixtures/onnx/<name>/ with:
  model.onnx                 the graph
  data.csv                   held-out test rows: feature columns, then the target column
  reference-predictions.csv  the same rows' feature columns, then y_true, then the
                             framework's own predictions (computed by the framework, not
                             by the graph): y_pred (label, or value for regression) and,
                             for classifiers, one score:<class> column per class.

CSV conventions (no quoting is ever needed): an empty cell is a missing value (NaN for a
float input, the empty string for a string input). Feature values are written as the
shortest text that reads back as the same float32, and the frameworks are fitted and
asked to predict on exactly those float32 values, so the graph (which takes float32)
and the framework see the same numbers. Predictions are written at full float64
precision.

Fixtures:
  torch-mlp              PyTorch MLP classifier, wine (13 features, classes 0/1/2), the
                         standardization inside the nn.Module as buffers; exported with
                         torch.onnx.export (opset 15, dynamic batch). One float input
                         `input` [N,13]; outputs `label` int64 [N] (argmax) and
                         `probabilities` float [N,3] (softmax). Column order in the
                         `feature_names` metadata (JSON array).
  sklearn-logreg-zipmap  scikit-learn multinomial LogisticRegression, iris, written as
                         skl2onnx writes it by default: input `float_input` [N,4] ->
                         LinearClassifier (multi_class=1, SOFTMAX) -> outputs `label` and
                         `probability_tensor` -> Normalizer (L1) -> ZipMap -> graph output
                         `output_probability` (a sequence of maps int64 -> float, which
                         JavaScript runtimes cannot return). `feature_names` metadata.
  sklearn-gbdt           scikit-learn GradientBoostingClassifier (binary, breast_cancer,
                         8 features, 40 trees of depth 3) as TreeEnsembleClassifier in the
                         binary form skl2onnx writes (one score per leaf, class_ids all 0,
                         classlabels_int64s [0, 1], base_values = the init log-odds,
                         post_transform LOGISTIC). ONE INPUT PER COLUMN (float [N,1],
                         named as the CSV column), joined with Concat(axis=1). Outputs
                         `label` int64 [N] and `probabilities` float [N,2].
                         Split thresholds are rounded DOWN to float32: scikit-learn compares
                         the float32 feature with the float64 threshold (x <= t), and for a
                         float32 x that is the same test as x <= (largest float32 <= t).
  xgboost-regressor      xgboost.XGBRegressor (diabetes, raw units, 10 features, 50 trees of
                         depth 3) as TreeEnsembleRegressor from the booster's JSON dump:
                         BRANCH_LT (xgboost tests x < split), the default direction of each
                         split in nodes_missing_value_tracks_true, base_values = the
                         booster's base_score. Some cells of bmi, bp and s5 are blanked
                         (NaN) in training and test rows so the missing directions matter.
                         One float input `input` [N,10] with `feature_names` metadata;
                         output `variable` float [N,1].
  sklearn-strings        scikit-learn pipeline on the repository's penguins example data
                         (train: examples/penguins/data/penguins.csv, test rows:
                         penguins-test.csv; no row lacks the target): numeric columns ->
                         SimpleImputer(mean) -> StandardScaler; island and sex ->
                         OneHotEncoder with fixed categories and handle_unknown='ignore'
                         (a missing sex, an empty cell, encodes as all zeros) ->
                         LogisticRegression with string classes. Graph: one input per
                         column, `island` and `sex` string [N,1], the four numeric columns
                         float [N,1]; numeric Concat -> ai.onnx.ml.Imputer (NaN -> training
                         mean) -> ai.onnx.ml.Scaler; each string -> ai.onnx.ml.OneHotEncoder
                         (cats_strings, zeros=1) -> Reshape [N,k]; Concat -> LinearClassifier
                         (classlabels_strings Adelie/Chinstrap/Gentoo, SOFTMAX) -> Normalizer
                         (L1). Outputs `label` string [N] and `probabilities` float [N,3].
                         Missing values are imputed INSIDE the graph, so test rows with
                         missing cells are kept in data.csv (as empty cells).
"""

import csv
import io
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, checker, helper

import sklearn
import torch
import xgboost
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "onnx")
PENGUINS = os.path.join(ROOT, "examples", "penguins", "data")

OPSETS = [helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 3)]
IR_VERSION = 8
PRODUCER = "mlops-actions scripts/onnx-fixtures.py"


# ---------------------------------------------------------------------------------------
# Small helpers: float32 data, CSV writing, model finishing.
# ---------------------------------------------------------------------------------------


def f32(x):
    """The values a float32 graph input sees, back in float64 for the framework."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def snake(name):
    out = "".join(c if c.isalnum() else "_" for c in name.lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def cell_f32(v):
    """A feature cell: the shortest text that reads back as the same float32; '' for NaN."""
    v = float(v)
    if np.isnan(v):
        return ""
    return np.format_float_positional(np.float32(v), unique=True, trim="-")


def cell_f64(v):
    return repr(float(v))


def cell(v):
    if isinstance(v, str):
        assert not any(c in v for c in ',"\r\n'), f"cell needs quoting: {v!r}"
        return v
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return cell_f32(v)


def write_csv(path, header, rows):
    for name in header:
        assert not any(c in name for c in ',"\r\n'), name
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def write_fixture(name, model, feature_names, features, target_name, y_true, y_pred, scores=None, classes=None):
    """features: list of columns (numpy arrays, float or str) in feature_names order."""
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    n = len(y_true)
    for col in features:
        assert len(col) == n
    assert n <= 150, f"{name}: {n} rows"

    def feature_cells(i):
        return [cell(col[i]) for col in features]

    def label_cell(v):
        return v if isinstance(v, str) else str(int(v)) if classes is not None else cell_f64(v)

    write_csv(
        os.path.join(folder, "data.csv"),
        list(feature_names) + [target_name],
        [feature_cells(i) + [label_cell(y_true[i])] for i in range(n)],
    )
    header = list(feature_names) + ["y_true", "y_pred"]
    if classes is not None:
        header += [f"score:{c}" for c in classes]
    rows = []
    for i in range(n):
        row = feature_cells(i) + [label_cell(y_true[i]), label_cell(y_pred[i])]
        if classes is not None:
            row += [cell_f64(s) for s in scores[i]]
        rows.append(row)
    write_csv(os.path.join(folder, "reference-predictions.csv"), header, rows)

    model.ir_version = IR_VERSION
    check(model)
    data = model.SerializeToString()
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(data)
    # Check what was written, as a reader would load it.
    check(onnx.load(os.path.join(folder, "model.onnx")))
    print(f"{name}: {n} rows, model.onnx {len(data)} bytes")


def check(model):
    """onnx.checker, with shape inference (full_check). onnx 1.12's shape inference cannot
    handle a map type, so a graph ending in ZipMap gets the plain check, and the full check
    on a copy without the ZipMap node (the graph a JavaScript runtime is left with)."""
    checker.check_model(model)
    zipmaps = [n for n in model.graph.node if n.op_type == "ZipMap"]
    if zipmaps:
        model = onnx.ModelProto.FromString(model.SerializeToString())
        dropped = {o for n in zipmaps for o in n.output}
        keep = [n for n in model.graph.node if n.op_type != "ZipMap"]
        del model.graph.node[:]
        model.graph.node.extend(keep)
        outputs = [o for o in model.graph.output if o.name not in dropped]
        del model.graph.output[:]
        model.graph.output.extend(outputs)
    checker.check_model(model, full_check=True)


def hand_model(graph, doc, metadata=None):
    model = helper.make_model(
        graph,
        opset_imports=OPSETS,
        producer_name=PRODUCER,
        producer_version="1",
        doc_string=doc,
    )
    if metadata:
        helper.set_model_props(model, metadata)
    return model


def threshold_f32_le(t):
    """Largest float32 <= t: for float32 x, `x <= t` (float64 t) is `x <= this`."""
    t32 = np.float32(t)
    if float(t32) > float(t):
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return float(t32)


def float_input(name, width):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [None, width])


# ---------------------------------------------------------------------------------------
# 1. torch-mlp
# ---------------------------------------------------------------------------------------


class WineMLP(torch.nn.Module):
    """Standardize (buffers), one hidden layer; forward gives (label, probabilities)."""

    def __init__(self, mean, std, n_in, n_hidden, n_out):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(n_in, n_hidden), torch.nn.ReLU(), torch.nn.Linear(n_hidden, n_out)
        )

    def logits(self, x):
        return self.net((x - self.mean) / self.std)

    def forward(self, x):
        z = self.logits(x)
        return torch.argmax(z, dim=1), torch.softmax(z, dim=1)


def build_torch_mlp():
    ds = load_wine()
    names = [snake(n) for n in ds.feature_names]
    X = f32(ds.data)
    y = ds.target.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

    torch.manual_seed(0)
    xt = torch.tensor(X_tr, dtype=torch.float32)
    yt = torch.tensor(y_tr, dtype=torch.int64)
    model = WineMLP(xt.mean(dim=0), xt.std(dim=0), len(names), 16, 3)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()
    for _ in range(300):
        opt.zero_grad()
        loss = loss_fn(model.logits(xt), yt)
        loss.backward()
        opt.step()
    model.eval()

    xe = torch.tensor(X_te, dtype=torch.float32)
    with torch.no_grad():
        label, proba = model(xe)
    y_pred = label.numpy().astype(np.int64)
    scores = proba.numpy().astype(np.float64)

    buf = io.BytesIO()
    torch.onnx.export(
        model,
        xe[:2],
        buf,
        input_names=["input"],
        output_names=["label", "probabilities"],
        dynamic_axes={"input": {0: "N"}, "label": {0: "N"}, "probabilities": {0: "N"}},
        opset_version=15,
        do_constant_folding=True,
    )
    onnx_model = onnx.load_from_string(buf.getvalue())
    helper.set_model_props(onnx_model, {"feature_names": json.dumps(names)})
    onnx_model.doc_string = (
        "PyTorch MLP (13-16-3, standardization as buffers) on the wine dataset, "
        "exported with torch.onnx.export; built by scripts/onnx-fixtures.py"
    )
    write_fixture(
        "torch-mlp", onnx_model, names, [X_te[:, j] for j in range(X_te.shape[1])],
        "target", y_te, y_pred, scores, classes=[0, 1, 2],
    )


# ---------------------------------------------------------------------------------------
# 2. sklearn-logreg-zipmap
# ---------------------------------------------------------------------------------------


def seq_of_maps_int64_float(name):
    value = onnx.TypeProto()
    value.tensor_type.elem_type = TensorProto.FLOAT
    value.tensor_type.shape.SetInParent()  # a scalar tensor: shape with no dims
    t = onnx.TypeProto()
    t.sequence_type.elem_type.map_type.key_type = TensorProto.INT64
    t.sequence_type.elem_type.map_type.value_type.CopyFrom(value)
    return helper.make_value_info(name, t)


def build_sklearn_logreg_zipmap():
    ds = load_iris()
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    X = f32(ds.data)
    y = ds.target.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=1 / 3, random_state=0, stratify=y)
    clf = LogisticRegression(multi_class="multinomial", max_iter=1000, random_state=0).fit(X_tr, y_tr)
    classes = [int(c) for c in clf.classes_]

    nodes = [
        helper.make_node(
            "LinearClassifier",
            ["float_input"],
            ["label", "probability_tensor"],
            name="LinearClassifier",
            domain="ai.onnx.ml",
            coefficients=clf.coef_.astype(np.float64).ravel().tolist(),
            intercepts=clf.intercept_.astype(np.float64).tolist(),
            classlabels_ints=classes,
            multi_class=1,
            post_transform="SOFTMAX",
        ),
        helper.make_node(
            "Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer",
            domain="ai.onnx.ml", norm="L1",
        ),
        helper.make_node(
            "ZipMap", ["probabilities"], ["output_probability"], name="ZipMap",
            domain="ai.onnx.ml", classlabels_int64s=classes,
        ),
    ]
    graph = helper.make_graph(
        nodes,
        "LogisticRegression",
        [float_input("float_input", 4)],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            seq_of_maps_int64_float("output_probability"),
        ],
    )
    model = hand_model(
        graph,
        "scikit-learn LogisticRegression (multinomial) on iris, in skl2onnx's default form "
        "(ZipMap output); built by scripts/onnx-fixtures.py",
        {"feature_names": json.dumps(names)},
    )
    write_fixture(
        "sklearn-logreg-zipmap", model, names, [X_te[:, j] for j in range(4)],
        "target", y_te, clf.predict(X_te), clf.predict_proba(X_te), classes=classes,
    )


# ---------------------------------------------------------------------------------------
# 3. sklearn-gbdt
# ---------------------------------------------------------------------------------------


def sklearn_tree_nodes(tree, tree_id):
    """ONNX TreeEnsemble node attributes of one fitted sklearn tree (x <= t goes left)."""
    t = tree.tree_
    out = {k: [] for k in ("treeids", "nodeids", "featureids", "modes", "values", "true", "false", "missing")}
    leaves = []
    for i in range(t.node_count):
        left, right = int(t.children_left[i]), int(t.children_right[i])
        out["treeids"].append(tree_id)
        out["nodeids"].append(i)
        out["missing"].append(0)
        if left == -1:
            out["featureids"].append(0)
            out["modes"].append("LEAF")
            out["values"].append(0.0)
            out["true"].append(0)
            out["false"].append(0)
            leaves.append((i, float(t.value[i, 0, 0])))
        else:
            out["featureids"].append(int(t.feature[i]))
            out["modes"].append("BRANCH_LEQ")
            out["values"].append(threshold_f32_le(t.threshold[i]))
            out["true"].append(left)
            out["false"].append(right)
    return out, leaves


def build_sklearn_gbdt():
    ds = load_breast_cancer()
    pick = [
        "mean radius", "mean texture", "mean smoothness", "mean compactness",
        "mean concave points", "worst radius", "worst texture", "worst concave points",
    ]
    idx = [list(ds.feature_names).index(p) for p in pick]
    names = [snake(p) for p in pick]
    X = f32(ds.data[:, idx])
    y = ds.target.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=143, random_state=0, stratify=y)
    clf = GradientBoostingClassifier(n_estimators=40, max_depth=3, learning_rate=0.1, random_state=0)
    clf.fit(X_tr, y_tr)
    assert list(clf.classes_) == [0, 1]

    base = float(clf._raw_predict_init(X_te[:1]).ravel()[0])  # log-odds of the training prior
    attrs = {k: [] for k in ("treeids", "nodeids", "featureids", "modes", "values", "true", "false", "missing")}
    class_treeids, class_nodeids, class_ids, class_weights = [], [], [], []
    for tree_id in range(clf.n_estimators_):
        nodes, leaves = sklearn_tree_nodes(clf.estimators_[tree_id, 0], tree_id)
        for k in attrs:
            attrs[k] += nodes[k]
        for node_id, value in leaves:
            class_treeids.append(tree_id)
            class_nodeids.append(node_id)
            class_ids.append(0)  # binary: one score per leaf, for the positive class
            class_weights.append(value * clf.learning_rate)

    ensemble = helper.make_node(
        "TreeEnsembleClassifier",
        ["features"],
        ["label", "probabilities"],
        name="TreeEnsembleClassifier",
        domain="ai.onnx.ml",
        nodes_treeids=attrs["treeids"],
        nodes_nodeids=attrs["nodeids"],
        nodes_featureids=attrs["featureids"],
        nodes_modes=attrs["modes"],
        nodes_values=attrs["values"],
        nodes_truenodeids=attrs["true"],
        nodes_falsenodeids=attrs["false"],
        nodes_missing_value_tracks_true=attrs["missing"],
        class_treeids=class_treeids,
        class_nodeids=class_nodeids,
        class_ids=class_ids,
        class_weights=class_weights,
        classlabels_int64s=[0, 1],
        base_values=[base],
        post_transform="LOGISTIC",
    )
    concat = helper.make_node("Concat", names, ["features"], name="Concat", axis=1)
    graph = helper.make_graph(
        [concat, ensemble],
        "GradientBoostingClassifier",
        [float_input(n, 1) for n in names],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2]),
        ],
    )
    model = hand_model(
        graph,
        "scikit-learn GradientBoostingClassifier (binary) on breast_cancer, one input per "
        "column; built by scripts/onnx-fixtures.py",
    )
    write_fixture(
        "sklearn-gbdt", model, names, [X_te[:, j] for j in range(len(names))],
        "target", y_te, clf.predict(X_te), clf.predict_proba(X_te), classes=[0, 1],
    )


# ---------------------------------------------------------------------------------------
# 4. xgboost-regressor
# ---------------------------------------------------------------------------------------


def xgboost_tree_nodes(dump, tree_id, n_features):
    """ONNX TreeEnsemble node attributes of one tree of a booster's JSON dump."""
    out = {k: [] for k in ("treeids", "nodeids", "featureids", "modes", "values", "true", "false", "missing")}
    leaves = []
    stack = [dump]
    while stack:
        node = stack.pop()
        out["treeids"].append(tree_id)
        out["nodeids"].append(int(node["nodeid"]))
        if "leaf" in node:
            out["featureids"].append(0)
            out["modes"].append("LEAF")
            out["values"].append(0.0)
            out["true"].append(0)
            out["false"].append(0)
            out["missing"].append(0)
            leaves.append((int(node["nodeid"]), float(np.float32(node["leaf"]))))
            continue
        feature = int(node["split"][1:])  # "f<index>"
        assert node["split"] == f"f{feature}" and 0 <= feature < n_features, node["split"]
        # xgboost keeps splits as float32 and dumps them with 9 significant digits, which
        # reads back as the same float32.
        split = float(np.float32(node["split_condition"]))
        out["featureids"].append(feature)
        out["modes"].append("BRANCH_LT")  # xgboost: x < split goes to "yes"
        out["values"].append(split)
        out["true"].append(int(node["yes"]))
        out["false"].append(int(node["no"]))
        assert node["missing"] in (node["yes"], node["no"])
        out["missing"].append(1 if node["missing"] == node["yes"] else 0)
        stack.extend(node["children"])
    return out, leaves


def build_xgboost_regressor():
    ds = load_diabetes(scaled=False)
    names = list(ds.feature_names)
    X = f32(ds.data)
    y = ds.target.astype(np.float64)
    # Blank some cells (about 10% of bmi, bp and s5) so the default directions are learned
    # and exercised.
    rng = np.random.default_rng(7)
    for col in ("bmi", "bp", "s5"):
        j = names.index(col)
        X[rng.random(len(X)) < 0.1, j] = np.nan
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=111, random_state=0)

    reg = xgboost.XGBRegressor(
        n_estimators=50, max_depth=3, learning_rate=0.1, random_state=0, n_jobs=1,
        tree_method="exact", base_score=float(np.mean(y_tr)),
    )
    reg.fit(X_tr, y_tr)
    booster = reg.get_booster()
    base_score = float(json.loads(booster.save_config())["learner"]["learner_model_param"]["base_score"])
    y_pred = reg.predict(X_te).astype(np.float64)

    attrs = {k: [] for k in ("treeids", "nodeids", "featureids", "modes", "values", "true", "false", "missing")}
    target_treeids, target_nodeids, target_ids, target_weights = [], [], [], []
    dumps = booster.get_dump(dump_format="json")
    assert len(dumps) == 50
    for tree_id, text in enumerate(dumps):
        nodes, leaves = xgboost_tree_nodes(json.loads(text), tree_id, len(names))
        for k in attrs:
            attrs[k] += nodes[k]
        for node_id, value in leaves:
            target_treeids.append(tree_id)
            target_nodeids.append(node_id)
            target_ids.append(0)
            target_weights.append(value)

    ensemble = helper.make_node(
        "TreeEnsembleRegressor",
        ["input"],
        ["variable"],
        name="TreeEnsembleRegressor",
        domain="ai.onnx.ml",
        nodes_treeids=attrs["treeids"],
        nodes_nodeids=attrs["nodeids"],
        nodes_featureids=attrs["featureids"],
        nodes_modes=attrs["modes"],
        nodes_values=attrs["values"],
        nodes_truenodeids=attrs["true"],
        nodes_falsenodeids=attrs["false"],
        nodes_missing_value_tracks_true=attrs["missing"],
        target_treeids=target_treeids,
        target_nodeids=target_nodeids,
        target_ids=target_ids,
        target_weights=target_weights,
        n_targets=1,
        aggregate_function="SUM",
        post_transform="NONE",
        base_values=[base_score],
    )
    graph = helper.make_graph(
        [ensemble],
        "XGBRegressor",
        [float_input("input", len(names))],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])],
    )
    model = hand_model(
        graph,
        "xgboost XGBRegressor on diabetes (raw units, some cells missing), from the booster's "
        "JSON dump; built by scripts/onnx-fixtures.py",
        {"feature_names": json.dumps(names)},
    )
    write_fixture(
        "xgboost-regressor", model, names, [X_te[:, j] for j in range(len(names))],
        "target", y_te, y_pred,
    )


# ---------------------------------------------------------------------------------------
# 5. sklearn-strings
# ---------------------------------------------------------------------------------------

PENGUIN_NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
PENGUIN_STRINGS = {"island": ["Biscoe", "Dream", "Torgersen"], "sex": ["female", "male"]}


def read_penguins(filename):
    with open(os.path.join(PENGUINS, filename), newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["species"] != ""]
    num = f32([[float(r[c]) if r[c] != "" else np.nan for c in PENGUIN_NUMERIC] for r in rows])
    strings = {c: np.array([r[c] for r in rows], dtype=object) for c in PENGUIN_STRINGS}
    species = np.array([r["species"] for r in rows], dtype=object)
    return num, strings, species


def penguin_frame(num, strings):
    """The 2-D object array the ColumnTransformer takes: numeric columns, then strings."""
    cols = [num[:, j].astype(object) for j in range(num.shape[1])] + [strings[c] for c in PENGUIN_STRINGS]
    return np.column_stack(cols)


def build_sklearn_strings():
    num_tr, str_tr, y_tr = read_penguins("penguins.csv")
    num_te, str_te, y_te = read_penguins("penguins-test.csv")
    n_num = len(PENGUIN_NUMERIC)
    pipe = Pipeline([
        ("prep", ColumnTransformer([
            ("num", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]),
             list(range(n_num))),
            ("cat", OneHotEncoder(categories=list(PENGUIN_STRINGS.values()), handle_unknown="ignore",
                                  sparse_output=False), list(range(n_num, n_num + len(PENGUIN_STRINGS)))),
        ])),
        ("clf", LogisticRegression(max_iter=1000, random_state=0)),
    ])
    pipe.fit(penguin_frame(num_tr, str_tr), y_tr)
    X_te = penguin_frame(num_te, str_te)
    y_pred = pipe.predict(X_te)
    scores = pipe.predict_proba(X_te)
    clf = pipe.named_steps["clf"]
    classes = [str(c) for c in clf.classes_]
    assert classes == ["Adelie", "Chinstrap", "Gentoo"], classes
    num_pipe = pipe.named_steps["prep"].named_transformers_["num"]
    imputer, scaler = num_pipe.named_steps["impute"], num_pipe.named_steps["scale"]

    nodes = [
        helper.make_node("Concat", PENGUIN_NUMERIC, ["numeric"], name="ConcatNumeric", axis=1),
        helper.make_node(
            "Imputer", ["numeric"], ["numeric_imputed"], name="Imputer", domain="ai.onnx.ml",
            imputed_value_floats=imputer.statistics_.astype(np.float64).tolist(),
            replaced_value_float=float("nan"),
        ),
        helper.make_node(
            "Scaler", ["numeric_imputed"], ["numeric_scaled"], name="Scaler", domain="ai.onnx.ml",
            offset=scaler.mean_.astype(np.float64).tolist(),
            scale=(1.0 / scaler.scale_).astype(np.float64).tolist(),
        ),
    ]
    initializers = []
    # onnx 1.12 has no shape inference for Imputer, Scaler or OneHotEncoder: declare what
    # they make.
    value_info = [float_input("numeric_imputed", n_num), float_input("numeric_scaled", n_num)]
    encoded = ["numeric_scaled"]
    for col, cats in PENGUIN_STRINGS.items():
        nodes.append(helper.make_node(
            "OneHotEncoder", [col], [f"{col}_onehot"], name=f"OneHotEncoder_{col}", domain="ai.onnx.ml",
            cats_strings=cats, zeros=1,
        ))
        value_info.append(helper.make_tensor_value_info(f"{col}_onehot", TensorProto.FLOAT, [None, 1, len(cats)]))
        initializers.append(helper.make_tensor(f"{col}_shape", TensorProto.INT64, [2], [-1, len(cats)]))
        nodes.append(helper.make_node(
            "Reshape", [f"{col}_onehot", f"{col}_shape"], [f"{col}_encoded"], name=f"Reshape_{col}",
        ))
        encoded.append(f"{col}_encoded")
    nodes += [
        helper.make_node("Concat", encoded, ["features"], name="ConcatFeatures", axis=1),
        helper.make_node(
            "LinearClassifier", ["features"], ["label", "probability_tensor"], name="LinearClassifier",
            domain="ai.onnx.ml",
            coefficients=clf.coef_.astype(np.float64).ravel().tolist(),
            intercepts=clf.intercept_.astype(np.float64).tolist(),
            classlabels_strings=classes,
            multi_class=1,
            post_transform="SOFTMAX",
        ),
        helper.make_node(
            "Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer",
            domain="ai.onnx.ml", norm="L1",
        ),
    ]
    inputs = [helper.make_tensor_value_info(c, TensorProto.STRING, [None, 1]) for c in PENGUIN_STRINGS]
    inputs += [float_input(c, 1) for c in PENGUIN_NUMERIC]
    graph = helper.make_graph(
        nodes,
        "PenguinsLogisticRegression",
        inputs,
        [
            helper.make_tensor_value_info("label", TensorProto.STRING, [None]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3]),
        ],
        initializer=initializers,
        value_info=value_info,
    )
    model = hand_model(
        graph,
        "scikit-learn pipeline (mean imputation, scaling, one-hot of island and sex, "
        "LogisticRegression) on the penguins example data; built by scripts/onnx-fixtures.py",
    )
    names = ["island"] + PENGUIN_NUMERIC + ["sex"]  # the order of the example data
    columns = [str_te["island"]] + [num_te[:, j] for j in range(n_num)] + [str_te["sex"]]
    write_fixture(
        "sklearn-strings", model, names, columns, "species", y_te, y_pred, scores, classes=classes,
    )


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print(f"numpy {np.__version__}, onnx {onnx.__version__}, scikit-learn {sklearn.__version__}, "
          f"torch {torch.__version__}, xgboost {xgboost.__version__}")
    os.makedirs(OUT, exist_ok=True)
    build_torch_mlp()
    build_sklearn_logreg_zipmap()
    build_sklearn_gbdt()
    build_xgboost_regressor()
    build_sklearn_strings()


if __name__ == "__main__":
    main()
