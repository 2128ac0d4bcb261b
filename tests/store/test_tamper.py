"""Tamper evidence: changes made straight in the database (SQLite and PostgreSQL)
are found by `verify_log`, which names the first bad position and why."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import date

import pytest

from cs_domain.app import CustomerSuccess
from cs_store import chain
from cs_store.audit import verify_log
from cs_store.chain import Anchor
from cs_store.factory import chain_recorder
from tests.store.conftest import RawLog


def populate(app: CustomerSuccess, customers: int = 3) -> int:
    """A small realistic log; returns its head position."""
    owner, _token = app.create_user(actor="system", name="Chen Jing", role="csm")
    for n in range(customers):
        customer = app.register_customer(
            actor=str(owner.id), name=f"Customer {n}", tier="growth", owner_id=owner.id
        )
        app.move_customer_stage(actor=str(owner.id), customer_id=customer.id,
                                stage="onboarding", effective_on=date(2025, 1, 1 + n))
    return app.max_position()


def test_a_clean_log_verifies_with_its_count_and_head(app: CustomerSuccess, raw: RawLog):
    empty = verify_log(chain_recorder(app))
    assert (empty.ok, empty.events_checked, empty.head, empty.head_position) == (
        True, 0, chain.GENESIS, 0)

    head_position = populate(app)
    result = verify_log(chain_recorder(app), batch=3)  # several batches

    assert result.ok and result.reason is None and result.first_bad_position is None
    assert result.events_checked == head_position == len(raw.positions())
    assert (result.head_position, result.head) == raw.last_link()
    assert raw.link_positions() == raw.positions() == list(range(1, head_position + 1))


def alter_state(raw: RawLog, k: int) -> None:
    """A plausible forgery: same JSON shape, another actor."""
    state = json.loads(raw.state(k))
    assert state["actor"] != "mallory"
    state["actor"] = "mallory"
    raw.set_state(k, json.dumps(state, separators=(",", ":")).encode())


def flip_one_bit(raw: RawLog, k: int) -> None:
    state = bytearray(raw.state(k))
    state[len(state) // 2] ^= 0x01
    raw.set_state(k, bytes(state))


def delete_event_and_link(raw: RawLog, k: int) -> None:
    raw.delete_event(k)
    raw.delete_link(k)


def recorded_earlier(raw: RawLog, k: int) -> None:
    raw.set_recorded_at(k, "2000-01-01T00:00:00.000000Z")


def recorded_later(raw: RawLog, k: int) -> None:
    # Still before the next link's time, so only the hash can tell.
    raw.set_recorded_at(k, raw.recorded_at(k - 1))


TAMPERING: list[tuple[str, Callable[[RawLog, int], None], int, str]] = [
    # name, what is done to position k, first bad position (offset from k), reason
    ("state altered", alter_state, 0, chain.HASH_MISMATCH),
    ("one bit of a state flipped", flip_one_bit, 0, chain.HASH_MISMATCH),
    ("topic altered", lambda raw, k: raw.set_column(k, "topic", "cs_domain.user:User.Deactivated"),
     0, chain.HASH_MISMATCH),
    ("version altered", lambda raw, k: raw.set_column(k, "originator_version", 99), 0,
     chain.HASH_MISMATCH),
    ("event deleted", lambda raw, k: raw.delete_event(k), 0, chain.MISSING_EVENT),
    ("event and its link deleted", delete_event_and_link, 1, chain.HASH_MISMATCH),
    ("states of two events swapped", lambda raw, k: raw.swap_states(k, k + 2), 0,
     chain.HASH_MISMATCH),
    ("neighbouring states swapped", lambda raw, k: raw.swap_states(k, k + 1), 0,
     chain.HASH_MISMATCH),
    ("recorded_at moved back", recorded_earlier, 0, chain.TIME_GOES_BACK),
    ("recorded_at altered", recorded_later, 0, chain.HASH_MISMATCH),
    ("recorded_at malformed", lambda raw, k: raw.set_recorded_at(k, "yesterday"), 0,
     chain.BAD_TIME),
    ("chain link deleted", lambda raw, k: raw.delete_link(k), 0, chain.MISSING_LINK),
]


@pytest.mark.parametrize(("tamper", "first_bad", "reason"),
                         [pytest.param(t, o, r, id=name) for name, t, o, r in TAMPERING])
def test_tampering_is_found_at_the_first_bad_position(
    app: CustomerSuccess, raw: RawLog, tamper: Callable[[RawLog, int], None], first_bad: int,
    reason: str,
):
    head_position = populate(app)
    k = 4
    assert verify_log(chain_recorder(app)).ok

    tamper(raw, k)
    result = verify_log(chain_recorder(app), batch=2)

    assert not result.ok
    assert (result.first_bad_position, result.reason) == (k + first_bad, reason)
    assert result.events_checked == k - 1
    assert head_position > k + 2


def test_tampering_with_the_first_and_the_last_event_is_found(app: CustomerSuccess, raw: RawLog):
    head_position = populate(app)
    alter_state(raw, head_position)
    assert (verify_log(chain_recorder(app)).first_bad_position) == head_position
    flip_one_bit(raw, 1)
    result = verify_log(chain_recorder(app))
    assert (result.first_bad_position, result.events_checked) == (1, 0)


def test_a_cut_off_tail_is_found_only_against_an_anchor(app: CustomerSuccess, raw: RawLog):
    populate(app)
    before = verify_log(chain_recorder(app))
    anchor = Anchor(before.head_position, before.head)
    assert verify_log(chain_recorder(app), anchor=anchor).ok

    delete_event_and_link(raw, before.head_position)

    # Without an anchor a shorter log is a consistent log...
    assert verify_log(chain_recorder(app)).ok
    # ...but it no longer reaches the anchored head.
    result = verify_log(chain_recorder(app), anchor=anchor)
    assert (result.ok, result.first_bad_position, result.reason) == (
        False, before.head_position, chain.TRUNCATED)


def test_a_rewritten_tail_is_found_against_an_anchor(app: CustomerSuccess, raw: RawLog):
    populate(app)
    before = verify_log(chain_recorder(app))
    anchor = Anchor(before.head_position, before.head)

    # Remove the last event and its link, then let the system write on: the new
    # links chain correctly onto what is left.
    delete_event_and_link(raw, before.head_position)
    app.create_user(actor="system", name="Mallory", role="csm")

    assert verify_log(chain_recorder(app)).ok
    result = verify_log(chain_recorder(app), anchor=anchor)
    assert (result.ok, result.first_bad_position, result.reason) == (
        False, before.head_position, chain.ANCHOR_MISMATCH)


def test_an_anchor_from_a_clean_run_keeps_verifying_as_the_log_grows(app: CustomerSuccess):
    populate(app, customers=1)
    first = verify_log(chain_recorder(app))
    populate(app, customers=2)
    later = verify_log(chain_recorder(app), anchor=Anchor(first.head_position, first.head))
    assert later.ok and later.head_position > first.head_position


@pytest.mark.parametrize("text", ["", "12", "x:" + "a" * 64, "0:" + "a" * 64, "3:abc",
                                  "3:" + "g" * 64])
def test_malformed_anchors_are_refused(text: str):
    with pytest.raises(ValueError, match="anchor"):
        Anchor.parse(text)


def test_anchor_text_round_trips():
    anchor = Anchor.parse(" 7:" + "AB" * 32)
    assert str(anchor) == "7:" + "ab" * 32


def test_writes_committed_during_verification_are_left_for_the_next_run(app: CustomerSuccess):
    head_position = populate(app)
    pairs = chain_recorder(app).iter_chain_and_events(batch=2)
    first = next(pairs)  # verification has started and read its first batch

    populate(app, customers=2)  # another writer commits meanwhile

    result = chain.verify_pairs(itertools.chain([first], pairs))
    assert result.ok and (result.events_checked, result.head_position) == (
        head_position, head_position)
    assert verify_log(chain_recorder(app)).events_checked == app.max_position() > head_position
