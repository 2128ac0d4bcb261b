"""`cs-ledger users add NAME --role ROLE`: create a user and print its API token once."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from api.cli.base import app, console, err_console, load_settings
from cs_domain.errors import DomainError
from cs_domain.user import Role
from cs_store.factory import build_application

users_app = typer.Typer(no_args_is_help=True, help="Users and their API tokens.")
app.add_typer(users_app, name="users")


def cli_actor() -> str:
    """Events written from the command line name the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's display name.")],
    role: Annotated[Role, typer.Option("--role", help="One of the six roles.")],
) -> None:
    """Create a user; the token is printed once and only its hash is stored."""
    try:
        application = build_application(load_settings())
    except Exception as error:  # a bad URL, an unreachable or unreadable store
        err_console.print(f"[red]error[/red]: cannot open the event store: {error}")
        raise typer.Exit(code=1) from None
    try:
        result, token = application.create_user(actor=cli_actor(), name=name, role=role.value)
    except DomainError as error:
        err_console.print(f"[red]error[/red]: {error}")
        raise typer.Exit(code=1) from None
    finally:
        application.close()
    console.print(f"created {role.value} {name.strip()} with id {result.id}")
    console.print("API token (shown once, keep it safe):")
    # Plain print: rich would wrap or style the token.
    print(token)
