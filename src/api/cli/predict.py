"""`cs-ledger predict train [--until DATE] [--horizon-days N]`: train the churn model.

Catches the views up with the log, trains on the history up to `--until` (default: the
current UTC date, read here) with a time split, stores the fitted parameters beside the
read models and records the version with its holdout metrics and sha256 (docs/models.md).
Exit 1 (nothing recorded) when the history cannot train a model.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

from api.cli.base import app, console, err_console, load_settings
from api.cli.users import cli_actor
from cs_domain.churn_model import MAX_HORIZON, MIN_HORIZON
from cs_domain.errors import InvalidInput
from cs_runtime.bootstrap import open_runtime
from cs_runtime.churn import train_and_record

predict_app = typer.Typer(no_args_is_help=True, help="Churn prediction (docs/models.md).")
app.add_typer(predict_app, name="predict")


def parse_until(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("must be an ISO date, e.g. 2026-12-01",
                                 param_hint="--until") from None
    if not date(1900, 1, 1) <= day <= date(2199, 12, 31):
        raise typer.BadParameter("must be between 1900-01-01 and 2199-12-31",
                                 param_hint="--until")
    return day


@predict_app.command("train")
def train(
    until: Annotated[str | None, typer.Option(
        "--until", help="Train on the history up to this date (default: today, UTC).")] = None,
    horizon_days: Annotated[int, typer.Option(
        "--horizon-days", min=MIN_HORIZON, max=MAX_HORIZON,
        help="Predict a churn within this many days.")] = 30,
) -> None:
    """Train a churn model on a time split of the log and record it with its metrics."""
    day = parse_until(until)
    with open_runtime(load_settings(), projectors=True) as runtime:
        assert runtime.projector is not None
        runtime.projector.catch_up()
        try:
            recorded = train_and_record(runtime.app, runtime.models, actor=cli_actor(),
                                        until=day, horizon_days=horizon_days)
        except InvalidInput as error:
            err_console.print(f"[red]error[/red]: {error}", soft_wrap=True)
            raise typer.Exit(code=1) from None
        runtime.projector.catch_up()  # the views list the new version before we exit
    m = recorded.metrics
    console.print(f"churn model version {recorded.version} (sha256 {recorded.sha256}) recorded "
                  f"at position {recorded.position}", soft_wrap=True)
    console.print(f"  holdout AUC {m['auc']} (seed formula {m['seed_formula_auc']}), "
                  f"{m['holdout_examples']} examples, {m['holdout_positives']} positives; "
                  f"trained on {m['train_examples']} ({m['train_positives']} positives)",
                  soft_wrap=True)
