"""docs/api.md's "adding an endpoint" example is the real route, word for word (no drift)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_endpoint_example_is_the_code() -> None:
    guide = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = guide.split("## For developers: adding an endpoint", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    code = (ROOT / "src" / "api" / "routers" / "risks.py").read_text(encoding="utf-8")
    assert example.strip() and example in code
