"""The HTTP API (FastAPI) and the `cs-ledger` command line.

`api.app.create_app(settings)` builds the application; `api.cli` holds the CLI.
"""
