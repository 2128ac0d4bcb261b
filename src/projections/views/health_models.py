"""The health view's record of the health models: every version defined, and the active one.

Tables (owned by the `health` view, so the view scores each report with the model active
at that point of the log): `health_models` (one row per name and version: weights, bands,
description) and `health_model_active` (one row: the active name and version; none while
the built-in seed-004 model is active). `model_at` reads a version as known at a position,
for query-time scoring (`?model=NAME:VERSION`) and backtests.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import Integer, String, Text, select

from cs_domain.errors import NotFound
from cs_domain.health_model import WEIGHTS, HealthModelRegistry, model_fields
from cs_domain.rules import DEFAULT_HEALTH_MODEL, HealthModel
from projections.shapes import ExactDecimal, Position, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, ViewTx, on

MODELS = VersionedTable(
    "health", "health_models",
    keys=[("name", String(64)), ("version", Integer())],
    columns=[*((w, DecimalText()) for w in WEIGHTS), ("yellow_from", DecimalText()),
             ("green_from", DecimalText()), ("description", Text())],
)
ACTIVE = VersionedTable(
    "health", "health_model_active",
    keys=[("slot", Integer())], columns=[("name", String(64)), ("version", Integer())],
)
SLOT = 1
BUILTIN = (DEFAULT_HEALTH_MODEL.name, DEFAULT_HEALTH_MODEL.version)
# Each weight's name on the wire (the API's request takes the same names).
WIRE_NAMES = {"active_days_weight": "active_days", "adoption_weight": "adoption",
              "issue_penalty": "open_issues", "nps_weight": "nps", "depth_weight": "depth",
              "breadth_weight": "breadth", "risk_penalty": "open_risks"}


class ModelVersion(TypedDict):
    name: str
    version: int
    active: Annotated[bool, Field(
        description="The version the health view scores new reports with.")]
    weights: Annotated[dict[str, ExactDecimal], Field(
        description="By wire name: active_days, adoption, open_issues, nps, depth, breadth, "
                    "open_risks.")]
    bands: Annotated[dict[str, ExactDecimal], Field(description="yellow_from, green_from.")]
    description: str


class ModelVersions(TypedDict):
    items: list[ModelVersion]
    position: Position


def model_of(name: str, version: int, row: Any) -> HealthModel:
    fields = {k: row[k] if isinstance(row, dict) else getattr(row, k)
              for k in (*WEIGHTS, "yellow_from", "green_from", "description")}
    return HealthModel(name=name, version=version, **fields)


def parse_ref(text: str) -> tuple[str, int] | None:
    """`NAME:VERSION` → (name, version); None when malformed."""
    name, sep, version = text.rpartition(":")
    if not sep or not name or not version.isdigit() or len(version) > 9:
        return None
    return name, int(version)


def model_at(r: Reader, name: str, version: int) -> HealthModel:
    """A model version as known at the reader's position (NotFound if not defined then)."""
    if (name, version) == BUILTIN:
        return DEFAULT_HEALTH_MODEL
    t = r.table(MODELS)
    row = r.conn.execute(select(t).where(t.c.name == name, t.c.version == version,
                                         r.visible(t))).first()
    if row is None:
        raise NotFound("health model", f"{name}:{version}")
    return model_of(name, version, row)


def list_models(r: Reader) -> ModelVersions:
    """`{items: [{name, version, active, weights, bands, description}], position}`: every
    version by name and version, weights by their wire names."""
    t, a = r.table(MODELS), r.table(ACTIVE)
    rows = r.conn.execute(select(t).where(r.visible(t))).all()
    active_row = r.conn.execute(select(a).where(r.visible(a))).first()
    active = BUILTIN if active_row is None else (active_row.name, active_row.version)
    models = [DEFAULT_HEALTH_MODEL, *(model_of(row.name, row.version, row) for row in rows)]
    items: list[ModelVersion] = []
    for m in sorted(models, key=lambda m: (m.name, m.version)):
        fields = model_fields(m)
        items.append({
            "name": m.name, "version": m.version, "active": (m.name, m.version) == active,
            "weights": {WIRE_NAMES[w]: fields[w] for w in WEIGHTS},
            "bands": {"yellow_from": m.yellow_from, "green_from": m.green_from},
            "description": m.description,
        })
    return {"items": items, "position": r.position}


class HealthModelHandlers:
    """Mixed into the health view: keeps the models and the active pointer."""

    @on(HealthModelRegistry.Defined)
    def model_defined(self, tx: ViewTx, e: HealthModelRegistry.Defined) -> None:
        tx[MODELS].put((e.name, e.version), {
            # A version defined before the risk penalty existed has none: 0.
            **{w: getattr(e, w, Decimal(0)) for w in WEIGHTS}, "yellow_from": e.yellow_from,
            "green_from": e.green_from, "description": e.description})

    @on(HealthModelRegistry.Activated)
    def model_activated(self, tx: ViewTx, e: HealthModelRegistry.Activated) -> None:
        tx[ACTIVE].put(SLOT, {"name": e.name, "version": e.version})
        tx.memo.pop("health_model", None)  # reports after this in the batch use the new one

    def recorded_active(self, tx: ViewTx) -> HealthModel | None:
        """The model activated in the log so far; None: none activated."""
        pointer = tx[ACTIVE].get(SLOT)
        if pointer is None:
            return None
        if (pointer["name"], pointer["version"]) == BUILTIN:
            return DEFAULT_HEALTH_MODEL
        row = tx[MODELS].get((pointer["name"], pointer["version"]))
        if row is None:
            return None
        model = model_of(pointer["name"], pointer["version"], row)
        # One instance per definition: the view's score memo is kept while the model is
        # the same object, so every transaction must not hand it a new one.
        known: dict[HealthModel, HealthModel] = self.__dict__.setdefault("_known_models", {})
        return known.setdefault(model, model)
