"""`cs-ledger serve`: run the HTTP API (and, unless told not to, the projectors) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.base import app, console, load_settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    no_projectors: Annotated[bool, typer.Option(
        "--no-projectors", help="Do not run the projectors in this process (another process "
                                "runs `cs-ledger project --follow`).")] = False,
    no_automation: Annotated[bool, typer.Option(
        "--no-automation", help="Do not run the playbook automation (process manager and "
                                "periodic tick) in this process.")] = False,
    tick_interval: Annotated[float, typer.Option(
        min=1.0, help="Seconds between two ticks of the time-driven rules.")] = 60.0,
) -> None:
    """Serve the API and its docs (http://HOST:PORT/docs)."""
    import uvicorn

    from api.app import create_app

    settings = load_settings()
    api = create_app(settings, run_projectors=not no_projectors)
    console.print(f"CS Ledger API on http://{host}:{port}/docs "
                  f"({'PostgreSQL' if settings.is_postgres else 'SQLite in ' + str(settings.data_dir)})")
    # The automation decides on views, so it runs where the projectors do.
    runtime = None
    if not (no_projectors or no_automation):
        from automation.runtime import start_automation

        runtime = start_automation(settings, tick_interval=tick_interval)
    try:
        uvicorn.run(api, host=host, port=port, log_level="info")
    finally:
        if runtime is not None:
            runtime.stop()
