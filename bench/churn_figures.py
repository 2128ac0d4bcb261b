"""The figures of docs/models.md: the churn model's holdout AUC on the demo dataset beside
the seed formula's AUC on the same customer-dates.

    python -m bench.churn_figures [--customers 1000] [--seed 42] [--today 2026-12-07]

Loads the demo into a temporary SQLite store (`cs-ledger demo`), catches the views up,
trains with `cs-ledger predict train`'s code (time split, `until` = today) and prints a
Markdown table. Deterministic: the same arguments give the same figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from cs_runtime.bootstrap import open_runtime
from cs_runtime.churn import train_and_record
from cs_store.settings import Settings
from projections.views.churn import load_model_file


def figures(customers: int, seed: int, today: date, horizon_days: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="churn-figures-") as tmp:
        env = {**os.environ, "CS_LEDGER_DATA_DIR": tmp}
        env.pop("CS_LEDGER_DATABASE_URL", None)
        cli = Path(sys.executable).with_name("cs-ledger")
        subprocess.run([str(cli), "demo", "--customers", str(customers), "--seed", str(seed),
                        "--today", today.isoformat()], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        settings = Settings(data_dir=Path(tmp))
        with open_runtime(settings, projectors=True) as runtime:
            assert runtime.projector is not None
            runtime.projector.catch_up()
            recorded = train_and_record(runtime.app, runtime.models, actor="bench",
                                        until=today, horizon_days=horizon_days)
            with runtime.models.read() as conn:
                model = load_model_file(conn, recorded.sha256)
    coefs = sorted(zip(model.features, model.coefs, strict=True), key=lambda c: -abs(c[1]))
    return {**recorded.metrics, "coefficients": coefs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 7))
    parser.add_argument("--horizon-days", type=int, default=30)
    args = parser.parse_args()
    m = figures(args.customers, args.seed, args.today, args.horizon_days)
    print("| customers | horizon | history from | train examples (positives) | holdout from | "
          "holdout examples (positives) | model AUC | seed formula AUC | precision = recall "
          "at k | Brier |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.customers} | {args.horizon_days} | {m['history_from']} | "
          f"{m['train_examples']} "
          f"({m['train_positives']}) | {m['holdout_from']} | {m['holdout_examples']} "
          f"({m['holdout_positives']}) | {m['auc']} | {m['seed_formula_auc']} | "
          f"{m['precision_at_k']} (k {m['k']}) | {m['brier']} |")
    print("\n| feature | coefficient (per standard deviation) |\n|---|---|")
    for name, coef in m["coefficients"]:
        print(f"| `{name}` | {coef:+.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
