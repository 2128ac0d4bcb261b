"""Which health model the health view scores with: the default, or one configured.

The model is a :class:`cs_domain.rules.HealthModel` (name, version, weights, extra
components, bands). It is chosen, in this order, by:

1. a model passed to the view (``HealthView(model=HealthModel(...))``), for code and tests;
2. ``CS_LEDGER_HEALTH_MODEL`` in the environment (or the ``.env`` file): either inline
   JSON (``{"name": "with-nps", "version": 2, "nps_weight": 20}``) or the path of a
   JSON file holding that object;
3. otherwise :data:`cs_domain.rules.DEFAULT_HEALTH_MODEL` (seed 004, exactly).

Scores are computed when the events are projected and every stored score names its
model and version, so a changed model applies to reports projected from then on;
``cs-ledger rebuild --view health`` rescores the whole history with it.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from cs_domain.errors import InvalidInput
from cs_domain.rules import DEFAULT_HEALTH_MODEL, HealthModel

ENV = "CS_LEDGER_HEALTH_MODEL"
DECIMAL_FIELDS = ("active_days_weight", "adoption_weight", "issue_penalty", "nps_weight",
                  "depth_weight", "breadth_weight", "risk_penalty", "yellow_from", "green_from")
TEXT_FIELDS = ("name", "description")


def model_from_mapping(config: dict[str, Any]) -> HealthModel:
    """A model from plain values (numbers may be JSON numbers or decimal strings).

    The band thresholds may be given flat or grouped as ``"bands": {"yellow_from": 30,
    "green_from": 50}`` (the shape `GET /health-models` shows)."""
    config = dict(config)
    bands = config.pop("bands", None)
    if bands is not None:
        if not isinstance(bands, dict) or set(bands) - {"yellow_from", "green_from"}:
            raise InvalidInput.one("bands", "must be an object with yellow_from and green_from")
        config.update(bands)
    known = set(DECIMAL_FIELDS) | set(TEXT_FIELDS) | {"version"}
    unknown = sorted(set(config) - known)
    if unknown:
        raise InvalidInput.one(unknown[0], f"is not a health model setting ({', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for name, value in config.items():
        if name in DECIMAL_FIELDS:
            try:
                values[name] = Decimal(str(value))
            except ArithmeticError:
                raise InvalidInput.one(name, "must be a number") from None
        else:
            values[name] = value
    return HealthModel(**values)


@lru_cache(maxsize=16)
def model_from_config(raw: str | None) -> HealthModel:
    """Parses the setting's value (inline JSON or a file path); None → the default model."""
    if raw is None or not raw.strip():
        return DEFAULT_HEALTH_MODEL
    text = raw.strip()
    if not text.startswith("{"):
        try:
            text = Path(text).expanduser().read_text(encoding="utf-8")
        except OSError as error:
            raise InvalidInput.one(ENV, f"cannot read the model file {raw!r}: {error}") from None
    try:
        config = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InvalidInput.one(ENV, f"is not a JSON object: {error}") from None
    if not isinstance(config, dict):
        raise InvalidInput.one(ENV, "must be a JSON object")
    return model_from_mapping(config)


@lru_cache(maxsize=1)
def _dotenv_value() -> str | None:
    return dotenv_values(".env").get(ENV) if Path(".env").is_file() else None


def configured_model() -> HealthModel:
    """The model the environment (or `.env`) names; cheap enough to call per event."""
    raw = os.environ.get(ENV)
    return model_from_config(raw if raw is not None else _dotenv_value())
