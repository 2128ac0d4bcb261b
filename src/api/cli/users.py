"""`cs-ledger users add|list|deactivate|rotate-token`: users and their API tokens.

Tokens are printed once (only their hash is stored). `rotate-token` issues a new token and
revokes the old one in the same commit; `deactivate` stops every token of the user.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar
from uuid import UUID

import typer
from rich.table import Table

from api.cli.base import app, console, err_console, load_settings
from cs_domain.app import CustomerSuccess
from cs_domain.errors import DomainError
from cs_domain.user import Role
from cs_runtime.bootstrap import open_application, open_runtime
from projections.registry import select_views
from projections.views.users import list_users

users_app = typer.Typer(no_args_is_help=True, help="Users and their API tokens.")
app.add_typer(users_app, name="users")
T = TypeVar("T")
MAX_REASON = 500


def cli_actor() -> str:
    """Events written from the command line name the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error[/red]: {message}", soft_wrap=True, highlight=False)
    return typer.Exit(code=1)


@contextmanager
def _application() -> Iterator[CustomerSuccess]:
    settings = load_settings()
    try:
        opened = open_application(settings)
        application = opened.__enter__()
    except Exception as error:  # an unreachable or unreadable store
        raise _fail(f"cannot open the event store: {error}") from None
    try:
        yield application
    finally:
        opened.__exit__(None, None, None)


def _command(run: Callable[[CustomerSuccess], T]) -> T:
    with _application() as application:
        try:
            return run(application)
        except DomainError as error:
            raise _fail(str(error)) from None


def _print_token(token: str) -> None:
    console.print("API token (shown once, keep it safe):")
    print(token)  # plain print: rich would wrap or style the token


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's display name.")],
    role: Annotated[Role, typer.Option("--role", help="One of the six roles.")],
) -> None:
    """Create a user; the token is printed once and only its hash is stored."""
    result, token = _command(lambda a: a.create_user(actor=cli_actor(), name=name,
                                                     role=role.value))
    console.print(f"created {role.value} {name.strip()} with id {result.id}")
    _print_token(token)


@users_app.command("list")
def list_command() -> None:
    """Every user: id, name, role, active (from the users view, brought up to date first)."""
    settings = load_settings()
    with open_runtime(settings, projectors=True, views=select_views(["users"])) as runtime:
        assert runtime.projector is not None
        runtime.projector.catch_up()
        with runtime.models.read() as conn:
            users = list_users(conn)["items"]
    table = Table("id", "name", "role", "active")
    for user in users:
        table.add_row(str(user["id"]), user["name"], user["role"],
                      "yes" if user["active"] else "no")
    console.print(table)
    console.print(f"{len(users)} user(s)")


@users_app.command("deactivate")
def deactivate(
    user_id: Annotated[UUID, typer.Argument(help="The user's id (see `users list`).")],
    reason: Annotated[str | None, typer.Option(
        help=f"Why (recorded on the event; at most {MAX_REASON} characters).")] = None,
) -> None:
    """Deactivate a user: none of its tokens works any more."""
    if reason is not None and len(reason) > MAX_REASON:
        raise typer.BadParameter(f"at most {MAX_REASON} characters", param_hint="--reason")
    _command(lambda a: a.deactivate_user(actor=cli_actor(), user_id=user_id, reason=reason))
    console.print(f"deactivated {user_id}")


@users_app.command("rotate-token")
def rotate_token(
    user_id: Annotated[UUID, typer.Argument(help="The user's id (see `users list`).")],
) -> None:
    """Issue a new token (printed once); the old one stops working."""
    _result, token = _command(lambda a: a.rotate_user_token(actor=cli_actor(), user_id=user_id))
    console.print(f"rotated the token of {user_id}")
    _print_token(token)
