"""docs/events.md is generated from the code and must not drift from it."""

from __future__ import annotations

import difflib
import textwrap
import uuid
from pathlib import Path

import pytest

from cs_store.catalogue import event_classes, fields_of, render

EVENTS_MD = Path(__file__).resolve().parents[2] / "docs" / "events.md"
REGENERATE = ("Regenerate it with `make docs` "
              "(or `PYTHONPATH=src python -m cs_store.catalogue > docs/events.md`) and commit it.")


def test_docs_events_md_matches_the_code():
    expected = render()
    if not EVENTS_MD.exists():
        pytest.fail(f"docs/events.md is missing. {REGENERATE}", pytrace=False)
    actual = EVENTS_MD.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            actual.splitlines(keepends=True), expected.splitlines(keepends=True),
            "docs/events.md", "generated from the code", n=1))
        pytest.fail(f"docs/events.md is out of date. {REGENERATE}\n\n{diff[:4000]}", pytrace=False)


def test_every_event_names_its_actor_first():
    for aggregate, event in event_classes():
        fields = fields_of(event)
        assert fields and fields[0] == ("actor", "str"), (
            f"{aggregate.__name__}.{event.__name__}: the first field must be `actor: str`")


def test_aggregates_in_modules_added_later_are_catalogued(tmp_path: Path, monkeypatch):
    """The catalogue imports every module of the package: nothing to register by hand."""
    package = f"later_{uuid.uuid4().hex[:8]}"
    (tmp_path / package / "nested").mkdir(parents=True)
    (tmp_path / package / "__init__.py").write_text('"""A domain package."""\n')
    (tmp_path / package / "nested" / "__init__.py").write_text("")
    (tmp_path / package / "nested" / "widget.py").write_text(textwrap.dedent('''
        """Widgets: made, then polished."""
        from __future__ import annotations
        from datetime import date
        from decimal import Decimal
        from uuid import UUID
        from cs_domain.base import LedgerAggregate

        class Widget(LedgerAggregate):
            class Made(LedgerAggregate.Created):
                actor: str
                owner_id: UUID
                price: Decimal | None

            class Polished(LedgerAggregate.Event):
                """Polished on a given day; the shine is graded 1 to 5."""
                actor: str
                polished_on: date
                grades: list[int]
                class_version = 2

                @staticmethod
                def upcast_v1_v2(state):
                    state["grades"] = []

                def apply(self, w):
                    w.grades = self.grades

            def __init__(self, actor, owner_id, price):
                self.owner_id = owner_id
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))

    text = render(package)

    assert "| [Widget](#widget) |" in text
    assert f"`{package}.nested.widget:Widget` — Widgets: made, then polished." in text
    made = text[text.index("### Widget.Made"):text.index("### Widget.Polished")]
    assert "creates the aggregate" in made
    assert "| `owner_id` | `UUID` |" in made and "| `price` | `Decimal \\| None` |" in made
    polished = text[text.index("### Widget.Polished"):]
    assert "class_version 2" in polished and "upcasters v1→v2" in polished
    assert "Polished on a given day; the shine is graded 1 to 5." in polished
    assert "| `polished_on` | `date` |" in polished and "| `grades` | `list[int]` |" in polished
    assert "Widget.Event" not in text and "Widget.Created" not in text
    # ...and nothing from cs_domain leaks into another package's catalogue.
    assert "Customer" not in text
