"""Churn prediction models: each trained version is a fact of the log.

One registry aggregate (a fixed id) records ``Trained``: the model's version (dense from 1),
the horizon, the business date its training data ends, the feature names, the holdout
metrics and the sha256 of the fitted model's parameters. The parameters themselves are
stored beside the read models (a table of model files, keyed by that hash), so a
prediction can prove it scored with exactly the model the event describes.

The fitted model is a logistic regression over standardized features, so scoring needs
no library: :func:`score` gives the probability and each feature's contribution to the
log-odds (coefficient × standardized value). Pure functions, no clock, no I/O.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cs_domain.base import LedgerAggregate, index_id
from cs_domain.errors import InvalidInput, NotFound

REGISTRY_ID = index_id("churn-models", "registry")
MIN_HORIZON, MAX_HORIZON = 7, 365
MAX_VERSIONS = 10_000
ALGORITHM = "logistic-regression"


def check_horizon(horizon_days: int) -> None:
    if not MIN_HORIZON <= horizon_days <= MAX_HORIZON:
        raise InvalidInput.one("horizon_days",
                               f"must be between {MIN_HORIZON} and {MAX_HORIZON} days")


@dataclass(frozen=True)
class FittedModel:
    """A standardized logistic regression: p = σ(intercept + Σ coef_i (x_i − mean_i) / scale_i)."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefs: tuple[float, ...]
    intercept: float

    def body(self) -> str:
        """The canonical JSON text the hash is taken of (sorted keys, no spaces)."""
        return json.dumps({"algorithm": ALGORITHM, "features": list(self.features),
                           "means": list(self.means), "scales": list(self.scales),
                           "coefs": list(self.coefs), "intercept": self.intercept},
                          sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.body().encode()).hexdigest()

    @classmethod
    def from_body(cls, text: str) -> FittedModel:
        data = json.loads(text)
        return cls(tuple(data["features"]), tuple(data["means"]), tuple(data["scales"]),
                   tuple(data["coefs"]), float(data["intercept"]))

    def score(self, values: Mapping[str, float]) -> tuple[float, list[tuple[str, float]]]:
        """(probability, [(feature, contribution to the log-odds)]), largest |contribution| first."""
        contributions = []
        for name, mean, scale, coef in zip(self.features, self.means, self.scales, self.coefs,
                                           strict=True):
            standardized = (float(values[name]) - mean) / (scale or 1.0)
            contributions.append((name, coef * standardized))
        logit = self.intercept + sum(c for _, c in contributions)
        probability = 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, logit))))
        contributions.sort(key=lambda c: (-abs(c[1]), c[0]))
        return probability, contributions


class ChurnModelRegistry(LedgerAggregate):
    KIND = "churn model registry"

    class Opened(LedgerAggregate.Created):
        actor: str

    class Trained(LedgerAggregate.Event):
        actor: str
        version: int
        algorithm: str
        horizon_days: int
        trained_until: date
        features: list[str]
        metrics: dict[str, str]
        sha256: str

        def apply(self, aggregate: Any) -> None:
            aggregate.versions[self.version] = self.sha256

    def __init__(self, actor: str) -> None:
        self.versions: dict[int, str] = {}

    @classmethod
    def open(cls, actor: str) -> ChurnModelRegistry:
        return cls._create(cls.Opened, id=REGISTRY_ID, actor=actor)

    def find(self, version: int) -> str:
        found = self.versions.get(version)
        if found is None:
            raise NotFound("churn model", version)
        return found

    def record(self, *, actor: str, horizon_days: int, trained_until: date,
               features: Sequence[str], metrics: Mapping[str, Any], sha256: str) -> int:
        """Records a trained version (its parameters already stored under `sha256`)."""
        check_horizon(horizon_days)
        if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
            raise InvalidInput.one("sha256", "must be 64 lowercase hex digits")
        if not features or len(features) > 100:
            raise InvalidInput.one("features", "must name 1..100 features")
        if len(self.versions) >= MAX_VERSIONS:
            raise InvalidInput.one("version", f"the registry holds at most {MAX_VERSIONS}")
        version = len(self.versions) + 1
        self.trigger_event(self.Trained, actor=actor, version=version, algorithm=ALGORITHM,
                           horizon_days=horizon_days, trained_until=trained_until,
                           features=list(features),
                           metrics={k: str(v) for k, v in metrics.items()}, sha256=sha256)
        return version
