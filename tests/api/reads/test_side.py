"""The read side inside the API process: projectors started and stopped with the app,
read-your-writes woken by them (not by polling), and a process that only reads."""

from __future__ import annotations

import threading
import time

from api.reads.side import ReadSide
from cs_store.settings import Settings
from tests.api.reads.conftest import ReadApi, started_with


def projector_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "projector" and t.is_alive()]


def test_projectors_run_with_the_app_and_stop_with_it(api_settings: Settings):
    before = len(projector_threads())
    with started_with(api_settings, run_projectors=True) as client:
        side = client.app.state.container.views  # type: ignore[attr-defined]
        assert isinstance(side, ReadSide) and side.projector is not None
        assert len(projector_threads()) == before + 1
    assert len(projector_threads()) == before
    with started_with(api_settings, run_projectors=False) as client:
        side = client.app.state.container.views  # type: ignore[attr-defined]
        assert isinstance(side, ReadSide) and side.projector is None
        assert len(projector_threads()) == before


def test_read_your_writes_is_woken_by_the_projector_not_by_polling(api_settings: Settings):
    # Polls every 60 s: only the in-process wake-ups can make these reads fast.
    slow = api_settings.model_copy(update={"poll_interval": 60.0})
    with started_with(slow, run_projectors=True) as client:
        api = ReadApi(client)
        owner = api.user("csm")
        api.read("/customers")  # the projector has caught up once
        for i in range(5):
            written = api.ok("POST", "/customers", {"name": f"C{i}", "tier": "basic",
                                                    "owner_id": str(owner.id)})
            started = time.monotonic()
            body = api.read("/customers", min_position=written["position"])
            assert time.monotonic() - started < 2.0
            assert len(body["items"]) == i + 1


def test_a_reading_process_sees_what_another_process_projected(api_settings: Settings):
    # One app runs the projectors, another only reads the same views.
    with started_with(api_settings, run_projectors=True) as writer_client, \
            started_with(api_settings, run_projectors=False) as reader_client:
        writer, reader = ReadApi(writer_client), ReadApi(reader_client)
        owner = writer.user("csm")
        written = writer.ok("POST", "/customers", {"name": "Acme", "tier": "basic",
                                                   "owner_id": str(owner.id)})
        body = reader.read("/customers", min_position=written["position"])
        assert [c["name"] for c in body["items"]] == ["Acme"]
        assert body["position"] >= written["position"]
