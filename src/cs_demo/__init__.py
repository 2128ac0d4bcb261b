"""The demo dataset: a realistic, deterministic customer-success history.

:func:`cs_demo.generator.generate` writes it through the aggregates' public
methods (so every rule validates) in batched transactions; the `cs-ledger demo`
command (``api/cli/demo.py``) drives it with a progress bar. Nothing here reads
the clock: ``today`` is a parameter, and ids and tokens derive from the seed.
"""
