"""The composition root: what a CS Ledger process runs, built in one place.

Layering: ``api`` → ``cs_runtime`` → ``automation`` → ``projections`` → ``cs_store`` →
``cs_domain``. Every entry point (the API, each CLI command, the tests' fixtures) builds
its application, read models, projectors and automation with :mod:`cs_runtime.bootstrap`;
:mod:`cs_runtime.lag` measures how far the views and the automation are behind the log
(readiness and metrics).
"""
