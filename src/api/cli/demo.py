"""`cs-ledger demo`: load the deterministic demo dataset, and show the demo users' tokens.

The demo loads only into an empty store (its users and contract numbers would
clash with other data); ``--if-empty`` turns a non-empty store into a no-op, which
is what `make run` uses. The demo tokens derive from the seed, so they can be
shown again at any time with ``--tokens``: they are for demos only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.base import app, console, err_console, load_settings
from cs_demo.generator import generate
from cs_demo.people import DemoUser, find_demo_users
from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput
from cs_runtime.bootstrap import open_application, open_runtime
from cs_runtime.churn import train_and_record
from cs_store.first_start import ensure_default_playbooks
from cs_store.settings import Settings

DEFAULT_CUSTOMERS = 300
DEFAULT_SEED = 42


def parse_today(value: str | None) -> date:
    if value is None:
        return date.today()  # the CLI is the one place that reads the clock
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("must be an ISO date, e.g. 2026-11-30", param_hint="--today") \
            from None


def print_tokens(users: list[DemoUser], seed: int) -> None:
    if not users:
        console.print(f"no demo users of seed {seed} in this store")
        return
    console.print("[bold]Demo users[/bold] (tokens derive from the seed: for demos only; "
                  "send them as `Authorization: Bearer <token>`):")
    width = max(len(u.token) for u in users)
    for user in users:
        # Plain print: rich would wrap or style the tokens.
        print(f"  {user.role:<8} {user.token:<{width}}  {user.name}")


def load(application: CustomerSuccess, customers: int, seed: int, today: date) -> None:
    columns = (TextColumn("[bold]demo"), BarColumn(), MofNCompleteColumn(),
               TextColumn("customers · {task.fields[events]:,} events"), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task("demo", total=customers, events=0)

        def progress(done: int, events: int) -> None:
            bar.update(task, completed=done, events=events)

        summary = generate(application, customers, seed, today, progress)
    console.print(f"loaded {summary.customers:,} customers, {summary.events:,} events in "
                  f"{summary.seconds:.1f} s ({summary.events_per_second:,.0f} events/s), "
                  f"as of {today.isoformat()}")


@app.command()
def demo(
    customers: Annotated[int, typer.Option(min=1, help="How many customers (one CSM per 250).")
                         ] = DEFAULT_CUSTOMERS,
    seed: Annotated[int, typer.Option(help="Same seed and --today, same data.")] = DEFAULT_SEED,
    today: Annotated[str | None, typer.Option(
        help="The business date the history runs up to (ISO date; default: today).")] = None,
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Do nothing (exit 0) when the store already holds events.")] = False,
    tokens: Annotated[bool, typer.Option(
        "--tokens", help="Only print the demo users' tokens of this seed.")] = False,
    train_model: Annotated[bool, typer.Option(
        "--train-model", help="After loading, train the churn model on the demo (as of "
                              "--today), so GET /predictions/churn answers at once.")] = False,
) -> None:
    """Load a realistic, deterministic demo dataset into an empty store; print the users' tokens."""
    as_of = parse_today(today)
    settings = load_settings()
    loaded = False
    with open_application(settings) as application:
        if not tokens:
            existing = application.max_position()
            if existing and not if_empty:
                err_console.print(
                    f"[red]error[/red]: the store already holds {existing:,} events; the demo "
                    "loads only into an empty store (point CS_LEDGER_DATA_DIR or "
                    "CS_LEDGER_DATABASE_URL at an empty one, or pass --if-empty to skip)")
                raise typer.Exit(code=1)
            if existing:
                console.print(f"the store already holds {existing:,} events: demo not loaded")
            else:
                load(application, customers, seed, as_of)
                loaded = True
            ensure_default_playbooks(application, settings)
        print_tokens(find_demo_users(application, seed), seed)
    if loaded and train_model:
        train_demo_model(settings, as_of)


def train_demo_model(settings: Settings, as_of: date) -> None:
    """The churn model of docs/models.md, trained on the demo just loaded (views first)."""
    with open_runtime(settings, projectors=True) as runtime:
        assert runtime.projector is not None
        runtime.projector.catch_up()
        try:
            recorded = train_and_record(runtime.app, runtime.models, actor="demo",
                                        until=as_of, horizon_days=30)
        except InvalidInput as error:  # a tiny demo may not have churns to learn from
            console.print(f"churn model not trained: {error}", soft_wrap=True)
            return
        runtime.projector.catch_up()
    console.print(f"churn model version {recorded.version} trained on the demo (holdout AUC "
                  f"{recorded.metrics['auc']})", soft_wrap=True)
