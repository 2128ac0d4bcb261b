"""`cs-ledger serve`: run the HTTP API with uvicorn, and (unless told not to) the projectors
and the playbook automation: one application, one projector set, one automation, all
built by cs_runtime.bootstrap inside the API's lifespan."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.base import app, console, load_settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    no_projectors: Annotated[bool, typer.Option(
        "--no-projectors", help="Run neither the projectors nor the automation in this process "
                                "(other processes run `cs-ledger project --follow` and "
                                "`cs-ledger automate --follow --no-projectors`).")] = False,
    no_automation: Annotated[bool, typer.Option(
        "--no-automation", help="Do not run the playbook automation (process manager and "
                                "periodic tick) in this process.")] = False,
    tick_interval: Annotated[float, typer.Option(
        min=1.0, help="Seconds between two ticks of the time-driven rules.")] = 60.0,
) -> None:
    """Serve the API and its docs (http://HOST:PORT/docs); logs are JSON lines on stderr."""
    import uvicorn

    from api.app import create_app
    from api.ops.logs import configure_logging

    settings = load_settings()
    # The automation decides on views, so it runs where the projectors do.
    automation = not (no_projectors or no_automation)
    api = create_app(settings, run_projectors=not no_projectors, run_automation=automation,
                     tick_interval=tick_interval)
    parts = ["projectors" if not no_projectors else "", "automation" if automation else ""]
    console.print(f"CS Ledger API on http://{host}:{port}/docs "
                  f"({'PostgreSQL' if settings.is_postgres else 'SQLite in ' + str(settings.data_dir)}"
                  f"; running: API {' '.join(p for p in parts if p)})".rstrip())
    configure_logging()
    uvicorn.run(api, host=host, port=port, log_config=None, access_log=False)
