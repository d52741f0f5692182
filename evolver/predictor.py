"""The learned transform predictor: which candidates are likely to win, and by how much.

Trained on the history's decided candidates (``improvements`` rows that reached approved,
applied, rolled_back, rejected or failed). Each row becomes a fixed, versioned feature vector
(one-hot transform kind + the numeric facts in ``FEATURES``; missing facts are NaN) with two
targets: success (passed the oracle and the harness) and gain (``-log(ratio)`` where measured).
Two histogram gradient-boosting models learn them once there is enough history.

Persistence is plain JSON, never a pickle: the file keeps the training rows themselves and a
digest; loading verifies the digest and refits (deterministic, a fraction of a second per
thousand rows). Anything wrong with the file gives the empty predictor, whose estimates are
the prior in :mod:`evolver.rank`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers
import os
import platform
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy
from scipy.stats import spearmanr
from threadpoolctl import ThreadpoolController

from evolver.history import History
from evolver.model import Site

if TYPE_CHECKING:  # scikit-learn is imported where a model is fitted or scored (it costs a second at start-up)
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

FEATURE_VERSION = 2
# Numeric features, each read from the first of its accepted Site.features keys that is present.
FEATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # the function a site lives in (transforms.base.function_features)
    ("loc", ("loc",)),
    ("complexity", ("complexity", "cyclomatic")),
    ("loop_depth", ("loop_depth",)),
    ("recursive", ("recursive", "is_recursive")),
    ("call_sites", ("call_sites", "n_call_sites", "callers")),
    ("reasons", ("n_reasons", "reasons", "reason_count")),
    ("params", ("n_params", "params", "parameters")),
    ("is_method", ("is_method",)),
    ("io_calls", ("io_calls", "n_io_calls")),
    # transform-specific facts (NaN for the other transforms)
    ("pure", ("pure",)),
    ("form", ("form",)),
    ("site_loop_depth", ("site_loop_depth",)),
    ("callee_loc", ("callee_loc",)),
    ("callee_io_calls", ("callee_io_calls",)),
    ("declared", ("declared",)),
    ("proven", ("proven",)),
    ("evidence", ("evidence",)),
    ("network", ("network",)),
    # added by rank from the parent's profile
    ("profile_share", ("profile_share",)),
    ("profile_calls", ("profile_calls",)),
    ("repeat_rate", ("repeat_rate",)),  # v2: share of the function's calls repeating earlier arguments
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)
MIN_ROWS = 20  # fewer decided (or measured) rows than this: no model, the prior decides
FORMAT = "evolver-predictor/1"
DIRNAME, FILENAME = "predictor", "model.json"
DECIDED = ("approved", "applied", "rolled_back", "rejected", "failed")
SUCCEEDED = frozenset({"approved", "applied", "rolled_back"})
CV_FOLDS = 5


@dataclass(frozen=True)
class Counts:
    """One transform's decided candidates in the training rows."""

    tried: int = 0
    approved: int = 0
    measured: int = 0
    gain_sum: float = 0.0
    gain_sumsq: float = 0.0  # with gain_sum: the spread of the measured gains

    @property
    def gain_sd(self) -> float | None:
        """Standard deviation of the measured log gains (None below two)."""
        if self.measured < 2:
            return None
        mean = self.gain_sum / self.measured
        return math.sqrt(max(0.0, (self.gain_sumsq - self.measured * mean * mean) / (self.measured - 1)))


@dataclass(frozen=True)
class Estimate:
    """The models' figures for one site; None where no model speaks for it."""

    success: float | None
    gain: float | None


@dataclass(frozen=True)
class Dataset:
    ids: tuple[int, ...]
    transforms: tuple[str, ...]
    targets: tuple[str, ...]
    x: np.ndarray  # rows x FEATURE_NAMES, NaN where missing
    success: np.ndarray  # 0/1
    gain: np.ndarray  # NaN where not measured
    groups: tuple[str, ...] = ()  # projects, when known otherwise than from the targets' paths

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.transforms)))

    @property
    def projects(self) -> tuple[str, ...]:
        """The cross-validation groups: a model is judged on projects it was not trained on."""
        return self.groups if self.groups else tuple(project_of(t) for t in self.targets)


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()  # finding the loaded libraries costs ms: do it once


def _one_thread() -> Any:
    """OpenMP threads on a shared 2-vCPU box make fitting 5-10x slower, not faster."""
    return _controller().limit(limits=1, user_api="openmp")


@dataclass(frozen=True, eq=False)
class Fitted:
    """A fitted model and the design columns it uses: an all-NaN column cannot be binned."""

    estimator: HistGradientBoostingClassifier | HistGradientBoostingRegressor
    columns: np.ndarray

    def predict(self, x: np.ndarray) -> np.ndarray:
        with _one_thread():
            if hasattr(self.estimator, "predict_proba"):  # the classifier
                return self.estimator.predict_proba(x[:, self.columns])[:, 1]
            return self.estimator.predict(x[:, self.columns])


@dataclass(frozen=True)
class Predictor:
    """Estimates for candidate sites; the empty one (no rows) leaves everything to the prior."""

    kinds: tuple[str, ...] = ()
    counts: Mapping[str, Counts] = field(default_factory=dict)
    success_model: Fitted | None = None
    gain_model: Fitted | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    calibration: Calibration | None = None  # maps the success model's scores to calibrated probabilities
    problem: str = ""  # why a saved predictor could not be used, for the user

    def counts_for(self, transform: str) -> Counts:
        return self.counts.get(transform, Counts())

    def estimate(self, sites: Sequence[Site]) -> list[Estimate]:
        if not sites or (self.success_model is None and self.gain_model is None):
            return [Estimate(None, None) for _ in sites]
        x = design(np.array([vector(s.features) for s in sites]), [s.transform for s in sites], self.kinds)
        success = None if self.success_model is None else self.success_model.predict(x)
        if success is not None and self.calibration is not None:
            success = self.calibration.apply(success)
        gain = None if self.gain_model is None else self.gain_model.predict(x)
        known = [s.transform in self.kinds for s in sites]
        return [Estimate(float(success[i]) if success is not None and known[i] else None,
                         float(gain[i]) if gain is not None and known[i] else None)
                for i in range(len(sites))]


def number(value: Any) -> float:
    """A feature value as a float: bools 0/1, sequences their length, anything else NaN."""
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(float(value)) else math.nan
    if isinstance(value, (list, tuple)):
        return float(len(value))
    return math.nan


def vector(features: Mapping[str, Any]) -> list[float]:
    row = []
    for _, keys in FEATURES:
        key = next((k for k in keys if k in features), None)
        row.append(math.nan if key is None else number(features[key]))
    return row


def design(x: np.ndarray, transforms: Sequence[str], kinds: Sequence[str]) -> np.ndarray:
    """Numeric features followed by the one-hot transform kind."""
    onehot = (np.array(transforms, dtype=object).reshape(-1, 1) == np.array(kinds, dtype=object).reshape(1, -1))
    return np.hstack([x.reshape(len(transforms), len(FEATURE_NAMES)), onehot.astype(float)])


def dataset(rows: Sequence[Mapping[str, Any]]) -> Dataset:
    decided = [r for r in rows if r["status"] in DECIDED]
    return Dataset(
        ids=tuple(int(r["id"]) for r in decided),
        transforms=tuple(str(r["transform"]) for r in decided),
        targets=tuple(str(r["target"]) for r in decided),
        x=np.array([vector(_features(r.get("features_json"))) for r in decided]).reshape(len(decided), len(FEATURES)),
        success=np.array([int(r["status"] in SUCCEEDED) for r in decided], dtype=int),
        gain=np.array([_gain(r.get("ratio")) for r in decided], dtype=float),
    )


def _features(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _gain(ratio: Any) -> float:
    if isinstance(ratio, (int, float)) and math.isfinite(ratio) and ratio > 0:
        return -math.log(ratio)
    return math.nan


# -- models ----------------------------------------------------------------------------------

def _params(n: int) -> dict[str, Any]:
    # Small histories need small leaves to split at all; early stopping off keeps refits exact.
    return {"max_iter": 100, "max_leaf_nodes": 15, "min_samples_leaf": max(3, min(20, n // 10)),
            "l2_regularization": 1.0, "early_stopping": False, "random_state": 0}


def _fitted(estimator: Any, x: np.ndarray, y: np.ndarray) -> Fitted:
    columns = np.flatnonzero(~np.isnan(x).all(axis=0))
    with _one_thread():
        return Fitted(estimator.fit(x[:, columns], y), columns)


def fit_success(x: np.ndarray, y: np.ndarray) -> Fitted | None:
    if len(y) < MIN_ROWS or len(set(y.tolist())) < 2:
        return None
    from sklearn.ensemble import HistGradientBoostingClassifier

    return _fitted(HistGradientBoostingClassifier(**_params(len(y))), x, y)


def fit_gain(x: np.ndarray, y: np.ndarray) -> Fitted | None:
    keep = ~np.isnan(y)
    if keep.sum() < MIN_ROWS:
        return None
    from sklearn.ensemble import HistGradientBoostingRegressor

    return _fitted(HistGradientBoostingRegressor(**_params(int(keep.sum()))), x[keep], y[keep])


def counts(data: Dataset) -> dict[str, Counts]:
    out = {}
    for kind in data.kinds:
        mask = np.array([t == kind for t in data.transforms])
        gains = data.gain[mask][~np.isnan(data.gain[mask])]
        out[kind] = Counts(tried=int(mask.sum()), approved=int(data.success[mask].sum()),
                           measured=len(gains), gain_sum=float(gains.sum()), gain_sumsq=float((gains ** 2).sum()))
    return out


def fit(data: Dataset, meta: Mapping[str, Any] | None = None) -> Predictor:
    x = design(data.x, data.transforms, data.kinds)
    success = fit_success(x, data.success)
    return Predictor(kinds=data.kinds, counts=counts(data), success_model=success,
                     gain_model=fit_gain(x, data.gain), meta=dict(meta or {}),
                     calibration=None if success is None else _calibration(data))


# -- calibration of the success probability --------------------------------------------------

@dataclass(frozen=True)
class Calibration:
    """Platt scaling: p = sigmoid(a * logit(score) + b), fitted on out-of-fold scores (each from a
    model that never saw that row's project, or fold), so a predicted 70% wins about 70% of the
    time on new code. Two parameters: a small history cannot support more (isotonic steps)."""

    a: float
    b: float

    def apply(self, score: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(self.a * _logit(score) + self.b))), dtype=float)

    @staticmethod
    def fitted(score: np.ndarray, success: np.ndarray) -> Calibration | None:
        """Platt's fit: his smoothed targets ((N+ + 1) / (N+ + 2) for a win, 1 / (N- + 2) for a
        loss) keep separable histories from mapping to certainty."""
        wins = int(success.sum())
        if wins in (0, len(success)):
            return None
        from sklearn.linear_model import LogisticRegression

        target = np.where(success == 1, (wins + 1) / (wins + 2), 1 / (len(success) - wins + 2))
        x = np.concatenate([_logit(score)] * 2).reshape(-1, 1)
        y = np.concatenate([np.ones(len(score)), np.zeros(len(score))])
        with _one_thread():
            model = LogisticRegression(C=1e6).fit(x, y, sample_weight=np.concatenate([target, 1 - target]))
        return Calibration(float(model.coef_[0][0]), float(model.intercept_[0]))


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 0.01, 0.99)
    return np.asarray(np.log(q / (1 - q)), dtype=float)


def _calibration(data: Dataset) -> Calibration | None:
    """The map from the success model's scores to probabilities, from its out-of-fold scores."""
    folds, _ = _folds(data, np.ones(len(data.ids), dtype=bool), stratify=True)
    if len(folds) < 2 or any(len(train) < MIN_ROWS or len(set(data.success[train].tolist())) < 2
                             for train, _ in folds):
        return None  # some fold's scores would be a constant rate, not the model's: nothing to calibrate
    score, _ = _oof_success(data, folds)
    return Calibration.fitted(score, data.success)


def calibration_error(p: np.ndarray, success: np.ndarray, bins: int = 5) -> float:
    """Expected calibration error: the row-weighted gap between the mean predicted probability and
    the observed success rate, over equal-width bins of the prediction."""
    which = np.minimum((np.asarray(p) * bins).astype(int), bins - 1)
    return float(sum(abs(p[which == k].mean() - success[which == k].mean()) * (which == k).sum()
                     for k in range(bins) if (which == k).any()) / len(p))


def _calibrated_oof(score: np.ndarray, success: np.ndarray,
                    folds: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Each fold's out-of-fold scores mapped by a calibration fitted on the other folds' scores."""
    out = np.array(score, dtype=float)
    for train, test in folds:
        found = Calibration.fitted(score[train], success[train])
        if found is not None:
            out[test] = found.apply(score[test])
    return out


# -- cross-validation ------------------------------------------------------------------------

def project_of(target: str) -> str:
    """The project a history row's target (a module's path) belongs to: the folder holding its
    pyproject.toml / setup.cfg / .git when it still exists, else its folder; a bare name stays."""
    path = Path(target)
    if not path.is_absolute():
        return target
    for folder in path.parents:
        if any((folder / marker).exists() for marker in ("pyproject.toml", "setup.cfg", ".git")):
            return str(folder)
    return str(path.parent)


def _folds(data: Dataset, mask: np.ndarray, stratify: bool) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

    idx = np.flatnonzero(mask)
    groups = np.array(data.projects)[idx]
    if len(set(groups.tolist())) >= 2:
        k = min(CV_FOLDS, len(set(groups.tolist())))
        return [(idx[a], idx[b]) for a, b in GroupKFold(n_splits=k).split(idx, groups=groups)], "project"
    if stratify:
        k = min(CV_FOLDS, int(np.bincount(data.success[idx], minlength=2).min()))
        if k < 2:
            return [], ""
        split = StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(idx, data.success[idx])
        return [(idx[a], idx[b]) for a, b in split], "stratified"
    k = min(CV_FOLDS, len(idx))
    return [(idx[a], idx[b]) for a, b in KFold(n_splits=k, shuffle=True, random_state=0).split(idx)], "kfold"


def _oof_success(data: Dataset, folds: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold success probabilities of the model and of the per-transform rate baseline."""
    model, base = np.full(len(data.ids), np.nan), np.full(len(data.ids), np.nan)
    transforms = np.array(data.transforms)
    for train, test in folds:
        x = design(data.x, data.transforms, sorted(set(transforms[train].tolist())))
        clf = fit_success(x[train], data.success[train])
        rate = data.success[train].mean()
        model[test] = clf.predict(x[test]) if clf is not None else rate
        for kind in set(transforms[test].tolist()):
            same = train[transforms[train] == kind]
            base[test[transforms[test] == kind]] = (data.success[same].sum() + rate) / (len(same) + 1)
    return model, base


def _oof_gain(data: Dataset, folds: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold predicted log gains (the fold's mean where no model could be fitted)."""
    pred = np.full(len(data.ids), np.nan)
    for train, test in folds:
        x = design(data.x, data.transforms, sorted(set(np.array(data.transforms)[train].tolist())))
        reg = fit_gain(x[train], data.gain[train])
        pred[test] = reg.predict(x[test]) if reg is not None else np.nanmean(data.gain[train])
    return pred


def _finite(value: float) -> float | None:
    return round(float(value), 4) if math.isfinite(value) else None


def cross_validate(data: Dataset) -> dict[str, Any]:
    """Out-of-fold figures, grouped by project when there are two or more (a model is judged on
    projects it never saw): ROC AUC and Brier score of success (and of the per-transform rate
    alone), the expected calibration error of the success probability before and after the
    calibration map (the map for a fold fitted on the other folds' scores), the Spearman correlation of predicted and measured gain, and the 10th and 90th
    percentiles of the gain's residual (the spread shown with an estimate); None where the data
    cannot tell."""
    from sklearn.metrics import roc_auc_score

    out: dict[str, Any] = {"auc": None, "baseline_auc": None, "auc_folds": 0, "auc_split": "",
                           "brier": None, "baseline_brier": None,
                           "calibration_error": None, "calibrated_error": None, "calibrated_brier": None,
                           "spearman": None, "gain_rows": int((~np.isnan(data.gain)).sum()),
                           "gain_folds": 0, "gain_split": "", "gain_residual": None}
    everything = np.ones(len(data.ids), dtype=bool)
    if len(data.ids) >= MIN_ROWS and len(set(data.success.tolist())) == 2:
        folds, split = _folds(data, everything, stratify=True)
        if folds:
            model, base = _oof_success(data, folds)
            calibrated = _calibrated_oof(model, data.success, folds)
            out.update(auc=_finite(roc_auc_score(data.success, model)),
                       baseline_auc=_finite(roc_auc_score(data.success, base)),
                       brier=_finite(float(np.mean((model - data.success) ** 2))),
                       baseline_brier=_finite(float(np.mean((base - data.success) ** 2))),
                       calibration_error=_finite(calibration_error(model, data.success)),
                       calibrated_error=_finite(calibration_error(calibrated, data.success)),
                       calibrated_brier=_finite(float(np.mean((calibrated - data.success) ** 2))),
                       auc_folds=len(folds), auc_split=split)
    measured = ~np.isnan(data.gain)
    if measured.sum() >= MIN_ROWS:
        folds, split = _folds(data, measured, stratify=False)
        pred = _oof_gain(data, folds)
        pred, gain = pred[measured], data.gain[measured]
        rho = spearmanr(pred, gain).statistic if np.ptp(pred) > 0 and np.ptp(gain) > 0 else math.nan
        low, high = np.percentile(gain - pred, [10, 90])  # how far off held-out projects' gains were
        out.update(spearman=_finite(rho), gain_folds=len(folds), gain_split=split,
                   gain_residual=[_finite(float(low)), _finite(float(high))])
    return out


# -- persistence -----------------------------------------------------------------------------

def path_in(state_dir: Path) -> Path:
    return state_dir / DIRNAME / FILENAME


def _digest(payload: Mapping[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ids_hash(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode("ascii")).hexdigest()


def _nullable(values: np.ndarray) -> list[Any]:
    return [None if math.isnan(v) else float(v) for v in values.tolist()]


def payload_of(data: Dataset, summary: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "format": FORMAT, "feature_version": FEATURE_VERSION, "features": list(FEATURE_NAMES),
        "rows": {"ids": list(data.ids), "transforms": list(data.transforms), "targets": list(data.targets),
                 "x": [_nullable(row) for row in data.x], "success": data.success.tolist(),
                 "gain": _nullable(data.gain)},
        "summary": dict(summary),
    }


def save(state_dir: Path, payload: Mapping[str, Any]) -> Path:
    """Write atomically: temp file, fsync, rename."""
    path = path_in(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({**payload, "digest": _digest(payload)}, sort_keys=True, allow_nan=False)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    return path


def read_payload(state_dir: Path) -> dict[str, Any]:
    """The saved payload, verified; raises ValueError (or OSError) when it cannot be trusted."""
    data = json.loads(path_in(state_dir).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    digest = data.pop("digest", None)
    if digest != _digest(data):
        raise ValueError("digest mismatch: the file was changed or damaged")
    if data.get("format") != FORMAT or data.get("feature_version") != FEATURE_VERSION:
        raise ValueError(f"made by another predictor version ({data.get('format')}, "
                         f"features v{data.get('feature_version')})")
    return data


def dataset_of(payload: Mapping[str, Any]) -> Dataset:
    rows = payload["rows"]
    n = len(rows["ids"])
    columns = (rows["transforms"], rows["targets"], rows["x"], rows["success"], rows["gain"])
    if any(len(c) != n for c in columns) or any(len(r) != len(FEATURES) for r in rows["x"]):
        raise ValueError("inconsistent row arrays")
    if any(v not in (0, 1) for v in rows["success"]):
        raise ValueError("success labels must be 0 or 1")
    as_float = [[math.nan if v is None else float(v) for v in r] for r in rows["x"]]
    return Dataset(ids=tuple(int(i) for i in rows["ids"]), transforms=tuple(map(str, rows["transforms"])),
                   targets=tuple(map(str, rows["targets"])),
                   x=np.array(as_float, dtype=float).reshape(n, len(FEATURES)),
                   success=np.array(rows["success"], dtype=int),
                   gain=np.array([math.nan if v is None else float(v) for v in rows["gain"]], dtype=float))


def load(state_dir: Path) -> Predictor:
    """The saved predictor refitted from its rows; the empty predictor (the prior) when there is
    none or it cannot be trusted, with ``problem`` saying why."""
    if not path_in(state_dir).exists():
        return Predictor()
    try:
        payload = read_payload(state_dir)
        return fit(dataset_of(payload), payload.get("summary"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return Predictor(problem=f"predictor file {path_in(state_dir)} not used: {exc}")


# -- retrain ---------------------------------------------------------------------------------

def _per_transform(data: Dataset) -> dict[str, dict[str, Any]]:
    return {kind: {"tried": c.tried, "approved": c.approved, "success_rate": round(c.approved / c.tried, 4),
                   "measured": c.measured, "mean_gain": round(c.gain_sum / c.measured, 4) if c.measured else None}
            for kind, c in counts(data).items()}


def _previous(state_dir: Path) -> dict[str, Any] | None:
    if not path_in(state_dir).exists():
        return None
    try:
        summary = read_payload(state_dir)["summary"]
        return {k: summary.get(k) for k in ("rows", "trained_at", "ids_sha256")} | {
            "auc": summary["cv"].get("auc"), "spearman": summary["cv"].get("spearman")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return {"unreadable": str(exc)}


def _changes(previous: Mapping[str, Any] | None, rows: int, cv: Mapping[str, Any]) -> dict[str, Any]:
    if not previous or "rows" not in previous:
        return {}
    def delta(now: Any, then: Any) -> float | None:
        return round(now - then, 4) if now is not None and then is not None else None
    return {"rows": rows - int(previous["rows"] or 0), "auc": delta(cv["auc"], previous.get("auc")),
            "spearman": delta(cv["spearman"], previous.get("spearman"))}


def retrain(history: History, state_dir: Path) -> dict[str, Any]:
    """Rebuild the predictor from every decided candidate in ``history``; save it under
    ``state_dir/predictor/`` and return the summary the CLI prints."""
    import sklearn

    start = time.perf_counter()
    data = dataset(history.rows("improvements"))
    previous = _previous(state_dir)
    cv = cross_validate(data)
    model = fit(data)
    summary: dict[str, Any] = {
        "rows": len(data.ids), "measured": cv["gain_rows"], "targets": len(set(data.targets)),
        "transforms": _per_transform(data),
        "success_model": model.success_model is not None, "gain_model": model.gain_model is not None,
        "min_rows": MIN_ROWS, "cv": cv, "previous": previous, "change": _changes(previous, len(data.ids), cv),
        "ids_sha256": _ids_hash(data.ids), "feature_version": FEATURE_VERSION, "features": list(FEATURE_NAMES),
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                     "python": platform.python_version()},
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    summary["path"] = str(save(state_dir, payload_of(data, summary)))
    summary["seconds"] = round(time.perf_counter() - start, 3)
    return summary
