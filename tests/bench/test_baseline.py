"""The bare baselines of `make bench` measure the library on a copy of our log and
leave our log alone (a bare event in our table is unchained: it breaks `audit verify`
and holds the views back from the head)."""

from __future__ import annotations

from datetime import date

from bench.baseline import bare_saver, bare_settings, drop_bare, open_bare, scan_and_decode
from bench.config import Store

from cs_demo.generator import generate
from cs_domain.app import CustomerSuccess
from cs_store.audit import verify_log
from cs_store.settings import Settings


def test_the_bare_append_baseline_writes_to_a_copy_of_our_log(
    settings: Settings, app: CustomerSuccess
) -> None:
    generate(app, 3, 7, date(2026, 6, 1))
    head = app.max_position()
    store = Store("postgres" if settings.is_postgres else "sqlite", settings)
    bare = open_bare(app, store)
    try:
        assert bare.recorder.max_notification_id() == head  # as large as ours
        save = bare_saver(bare)
        positions = [save(300) for _ in range(5)]
        assert positions == list(range(head + 1, head + 6))
        stored = bare.recorder.select_notifications(head + 1, 10)
        assert all(250 <= len(n.state) <= 350 for n in stored)
    finally:
        bare.close()
        drop_bare(store)
    assert app.max_position() == head
    assert verify_log(app.recorder).ok  # type: ignore[arg-type]
    assert scan_and_decode(app)[0] == head
    if not settings.is_postgres:
        assert not list(bare_settings(settings).data_dir.glob("events.db*"))
