"""The query functions the API calls: customer list, customer 360, users, as-of by time."""

from __future__ import annotations

import time
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_store.factory import chain_recorder
from projections import registry
from projections.compose import InvalidQuery, Sections, customer_360, customer_list, no_sections
from projections.db import ReadModels
from projections.log import current_versions, newest_steps, trail_of
from projections.rebuild import rebuild
from projections.runner import Projector
from projections.view import ViewNotReady
from projections.views.users import get_user, list_users
from tests.projections import scenario as s

TODAY = date(2025, 6, 1)


def test_customer_list_filters_and_cursor_pages(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    chen, wang = s.user(app), s.user(app, "Wang Fang")
    names = ["Zeta Med", "alpha clinic", "Alpha Dental", "Beta_Labs", "北京诊所", "beta 50%"]
    ids = {n: s.customer(app, chen if i % 2 == 0 else wang, n,
                         tier="strategic" if i < 2 else "basic")
           for i, n in enumerate(names)}
    s.contract(app, ids["Zeta Med"], "Z1", "100", "EUR", date(2025, 6, 30))
    s.contract(app, ids["Beta_Labs"], "B1", "100", "EUR", date(2025, 9, 30))
    s.contract(app, ids["alpha clinic"], "A1", "100", "EUR", date(2025, 6, 15), status="draft")
    projector.catch_up()

    def listed(**kw: object) -> list[str]:
        with models.read() as conn:
            return [c["name"] for c in customer_list(conn, today=TODAY, **kw)["items"]]  # type: ignore[arg-type]

    assert listed() == ["alpha clinic", "Alpha Dental", "beta 50%", "Beta_Labs", "Zeta Med",
                        "北京诊所"]
    assert listed(q="ALPHA") == ["alpha clinic", "Alpha Dental"]
    assert listed(q="_") == ["Beta_Labs"]  # LIKE wildcards are matched literally
    assert listed(q="50%") == ["beta 50%"]
    assert listed(q="北京") == ["北京诊所"]
    assert listed(owner_id=wang) == ["alpha clinic", "beta 50%", "Beta_Labs"]
    assert listed(tier="strategic") == ["alpha clinic", "Zeta Med"]
    assert listed(stage="onboarding") == ["Beta_Labs", "Zeta Med"]
    # signed/active contracts ending within 30 days of today (the draft does not count)
    assert listed(expiring_within_days=30) == ["Zeta Med"]
    assert listed(expiring_within_days=200) == ["Beta_Labs", "Zeta Med"]

    pages, cursor = [], None
    while True:
        with models.read() as conn:
            page = customer_list(conn, today=TODAY, limit=4, cursor=cursor)
        pages.append([c["name"] for c in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [["alpha clinic", "Alpha Dental", "beta 50%", "Beta_Labs"],
                     ["Zeta Med", "北京诊所"]]
    with models.read() as conn:
        item = customer_list(conn, today=TODAY, q="zeta")["items"][0]
        with pytest.raises(InvalidQuery) as bad_cursor:
            customer_list(conn, today=TODAY, cursor="not-a-cursor")
        with pytest.raises(InvalidQuery) as bad_band:
            customer_list(conn, today=TODAY, health_band="purple")
        with pytest.raises(InvalidQuery) as no_view:
            customer_list(conn, today=TODAY, filters={"no_such_filter": "x"})
    assert item["owner_name"] == "Chen Jing" and item["tier"] == "strategic"
    assert (bad_cursor.value.field, bad_band.value.field, no_view.value.field) == (
        "cursor", "health_band", "no_such_filter")


def test_the_360s_sections_are_the_registered_views_with_the_declared_shapes() -> None:
    # customer_360 fills its sections from the registry's untyped hooks: each registered
    # section is declared in Sections with the type its function returns, and each
    # declared one is registered (no_sections gives every key, typed, for the others).
    declared = typing.get_type_hints(Sections)
    registered = {key: typing.get_type_hints(fn)["return"]
                  for view in registry.VIEWS for key, fn in view.customer_sections.items()}
    assert registered == declared
    assert set(no_sections()) == set(declared)


def test_customer_360_now_and_as_of_a_past_moment(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    csm = s.user(app)
    cust = s.customer(app, csm, "Acme", industry="healthcare")
    c1 = s.contract(app, cust, "C-1", "1200.50", "EUR", date(2025, 12, 31),
                    start=date(2025, 1, 1))
    app.add_contact(actor="t", customer_id=cust, name="Dr. Li", role="director", level="1",
                    attitude="champion")
    projector.catch_up()
    moment = datetime.now(UTC)
    time.sleep(0.01)
    s.renew(app, c1, date(2025, 11, 1), "1500", date(2026, 12, 31))
    app.update_customer(actor="t", customer_id=cust, name="Acme Health")
    projector.catch_up()

    with models.read() as conn:
        now = customer_360(conn, cust, TODAY)
        at = chain_recorder(app).position_at(moment)
        then = customer_360(conn, cust, TODAY, at=at)
        missing = customer_360(conn, csm, TODAY)
    assert now is not None and then is not None and missing is None
    assert now["name"] == "Acme Health" and then["name"] == "Acme"
    assert now["position"] == app.max_position() and then["position"] == at
    # renewed on 2025-11-01: mature (cs_domain.lifecycle, by system:lifecycle)
    assert now["stage"] == "mature" and now["stage_since"] == date(2025, 11, 1)
    assert now["industry"] == "healthcare" and now["owner_name"] == "Chen Jing"
    assert now["contacts_count"] == 1 and now["contacts"][0]["name"] == "Dr. Li"
    assert [(k["number"], k["status"], k["amount"], k["days_to_end"]) for k in now["contracts"]] == [
        ("C-1-R1", "signed", Decimal("1500"), 578), ("C-1", "renewed", Decimal("1200.50"), 213)]
    assert now["contracts"][0]["progress"] is None  # no implementation project
    assert [(k["number"], k["status"]) for k in then["contracts"]] == [("C-1", "active")]
    for key, empty in (("health", None), ("risks", []), ("plans", []), ("open_tasks", []),
                       ("complaints", [])):
        assert now[key] == empty
    assert now["requirements"]["open"] == [] and not any(now["requirements"]["by_status"].values())


def test_users_view_and_per_aggregate_trail(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    admin = s.user(app, "Root", "admin")
    csm = s.user(app, "Chen Jing")
    app.change_user_role(actor="t", user_id=csm, role="manager")
    app.deactivate_user(actor="t", user_id=admin, reason="left")
    projector.catch_up()
    with models.read() as conn:
        users = list_users(conn)
        chen = get_user(conn, csm)
        chen_before = get_user(conn, csm, at=3)
    assert [(u["name"], u["role"], u["active"]) for u in users["items"]] == [
        ("Chen Jing", "manager", True), ("Root", "admin", False)]
    assert chen is not None and chen["role"] == "manager"
    assert chen_before is not None and chen_before["role"] == "csm"

    cust = s.customer(app, csm, "Acme")
    app.update_customer(actor="t", customer_id=cust, tier="strategic")
    trail = chain_recorder(app).select_timed_by_originator(cust)
    assert [t.version for t in trail] == [1, 2]
    assert [t.topic.rsplit(".", 1)[-1] for t in trail] == ["Registered", "ProfileUpdated"]
    assert trail[0].position < trail[1].position == app.max_position()
    assert trail[0].recorded_at <= trail[1].recorded_at
    assert chain_recorder(app).select_timed_by_originator(csm)[0].topic.endswith("User.Created")
    steps = trail_of(app, cust)
    assert [(st["type"], st["actor"], st["position"]) for st in steps] == [
        ("Customer.Registered", "tester", trail[0].position),
        ("Customer.ProfileUpdated", "t", trail[1].position)]
    assert steps[1]["data"]["tier"] == "strategic" and steps[1]["data"]["name"] is None


def test_newest_steps_and_current_versions_of_several_aggregates(app: CustomerSuccess) -> None:
    """A board timeline in one query: the newest steps of several aggregates together, cut
    at a position, decoded as trail_of decodes them; their versions in one more query."""
    csm = s.user(app)
    a, b = s.customer(app, csm, "Acme"), s.customer(app, csm, "Beta")
    app.update_customer(actor="t", customer_id=a, tier="strategic")
    middle = app.max_position()
    app.update_customer(actor="t", customer_id=b, tier="strategic")
    app.update_customer(actor="t", customer_id=a, tier="basic")
    everything = sorted(trail_of(app, a) + trail_of(app, b), key=lambda st: -st["position"])
    newest = newest_steps(app, [a, b, csm], limit=3)
    assert [(st["originator_id"], st["position"], st["version"]) for st in newest] == [
        (a, everything[0]["position"], 3), (b, everything[1]["position"], 2),
        (a, middle, 2)]
    assert [{k: v for k, v in st.items() if k != "originator_id"} for st in newest[:2]] == \
        everything[:2]
    cut = newest_steps(app, [a, b], limit=10, upto=middle)
    assert [st["position"] for st in cut] == [st["position"] for st in everything
                                              if st["position"] <= middle]
    unknown = uuid4()
    assert current_versions(app, [a, b, unknown, a]) == {a: 3, b: 2}
    assert newest_steps(app, [], limit=5) == [] and current_versions(app, []) == {}


def test_old_event_versions_are_upcast_before_projection(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    """A v1 Registered (written before support managers existed) still projects."""
    csm = s.user(app)
    customer = Customer.register(actor="t", name="Legacy Co", tier="basic", owner_id=csm)
    (event,) = customer.collect_events()
    stored = app.mapper.to_stored_event(event)
    state = app.mapper.transcoder.decode(stored.state)
    del state["class_version"], state["support_manager_id"]
    old = type(stored)(stored.originator_id, stored.originator_version, stored.topic,
                       app.mapper.transcoder.encode(state))
    app.recorder.insert_events([old])
    projector.catch_up()
    assert not projector.failures()
    with models.read() as conn:
        (item,) = customer_list(conn, today=TODAY, q="legacy")["items"]
    assert (item["id"], item["support_manager_id"], item["owner_name"]) == (
        customer.id, None, "Chen Jing")


def test_reading_before_any_projector_ran_says_so(
        app: CustomerSuccess, fresh_models: Callable[[], ReadModels]) -> None:
    # Read models nobody prepared (the `settings` store is a clone of a first-started one).
    with pytest.raises(ViewNotReady), fresh_models().read() as conn:
        customer_list(conn, today=TODAY)


def test_prepared_reads_follow_a_rebuild_to_its_new_tables(
    app: CustomerSuccess, models: ReadModels
) -> None:
    """Hot reads build their statements once per live generation: after rebuilds (the
    first generation's tables dropped) the 360 reads the new tables, now and as of."""
    csm = s.user(app)
    customer = s.customer(app, csm, "Acme")
    s.contract(app, customer, "C-1", "100", "EUR", date(2025, 12, 31))
    Projector(app, models).catch_up()
    first = app.max_position()
    with models.read() as conn:
        before = customer_360(conn, customer, date(2025, 6, 1))
        before_as_of = customer_360(conn, customer, date(2025, 6, 1), first)
    rebuild(app, models)
    rebuild(app, models)  # drops the generation the first reads used
    with models.read() as conn:
        assert customer_360(conn, customer, date(2025, 6, 1)) == before
        assert customer_360(conn, customer, date(2025, 6, 1), first) == before_as_of
        assert customer_360(conn, customer, date(2025, 6, 1), 1) is None
