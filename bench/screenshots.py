"""Screenshots of each board for docs/ui.md, from a small demo.

    python -m bench.screenshots docs/img      (or `make screenshots`)

Loads `cs-ledger demo --customers 40` into a temporary data dir, serves it on a free
127.0.0.1 port, signs in as the demo CSM in Debian's chromium (Playwright) and saves a
PNG of each board (the first 840 px of a 1200 px wide window; they stay small).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.boards import serving
from cs_store.settings import Settings

CHROMIUM = os.environ.get("CS_LEDGER_CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1200, 840
# Grayscale antialiasing: fewer colours, PNGs a third smaller.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-lcd-text", "--font-render-hinting=none"]


def demo(data: Path) -> dict[str, str]:
    """Loads the demo; the demo users' tokens by role (the first of each)."""
    run = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "demo",
                          "--customers", "40"], capture_output=True, text=True, check=True,
                         env={**os.environ, "CS_LEDGER_DATA_DIR": str(data), "COLUMNS": "200"})
    tokens: dict[str, str] = {}
    for role, token in re.findall(r"^\s+([a-z]+)\s+(csl_\S+)", run.stdout, re.M):
        tokens.setdefault(role, token)
    return tokens


def compact(path: Path) -> None:
    """Re-saves the PNG with a 64-colour palette (text and flat colours survive it)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def first_link(tab: Any, prefix: str) -> str:
    href = tab.get_attribute(f"main a[href^='{prefix}']", "href")
    return str(href).split("?")[0]


def shoot(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cs-shots-") as data:
        tokens = demo(Path(data))
        settings = Settings(data_dir=Path(data), database_url=None)
        with serving(settings) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=FLAGS)
            tab = browser.new_page(base_url=base, viewport={"width": WIDTH, "height": HEIGHT},
                                   locale="en-US")
            tab.goto("/app/login")
            tab.screenshot(path=str(out / "login.png"))
            saved.append(out / "login.png")
            compact(out / "login.png")
            tab.fill("input[name=token]", tokens["csm"])
            tab.click("button[type=submit]")
            tab.wait_for_url("**/app/")
            tab.goto("/app/renewals?period=quarter")
            customer = first_link(tab, "/app/customers/")
            tab.goto("/app/risks")
            risk = first_link(tab, "/app/risks/")
            pages = {"workbench": "/app/", "customers": "/app/customers",
                     "customer360": customer, "renewals": "/app/renewals?period=quarter",
                     "risks": "/app/risks", "risk": risk, "lifecycle": "/app/lifecycle",
                     "team": "/app/team", "practice": "/app/practice",
                     "playbooks": "/app/playbooks",
                     "as_of": "/app/customers?as_of=" + past_moment(base, tokens["csm"]),
                     "renewals_zh": "/app/renewals?period=quarter&lang=zh"}
            for name, path in pages.items():
                tab.goto(path)
                tab.screenshot(path=str(out / f"{name}.png"))
                saved.append(out / f"{name}.png")
                compact(out / f"{name}.png")
            browser.close()
    return saved


def past_moment(base: str, token: str) -> str:
    """The moment the demo's load was half done (when its middle event was recorded)."""
    headers = {"Authorization": f"Bearer {token}"}
    head = httpx.get(f"{base}/api/v1/events?limit=1", headers=headers, timeout=60).json()["head"]
    middle = httpx.get(f"{base}/api/v1/events", params={"after": head // 2, "limit": 1},
                       headers=headers, timeout=60).json()["events"][0]
    return quote(str(middle["recorded_at"]))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img")
    for path in shoot(out):
        print(f"{path} {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
