"""docs/projections.md lists every registered view and each of its tables (no drift)."""

from __future__ import annotations

import re
from pathlib import Path

from projections.registry import VIEWS

DOC = Path(__file__).resolve().parents[2] / "docs" / "projections.md"


def _views_table() -> dict[str, str]:
    """The rows of the "The views" table whose first cell names a view: name → tables cell."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## The views", 1)[1].split("| view | tables |", 1)[1]
    table = section.split("\n\n", 1)[0]  # the table ends at the first blank line
    rows: dict[str, str] = {}
    for line in table.splitlines():
        match = re.match(r"\|\s*`([a-z_]+)`\s*\|([^|]*)\|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_every_registered_view_is_documented_with_its_tables() -> None:
    rows = _views_table()
    registered = {view.name for view in VIEWS}
    assert sorted(registered - rows.keys()) == [], "views missing from docs/projections.md"
    assert sorted(rows.keys() - registered) == [], "docs/projections.md lists views that do not exist"
    for view in VIEWS:
        documented = set(re.findall(r"`rm_([a-z_]+)_gN`", rows[view.name]))
        assert documented == {spec.name for spec in view.tables}, view.name
