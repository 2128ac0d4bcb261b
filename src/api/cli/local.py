"""The API in this process, for commands that print what an endpoint answers.

`cs-ledger export`, `report quarterly` and `audit evidence` ask the same endpoints a
client would (same filters, `as_of`, formats), through an in-process client holding a
one-off admin token: no server, no network, and no second implementation. The
projectors catch the views up first, so the answer reflects the whole log.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from api.cli.base import err_console, load_settings


class LocalApi:
    def __init__(self, client: Any, token: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, params: dict[str, Any] | list[tuple[str, str]]) -> Any:
        if isinstance(params, dict):
            params = [(k, str(v)) for k, v in params.items() if v is not None]
        head = self.client.app.state.container.app.max_position()
        params = [*params, ("min_position", str(head))]
        response = self.client.get("/api/v1" + path, params=params, headers=self.headers)
        if response.status_code != 200:
            err_console.print(f"[red]error[/red]: {response.status_code}: "
                              f"{response.json().get('detail', response.text)}", soft_wrap=True)
            raise typer.Exit(code=1)
        return response


@contextmanager
def local_api() -> Iterator[LocalApi]:
    from api.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    token = "local-" + secrets.token_urlsafe(24)
    settings = load_settings().model_copy(update={"admin_token": token,
                                                  "min_position_timeout": 600.0})
    with TestClient(create_app(settings, run_projectors=True)) as client:
        yield LocalApi(client, token)
