"""Train a churn model on the log and record it: `cs-ledger predict train`, tests, bench.

The views are caught up by the caller; the training reads them at one position (so the
same log and `until` give the same model, bit for bit), stores the fitted parameters in
the read models' `ml_model_files` table and records `ChurnModelRegistry.Trained` with
their sha256 and the holdout metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cs_domain.app import CustomerSuccess
from cs_domain.bounds import out_of_bounds
from cs_domain.errors import InvalidInput
from projections.churn_training import Training, train
from projections.db import ReadModels
from projections.view import Reader
from projections.views.churn import FEATURES, store_model_file


@dataclass(frozen=True)
class Recorded:
    version: int
    sha256: str
    position: int
    read_position: int
    metrics: dict[str, Any]


def train_and_record(app: CustomerSuccess, models: ReadModels, *, actor: str, until: date,
                     horizon_days: int = 30, first: date | None = None) -> Recorded:
    if out_of_bounds(until, "until"):
        raise InvalidInput.one("until", "must be between 1900-01-01 and 2199-12-31")
    with models.read() as conn:
        r = Reader(conn, None)
        fitted: Training = train(r, until, horizon_days, first)
        read_position = r.position
    with models.write() as conn:
        digest = store_model_file(conn, fitted.model)
    result = app.record_churn_model(actor=actor, horizon_days=horizon_days,
                                    trained_until=until, features=FEATURES,
                                    metrics=fitted.metrics, sha256=digest)
    return Recorded(result.extra["model_version"], digest, result.position, read_position,
                    fitted.metrics)
