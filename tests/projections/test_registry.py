"""The registry's views never share a table: each view's rows and rebuilds are its own."""

from __future__ import annotations

from collections import Counter

from projections.registry import VIEWS


def test_table_names_are_unique_across_views() -> None:
    names = Counter(spec.name for view in VIEWS for spec in view.tables)
    assert [n for n, c in names.items() if c > 1] == []


def test_view_names_are_unique() -> None:
    names = Counter(view.name for view in VIEWS)
    assert [n for n, c in names.items() if c > 1] == []
