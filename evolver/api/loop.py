"""``SelfImprovementLoop``: the evolve pipeline one step at a time, from Python.

Every step runs the engine the CLI runs and records into the same history: ``analyze`` measures
and profiles the workload, ``propose`` + ``rank`` make the suggestions, the evolve judge tests one,
the generation store keeps the winner, ``promote`` / ``revert`` write the file.
"""

from __future__ import annotations

import difflib
import math
import statistics
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from evolver import predictor, transforms
from evolver.analyze import Analysis, analyze
from evolver.api import engine
from evolver.config import find_workspace, load_settings, read_source, resolve_target
from evolver.errors import EvolverError
from evolver.evolve import Notify, _quiet
from evolver.generations import Generation, GenerationStore, unified_diff
from evolver.history import History, StatusError, illegal_move
from evolver.model import Settings, Target, source_hash, to_json
from evolver.promote import promote, reconcile, revert
from evolver.rank import rank

METRICS = ("wall_time_ms", "peak_memory_mb", "cpu_percent", "error_count")


def _latest_session(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows recorded by the session that recorded the newest one."""
    if not rows:
        return []
    latest = max(rows, key=lambda r: r["id"])["session_id"]
    return [r for r in rows if r["session_id"] == latest]


class SelfImprovementLoop:
    """Analyze, suggest, test, apply and roll back improvements of one module.

    ``target`` is the module file; ``workspace_path`` holds ``generations/`` and ``.evolver/``
    (default: the project around the current directory, as for the CLI); ``db_path`` the history
    (default ``<workspace>/.evolver/evolver.db``). ``settings`` override ``[tool.evolver]``
    (``bench="workload:run"``, ``tests=...``, ``min_effect=0.05``, ``thresholds={...}``, ...).
    """

    def __init__(self, target: str | Path, db_path: str | Path | None = None,
                 workspace_path: str | Path | None = None, *, root: str | Path | None = None,
                 notify: Notify = _quiet, **settings: Any) -> None:
        self.target: Target = resolve_target(target, root)
        self.settings: Settings = load_settings(self.target, settings)
        if not 0 <= self.settings.performance_threshold < 1:
            raise EvolverError("performance_threshold must be a fraction of the time saved, from 0 to below 1")
        self.workspace = Path(workspace_path).resolve() if workspace_path is not None else find_workspace()
        self.history = History.open(Path(db_path) if db_path is not None else
                                    self.workspace / ".evolver" / "evolver.db")
        reconcile(self.history, self.target.path)
        self.store = GenerationStore(self.workspace / "generations")
        self.notify = notify
        self.cancel: threading.Event | None = None  # set to stop the engine's runs (the watch's stop token)
        self._session: str | None = None
        self.status = "ok"  # how the session ends on close(); a stopped watch sets "interrupted"
        self._analysis: Analysis | None = None

    # -- lifetime -----------------------------------------------------------------------------
    @property
    def session_id(self) -> str:
        """The history session this loop records its steps under (started on first use)."""
        if self._session is None:
            self._session = self.history.start_session("api", target=self.target, settings=self.settings)
        return self._session

    def close(self, status: str | None = None) -> None:
        """End the session (``status``, else ``self.status``) and close the history."""
        if self._session is not None:
            self.history.end_session(self._session, status or self.status)
            self._session = None
        self.history.close()

    def __enter__(self) -> SelfImprovementLoop:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        # the session's end says how the block ended, as History.session() does for the CLI
        status = None
        if exc_type is not None:
            status = ("refused" if issubclass(exc_type, EvolverError) else
                      "interrupted" if issubclass(exc_type, KeyboardInterrupt) else "error")
        self.close(status)

    # -- analysis -----------------------------------------------------------------------------
    def analyze_own_performance(self, session_id: str | None = None) -> dict[str, Any]:
        """Measure and profile the workload on the module as it is now: metrics, bottlenecks,
        hotspots and rewrite sites; recorded in the history (under ``session_id`` if given)."""
        result = analyze(self.target, self.settings, self.history, session_id=session_id or self.session_id)
        self._analysis = result
        hotspots = sorted(result.profile.functions, key=lambda f: -f.share)[:5] if result.profile else []
        return {
            "target": str(self.target.path),
            "source_hash": result.source_hash,
            "metrics": {k: v for k, v in result.metrics.items() if k in METRICS or k.endswith("_spread")},
            "bottlenecks": [to_json(b) for b in result.bottlenecks],
            "hotspots": [{"function": f.qualname, "share": f.share, "calls": f.calls} for f in hotspots],
            "sites": {"applicable": sum(s.verdict == "applicable" for s in result.sites),
                      "refused": sum(s.verdict == "refused" for s in result.sites)},
            "maintainability": result.facts.maintainability,
        }

    def identify_bottlenecks(self) -> list[dict[str, Any]]:
        """The bottlenecks of the module as it is now (measured now if never measured), worst first."""
        current = source_hash(read_source(self.target.path))
        if not self.history.metrics(str(self.target.path), "wall_time_ms", source_hash=current):
            self.analyze_own_performance()
        rows = _latest_session(self.history.bottlenecks(str(self.target.path), current))
        return [{"metric": r["metric"], "value": r["value"], "threshold": r["threshold"], "severity": r["severity"],
                 "impact": r["impact"], "location": r["location"], "detected_at": r["detected_at"]}
                for r in sorted(rows, key=lambda r: -r["impact"])]

    # -- improvements -------------------------------------------------------------------------
    def generate_improvements(self, max_suggestions: int = 3) -> list[dict[str, Any]]:
        """Ranked rewrites of the module as it is now, recorded as 'proposed'. Each has ``id``,
        ``suggestion_type`` (the transform), ``description``, ``code_changes`` (unified diff),
        ``expected_improvement`` (predicted share of time saved), ``confidence`` (0-1) and
        ``status``."""
        source = read_source(self.target.path)
        analysis = self._current_analysis(source)
        ctx = transforms.Context.of(self.target, self.settings)
        sites = [s for s in analysis.sites if s.verdict == "applicable"]
        learned = predictor.load(self.workspace / ".evolver")
        ranked = rank(sites, analysis.profile, learned, seed=zlib.crc32(self.session_id.encode()))
        errors = int(analysis.metrics.get("error_count", 0))
        ranked = engine.worth_evaluating(ranked, analysis.profile, self.settings, errors, self.notify)
        out: list[dict[str, Any]] = []
        for cand in ranked:
            if len(out) == max_suggestions:
                break
            try:
                child = transforms.apply(source, cand.site.id, ctx)
            except transforms.TransformError as exc:
                self.notify("skipped", site=cand.site.id, reason=str(exc))
                continue
            imp = self.history.add_improvement(
                self.session_id, str(self.target.path), cand.site.id, cand.site.transform, source_hash(source),
                candidate_hash=source_hash(child), predicted_success=cand.predicted_success,
                predicted_gain=cand.predicted_gain, features=cand.site.features)
            out.append(self._suggestion(self.history.improvement(imp), source, child))
        return out

    def test_improvement(self, improvement_id: int) -> dict[str, Any]:
        """Evaluate a proposed improvement against the module as it is now, in the sandbox, with
        the evolve judge (tests, workload output, paired timing). An approved one is stored as a
        generation. ``performance_change_percent`` is the time saved per workload run (negative:
        slower)."""
        started = time.monotonic()
        row = self.history.improvement(improvement_id)
        source, child = self._sources(row)
        self.history.set_status(improvement_id, "testing")
        try:
            verdict = engine.judge_candidate(self.target, self.settings, source, child, notify=self.notify,
                                             cancel=self.cancel,
                                             recorder=engine.RecordTests(self.history, self.session_id, improvement_id))
        except BaseException as exc:  # not judged (the current code fails, or a stop): never left "testing"
            self.history.set_status(improvement_id, "failed", reason=f"not judged: {exc or type(exc).__name__}")
            raise
        cmp = verdict.comparison
        fields: dict[str, Any] = {"reason": verdict.reason}
        if cmp is not None:
            fields.update(comparison=cmp)
        self.history.set_status(improvement_id, verdict.status, **fields)
        gen = self._store(row, source, child, verdict) if verdict.status == "approved" else None
        before = statistics.median(cmp.parent_s) * 1000 if cmp is not None else None
        after = statistics.median(cmp.candidate_s) * 1000 if cmp is not None else None
        return {
            "id": improvement_id,
            "success": verdict.status == "approved",
            "status": verdict.status,
            "reason": verdict.reason,
            "errors": [] if verdict.status != "failed" else [verdict.reason],
            "warnings": [verdict.reason] if verdict.status == "rejected" else [],
            "performance_before": {"wall_time_ms": before},
            "performance_after": {"wall_time_ms": after},
            "performance_change_percent": (1 - cmp.ratio) * 100 if cmp is not None else None,
            "confidence_interval_percent": ([(1 - cmp.ci_high) * 100, (1 - cmp.ci_low) * 100]
                                            if cmp is not None else None),
            "generation": gen.id if gen is not None else None,
            "execution_time": time.monotonic() - started,
        }

    def apply_improvement(self, improvement_id: int) -> bool:
        """Promote the generation of an approved improvement into the module (atomic,
        hash-checked). True once written; an improvement that is not approved raises
        :class:`StatusError` saying why, a refused promotion raises :class:`EvolverError`."""
        row = self.history.improvement(improvement_id)
        if row["status"] != "approved":
            raise StatusError(illegal_move(improvement_id, row["status"], "applied", row["reason"]))
        gen = self.generation_of(row)
        promote(gen, self.history, self.session_id)
        return self.history.improvement(improvement_id)["status"] == "applied"

    def rollback_improvement(self, improvement_id: int, reason: str | None = None) -> bool:
        """Put back the exact bytes the promotion of this improvement replaced. Only the newest
        live promotion of the module can be rolled back (roll back later ones first)."""
        row = self.history.improvement(improvement_id)
        if row["status"] != "applied":
            raise StatusError(illegal_move(improvement_id, row["status"], "rolled_back", row["reason"]))
        promotion = self.history.promotion_of(improvement_id)
        live = self.history.last_applied(self.target.path)
        if promotion is None or live is None or live["id"] != promotion["id"]:
            newer = f" generation {live['generation_id']} was promoted after it" if live else ""
            raise EvolverError(f"improvement {improvement_id} is not in the newest promotion of "
                               f"{self.target.path.name}:{newer}; roll that back first")
        revert(self.target.path, self.history, self.session_id, reason=reason or "rolled back from the API")
        return self.history.improvement(improvement_id)["status"] == "rolled_back"

    # -- reading the history ------------------------------------------------------------------
    def get_improvement_history(self, limit: int = 10) -> list[dict[str, Any]]:
        """The newest improvements of this module, newest first, with their promotion if any."""
        rows = [r for r in self.history.improvements() if r["target"] == str(self.target.path)]
        out = []
        for row in rows[::-1][:limit]:
            promotion = self.history.promotion_of(row["id"])
            out.append({
                "id": row["id"], "suggestion_type": row["transform"], "site": row["site_id"],
                "status": row["status"], "reason": row["reason"],
                "performance_change_percent": (1 - row["ratio"]) * 100 if row["ratio"] else None,
                "confidence": row["predicted_success"], "created_at": row["created_at"],
                "updated_at": row["updated_at"],
                "applied_at": promotion["applied_at"] if promotion else None,
                "generation": promotion["generation_id"] if promotion else None,
                "rolled_back_at": promotion["rolled_back_at"] if promotion else None,
                "rollback_reason": promotion["rollback_reason"] if promotion else None,
            })
        return out

    def get_performance_trend(self, metric: str = "wall_time_ms", hours: float = 24) -> dict[str, Any]:
        """Every measurement of ``metric`` in the last ``hours``, oldest first, and the change
        from the first to the last; ``direction`` says "flat" while the change is within the
        larger of the two points' spreads."""
        if metric not in METRICS:
            raise EvolverError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
        since = (datetime.now(UTC) - timedelta(hours=hours)).isoformat()
        rows = self.history.metrics(str(self.target.path), metric, since)
        points = [{"measured_at": r["measured_at"], "value": r["value"], "spread": r["spread"],
                   "source_hash": r["source_hash"], "generation": r["generation_id"]} for r in rows]
        trend: dict[str, Any] = {"metric": metric, "hours": hours, "points": points, "change_percent": None,
                                 "direction": "unknown"}
        if len(points) >= 2 and points[0]["value"]:
            first, last = points[0], points[-1]
            change = last["value"] - first["value"]
            noise = max(first["spread"] or 0.0, last["spread"] or 0.0)
            trend["change_percent"] = 100 * change / first["value"]
            lower_is_better = True  # every metric here is a cost
            trend["direction"] = ("flat" if abs(change) <= noise else
                                  "improving" if (change < 0) == lower_is_better else "worsening")
        return trend

    def get_stats(self) -> dict[str, Any]:
        """Counts for this module: measurements, bottlenecks still open, improvements by status,
        success rate, promotions and rollbacks."""
        path = str(self.target.path)
        improvements = [r for r in self.history.improvements() if r["target"] == path]
        by_status: dict[str, int] = {}
        for r in improvements:
            by_status[r["status"]] = by_status.get(r["status"], 0) + 1
        approved = sum(by_status.get(s, 0) for s in ("approved", "applied", "rolled_back"))
        judged = approved + by_status.get("rejected", 0) + by_status.get("failed", 0)
        current = source_hash(self.target.path.read_bytes())
        promotions = [r for r in self.history.rows("applied_improvements") if r["target_path"] == path]
        return {
            "target": path,
            "total_performance_snapshots": len(self.history.metrics(path, "wall_time_ms")),
            "unresolved_bottlenecks": len(_latest_session(self.history.bottlenecks(path, current))),
            "total_improvements": len(improvements),
            "by_status": by_status,
            "successfully_applied": by_status.get("applied", 0) + by_status.get("rolled_back", 0),
            "currently_applied": by_status.get("applied", 0),
            "rolled_back": by_status.get("rolled_back", 0),
            "success_rate": approved / judged if judged else None,
            "promotions": len(promotions),
            "rollbacks": sum(r["rolled_back_at"] is not None for r in promotions),
            "generations": len(self.store.lineage(self.target.key)),
        }

    # -- helpers ------------------------------------------------------------------------------
    def _current_analysis(self, source: str) -> Analysis:
        if self._analysis is None or self._analysis.source_hash != source_hash(source):
            self.analyze_own_performance()
        assert self._analysis is not None
        return self._analysis

    def _sources(self, row: dict[str, Any]) -> tuple[str, str]:
        """The module as it is now (which must be the improvement's parent) and the rewrite."""
        source = read_source(self.target.path)
        if source_hash(source) != row["parent_hash"]:
            raise EvolverError(f"{self.target.path.name} changed since improvement {row['id']} was proposed; "
                               "generate improvements again")
        child = transforms.apply(source, row["site_id"], transforms.Context.of(self.target, self.settings))
        if source_hash(child) != row["candidate_hash"]:
            raise EvolverError(f"improvement {row['id']} no longer rewrites to the code that was proposed")
        return source, child

    def _suggestion(self, row: dict[str, Any], source: str, child: str) -> dict[str, Any]:
        transform = transforms.get(row["transform"])
        diff = "".join(difflib.unified_diff(source.splitlines(keepends=True), child.splitlines(keepends=True),
                                            f"a/{self.target.path.name}", f"b/{self.target.path.name}"))
        gain = row["predicted_gain"]
        return {"id": row["id"], "suggestion_type": row["transform"], "site": row["site_id"],
                "description": f"{transform.description} ({row['site_id']})", "code_changes": diff,
                "expected_improvement": (1 - math.exp(-gain)) if gain is not None else None,
                "confidence": row["predicted_success"], "status": row["status"]}

    def _store(self, row: dict[str, Any], source: str, child: str, verdict: engine.Judgement) -> Generation:
        root = self.store.root_for(self.target, source)
        self._record(root, None)
        cmp = verdict.comparison
        gen = self.store.add(self.target, root, child, transforms=[
            {"site": row["site_id"], "transform": row["transform"], "target": row["site_id"].split("@", 1)[1],
             "reason": verdict.reason}],
            measurements={"vs_parent": to_json(cmp), "errors": verdict.errors}, session_id=self.session_id)
        self._record(gen, root)
        return gen

    def _record(self, gen: Generation, parent: Generation | None) -> None:
        if parent is None and self.history.generation_exists(gen.id):
            return
        m = gen.manifest
        self.history.add_generation(id=gen.id, target_key=gen.target_key, target_path=str(self.target.path),
                                    number=gen.number, parent_id=parent.id if parent else None,
                                    source_hash=m["source_hash"], parent_hash=m["parent_hash"],
                                    transforms=m["transforms"], measurements=m["measurements"],
                                    session_id=self.session_id)

    def generation_of(self, row: dict[str, Any]) -> Generation:
        """The stored generation an approved improvement produced."""
        for gen in reversed(self.store.lineage(self.target.key)):
            if gen.source_hash == row["candidate_hash"] and not gen.is_root:
                return gen
        raise EvolverError(f"no stored generation holds improvement {row['id']}; test it again")

    def diff(self, gen_id: str) -> str:
        gen = self.store.get(gen_id)
        return unified_diff(self.store.get(gen.parent_id), gen) if gen.parent_id else ""
