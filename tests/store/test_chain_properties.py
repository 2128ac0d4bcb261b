"""Properties of the hash chain itself (no database): any log verifies; any single
change to any stored field is found at exactly its position."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from cs_store import chain
from cs_store.chain import ChainLink, StoredRow, link_hash, merge_by_position, verify_pairs
from tests.profiles import examples

TIMES = [f"2025-01-0{d}T0{h}:00:00.000000Z" for d in range(1, 4) for h in range(10)]


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[ChainLink], list[StoredRow]]:
    """A correctly chained log; positions increasing with gaps (as on PostgreSQL)."""
    count = draw(st.integers(1, 12))
    gaps = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
    positions = [sum(gaps[: i + 1]) for i in range(count)]
    times = sorted(draw(st.lists(st.sampled_from(TIMES), min_size=count, max_size=count)))
    ids = draw(st.lists(st.uuids(), min_size=1, max_size=3))
    rows, links, prev = [], [], chain.GENESIS
    for position, recorded_at in zip(positions, times, strict=True):
        row = StoredRow(position, draw(st.sampled_from(ids)), draw(st.integers(1, 99)),
                        draw(st.sampled_from(["m:A.Created", "m:A.Changed", "m:B|C"])),
                        draw(st.binary(max_size=40)))
        prev = link_hash(prev, position, row.originator_id, row.version, row.topic, recorded_at,
                         row.state)
        rows.append(row)
        links.append(ChainLink(position, recorded_at, prev))
    return links, rows


def verify(links: list[ChainLink], rows: list[StoredRow]) -> chain.VerifyResult:
    return verify_pairs(merge_by_position(iter(links), iter(rows)))


@settings(max_examples=examples(100))
@given(log=logs())
def test_any_correctly_chained_log_verifies(log):
    links, rows = log
    result = verify(links, rows)
    assert result.ok and result.events_checked == len(rows)
    assert (result.head_position, result.head) == (links[-1].position, links[-1].hash)


def changed_rows(rows: list[StoredRow], k: int, data: st.DataObject) -> list[StoredRow]:
    row = rows[k]
    field = data.draw(st.sampled_from(["state", "topic", "version", "originator_id"]))
    if field == "state":
        state = bytearray(row.state or b"\x00")
        at = data.draw(st.integers(0, len(state) - 1))
        state[at] ^= data.draw(st.integers(1, 255))  # any change of any byte
        new = replace(row, state=bytes(state) if row.state else b"")
        if not row.state:
            new = replace(row, state=b"\x00")  # empty state: add a byte instead
    elif field == "topic":
        new = replace(row, topic=row.topic + data.draw(st.sampled_from(["x", "|", '"', "\n"])))
    elif field == "version":
        new = replace(row, version=row.version + data.draw(st.integers(1, 5)))
    else:
        new = replace(row, originator_id=UUID(int=UUID(str(row.originator_id)).int ^ 1))
    return [*rows[:k], new, *rows[k + 1:]]


@settings(max_examples=examples(150))
@given(log=logs(), data=st.data())
def test_any_change_to_a_stored_field_is_found_at_its_position(log, data):
    links, rows = log
    k = data.draw(st.integers(0, len(rows) - 1))
    result = verify(links, changed_rows(rows, k, data))
    assert (result.ok, result.first_bad_position, result.reason) == (
        False, rows[k].position, chain.HASH_MISMATCH)
    assert result.events_checked == k


@settings(max_examples=examples(100))
@given(log=logs(), data=st.data())
def test_removals_and_reorderings_are_found_at_the_first_affected_position(log, data):
    links, rows = log
    k = data.draw(st.integers(0, len(rows) - 1))
    kind = data.draw(st.sampled_from(["row", "link", "both", "swap"]))
    if kind == "row":
        expected = (rows[k].position, chain.MISSING_EVENT)
        rows = rows[:k] + rows[k + 1:]
    elif kind == "link":
        expected = (rows[k].position, chain.MISSING_LINK)
        links = links[:k] + links[k + 1:]
    elif kind == "both":
        if k == len(rows) - 1:
            return  # a cut-off tail needs an anchor: tested below
        expected = (rows[k + 1].position, chain.HASH_MISMATCH)
        rows, links = rows[:k] + rows[k + 1:], links[:k] + links[k + 1:]
    else:
        j = data.draw(st.integers(0, len(rows) - 1))
        a, b = rows[min(j, k)], rows[max(j, k)]
        if (a.originator_id, a.version, a.topic, a.state) == (b.originator_id, b.version,
                                                              b.topic, b.state):
            return  # swapping equal contents changes nothing
        swapped = {a.position: replace(b, position=a.position), b.position: replace(a, position=b.position)}
        rows = [swapped.get(r.position, r) for r in rows]
        expected = (a.position, chain.HASH_MISMATCH)
    result = verify(links, rows)
    assert (result.ok, result.first_bad_position, result.reason) == (False, *expected)


@settings(max_examples=examples(100))
@given(log=logs(), data=st.data())
def test_an_anchor_finds_any_cut_off_or_rewritten_tail(log, data):
    links, rows = log
    k = data.draw(st.integers(0, len(rows) - 1))
    anchor = chain.Anchor(links[k].position, links[k].hash)
    assert verify_pairs(merge_by_position(iter(links), iter(rows)), anchor).ok

    cut = data.draw(st.integers(0, k))  # keep the first `cut` events, drop the rest
    result = verify_pairs(merge_by_position(iter(links[:cut]), iter(rows[:cut])), anchor)
    assert (result.ok, result.reason) == (False, chain.TRUNCATED)
    assert result.first_bad_position == (links[cut - 1].position + 1 if cut else 1)


@given(prefix=st.text(max_size=8), moved=st.text(min_size=1, max_size=8), rest=st.binary(max_size=8))
def test_bytes_cannot_move_from_one_field_to_another(prefix, moved, rest):
    """Joining the fields with a separator let `recorded_at + '|' + state` be split two
    ways with one hash; the JSON header makes every split hash differently."""
    uid = UUID(int=7)
    as_time = link_hash(chain.GENESIS, 1, uid, 1, "topic", f"{prefix}|{moved}", rest)
    as_state = link_hash(chain.GENESIS, 1, uid, 1, "topic", prefix, f"{moved}|".encode() + rest)
    as_topic = link_hash(chain.GENESIS, 1, uid, 1, f"topic|{prefix}", moved, rest)
    assert len({as_time, as_state, as_topic}) == 3
