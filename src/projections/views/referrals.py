"""Referrals view (转介绍, seed 001 §二.7): each referral's referring customer, the CSM
credited, the prospect, the incentive policy applied, its step with the date of every step
and the deal; `GET /referrals` and the referral metric (counts per status, win rate, per
CSM)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, String, Uuid, select

from cs_domain.referral import (
    INCENTIVE_TEXT_MAX,
    NAME_MAX,
    NOTE_MAX,
    POLICY_MAX,
    Referral,
    ReferralStatus,
)
from projections.query import one_row, ratio, status_rows
from projections.shapes import Money, Position, Ratio, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on

R = ReferralStatus

REFERRALS = VersionedTable(
    "referrals", "referrals",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("credited_owner_id", Uuid()),
        ("prospect_name", String(NAME_MAX)), ("prospect_contact", String(NAME_MAX)),
        ("note", String(NOTE_MAX)), ("incentive_policy", String(POLICY_MAX)),
        ("incentive_amount", DecimalText()), ("incentive_currency", String(3)),
        ("incentive_text", String(INCENTIVE_TEXT_MAX)), ("status", String(16)),
        ("introduced_by", String(200)), ("introduced_on", Date()), ("contacted_on", Date()),
        ("proposed_on", Date()), ("won_on", Date()), ("lost_on", Date()),
        ("deal_amount", DecimalText()), ("deal_currency", String(3)),
        ("lost_reason", String(NOTE_MAX)),
    ],
    indexes=[("customer_id",), ("credited_owner_id",), ("introduced_on", "id")],
    current_indexes=[("customer_id",)],
)


class ReferralsView(View):
    name = "referrals"
    tables = (REFERRALS,)

    @on(Referral.Introduced)
    def introduced(self, tx: ViewTx, e: Referral.Introduced) -> None:
        row: dict[str, Any] = {c: None for c in REFERRALS.data_names}
        row.update(customer_id=e.customer_id, credited_owner_id=e.credited_owner_id,
                   prospect_name=e.prospect_name, prospect_contact=e.prospect_contact,
                   note=e.note, incentive_policy=e.incentive_policy,
                   incentive_amount=e.incentive_amount, incentive_currency=e.incentive_currency,
                   incentive_text=e.incentive_text, status=R.INTRODUCED.value,
                   introduced_by=e.actor, introduced_on=e.on)
        tx[REFERRALS].put(e.originator_id, row)

    @on(Referral.Contacted)
    def contacted(self, tx: ViewTx, e: Referral.Contacted) -> None:
        tx[REFERRALS].update(e.originator_id, status=R.CONTACTED.value, contacted_on=e.on)

    @on(Referral.Proposed)
    def proposed(self, tx: ViewTx, e: Referral.Proposed) -> None:
        tx[REFERRALS].update(e.originator_id, status=R.PROPOSAL.value, proposed_on=e.on)

    @on(Referral.Won)
    def won(self, tx: ViewTx, e: Referral.Won) -> None:
        tx[REFERRALS].update(e.originator_id, status=R.WON.value, won_on=e.on,
                             deal_amount=e.deal_amount, deal_currency=e.currency)

    @on(Referral.Lost)
    def lost(self, tx: ViewTx, e: Referral.Lost) -> None:
        tx[REFERRALS].update(e.originator_id, status=R.LOST.value, lost_on=e.on,
                             lost_reason=e.reason)


class ReferralItem(TypedDict):
    """A referral with the prospect, the incentive and every step's business date."""

    id: UUID
    customer_id: Annotated[UUID, Field(description="The referring customer.")]
    credited_owner_id: Annotated[UUID, Field(description="The CSM credited: the customer's "
                                                         "owner at the introduction.")]
    prospect_name: str
    prospect_contact: str | None
    note: str | None
    incentive_policy: str
    incentive_amount: Money | None
    incentive_currency: str | None
    incentive_text: str | None
    status: Annotated[str, Field(description="introduced | contacted | proposal | won | lost")]
    introduced_by: str
    introduced_on: date
    contacted_on: date | None
    proposed_on: date | None
    won_on: date | None
    lost_on: date | None
    deal_amount: Money | None
    deal_currency: str | None
    lost_reason: str | None


class ReferralOne(ReferralItem):
    position: Position


class ReferralPage(TypedDict):
    items: list[ReferralItem]
    next_cursor: str | None
    position: int


class ReferralFigures(TypedDict):
    referrals: Annotated[int, Field(description="Introduced in [from, to].")]
    won: int
    lost: int
    win_rate: Annotated[Ratio | None, Field(description="won / (won + lost); null when none "
                                                        "closed.")]


class OwnerReferrals(ReferralFigures):
    owner_id: Annotated[UUID, Field(description="The credited CSM.")]


# `from` is a keyword: the functional form.
_Period = TypedDict("_Period", {"from": date, "to": date})


class ReferralMetrics(ReferralFigures, _Period):
    by_status: dict[str, int]
    by_owner: list[OwnerReferrals]
    position: int


def _item(x: Any) -> ReferralItem:
    return ReferralItem(
        id=x.id, customer_id=x.customer_id, credited_owner_id=x.credited_owner_id,
        prospect_name=x.prospect_name, prospect_contact=x.prospect_contact, note=x.note,
        incentive_policy=x.incentive_policy, incentive_amount=x.incentive_amount,
        incentive_currency=x.incentive_currency, incentive_text=x.incentive_text,
        status=x.status, introduced_by=x.introduced_by, introduced_on=x.introduced_on,
        contacted_on=x.contacted_on, proposed_on=x.proposed_on, won_on=x.won_on,
        lost_on=x.lost_on, deal_amount=x.deal_amount, deal_currency=x.deal_currency,
        lost_reason=x.lost_reason)


def get_referral(conn: Connection, referral_id: UUID, at: int | None = None
                 ) -> ReferralOne | None:
    """One referral with every step's date, plus `position`; None if unknown."""
    row, position = one_row(conn, REFERRALS, referral_id, at)
    return None if row is None else ReferralOne(**_item(row), position=position)


def referral_list(
    conn: Connection, *, customer_id: UUID | None = None, owner_id: UUID | None = None,
    status: str | Collection[str] | None = None, cursor: str | None = None, limit: int = 50,
    at: int | None = None,
) -> ReferralPage:
    """Referrals by introduction date (then id): `{items, next_cursor, position}`;
    `customer_id` the referring customer, `owner_id` the credited CSM."""
    rows, next_cursor, position = status_rows(
        conn, REFERRALS, day="introduced_on", known=(s.value for s in ReferralStatus),
        customer_id=customer_id, status=status, cursor=cursor, limit=limit, at=at,
        where=None if owner_id is None else (lambda t: t.c.credited_owner_id == owner_id))
    return {"items": [_item(x) for x in rows], "next_cursor": next_cursor, "position": position}


def _figures(statuses: list[str]) -> ReferralFigures:
    counts = Counter(statuses)
    won, lost = counts[R.WON.value], counts[R.LOST.value]
    return {"referrals": len(statuses), "won": won, "lost": lost,
            "win_rate": ratio(won, won + lost)}


def referral_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                     ) -> ReferralMetrics:
    """The referrals introduced in [from_, to] (both inclusive): `referrals`, `by_status`,
    `won`, `lost`, `win_rate` = won / (won + lost) (None when none closed), and `by_owner`
    (the credited CSM) with the same figures."""
    r = Reader(conn, at)
    t = r.table(REFERRALS)
    rows = conn.execute(select(t.c.status, t.c.credited_owner_id).where(
        r.visible(t), t.c.introduced_on.between(from_, to))).all()
    counts = Counter(x.status for x in rows)
    owners: dict[UUID, list[str]] = defaultdict(list)
    for x in rows:
        owners[x.credited_owner_id].append(x.status)
    return {
        "from": from_, "to": to, **_figures([x.status for x in rows]),
        "by_status": {s.value: counts[s.value] for s in ReferralStatus},
        "by_owner": [OwnerReferrals(owner_id=o, **_figures(owners[o]))
                     for o in sorted(owners, key=str)],
        "position": r.position,
    }
