"""The common parameters of every view read: `as_of`, `min_position`, `today`.

A read endpoint takes a :data:`ViewReadDep` and calls :meth:`ViewRead.run` with the
views it needs and its query function. `run` turns `as_of` into a knowledge position,
waits (bounded) for `min_position`, runs the query in one snapshot and puts the position
the result reflects in the `X-View-Position` header (the body carries it as `position`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Response
from pydantic import BeforeValidator
from sqlalchemy import Connection

from api import clock
from api.container import Container
from api.deps import ContainerDep, ReaderDep
from api.problems import ApiProblem
from api.reads.side import RETRY_LAGGING, ReadSide, ViewUnavailable
from api.schemas.common import IsoDate
from cs_domain.app import CustomerSuccess
from cs_domain.errors import NotFound
from cs_store.factory import chain_recorder
from projections import registry
from projections.compose import InvalidQuery
from projections.view import View

POSITION_HEADER = "X-View-Position"
MAX_POSITION = 2**63 - 1
EARLIEST_YEAR = 1000
# "+02:00" sent unencoded in a query string arrives as " 02:00": read it as meant.
_SPACE_OFFSET = re.compile(r"(T[0-9:.,]+) ([0-9]{2}(:?[0-9]{2})?)$")


def _as_of_text(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value
    else:
        if not isinstance(value, str) or "T" not in value.upper():
            raise ValueError("must be an ISO 8601 date-time with a UTC offset, "
                             "such as 2025-06-30T18:00:00Z or 2025-06-30T18:00:00+08:00")
        text = _SPACE_OFFSET.sub(r"\1+\2", value.strip())
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("must be an ISO 8601 date-time with a UTC offset, "
                             "such as 2025-06-30T18:00:00Z") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("needs a UTC offset (Z or +08:00): a moment without one is ambiguous")
    return moment


AsOf = Annotated[datetime | None, BeforeValidator(lambda v: None if v is None else _as_of_text(v)),
                 Query(description="Knowledge time: the view as it stood at this moment "
                                   "(ISO 8601 with a UTC offset; encode `+` as `%2B`).",
                       examples=["2025-06-30T18:00:00Z"])]
MinPosition = Annotated[int | None, Query(
    ge=0, le=MAX_POSITION,
    description="Read-your-writes: wait (bounded) until the view has applied this log "
                "position (the `position` a write returned); 503 + Retry-After if not in time.")]
Today = Annotated[IsoDate | None, Query(
    description="The business date the read is relative to (days to end, overdue, due "
                "windows). Default: the current UTC date. Pass it for reproducible reads.")]


class InvalidParameter(ApiProblem):
    """422 naming a query parameter, in the same shape as request validation."""

    def __init__(self, field: str, message: str):
        super().__init__(422, "validation-error", f"{field}: {message}",
                         errors=[{"field": field, "message": message}])


def utc_today() -> date:
    # The clock is read at the HTTP edge (api.clock); view queries take `today` as a parameter.
    return clock.today()


@dataclass
class ViewRead:
    side: ReadSide
    at: int | None
    min_position: int | None
    today: date
    response: Response
    today_given: bool = False
    at_moment: datetime | None = None  # `as_of` as given (None: a current read)

    def run(self, views: Iterable[str], fn: Callable[[Connection], Any]) -> Any:
        """Waits for the needed position on `views`, then runs `fn` in one snapshot.

        `fn` returns a dict with `position` (or None for an unknown id); the header
        `X-View-Position` gets the position.
        """
        needed = max(self.min_position or 0, self.at or 0)
        self.side.wait(needed, views)
        try:
            result = self.side.query(fn)
        except InvalidQuery as error:
            raise InvalidParameter(error.field, str(error).partition(": ")[2]) from None
        if isinstance(result, dict) and "position" in result:
            self.response.headers[POSITION_HEADER] = str(result["position"])
        return result

    def one(self, views: Iterable[str], fn: Callable[[Connection], Any], kind: str,
            item_id: object) -> Any:
        """Like :meth:`run` for one item: None (unknown, as of the read) is a 404."""
        result = self.run(views, fn)
        if result is None:
            raise NotFound(kind, item_id)
        return result


def knowledge_position(container: Container, moment: datetime) -> int:
    """The last log position recorded at or before `moment` (0: before the first event)."""
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        # A moment at the edge of the calendar that cannot be put in UTC.
        raise InvalidParameter("as_of", "is outside the supported range") from None
    if utc.year < EARLIEST_YEAR:
        return 0  # long before any store existed (and outside the chain's fixed-width text)
    return chain_recorder(container.app).position_at(utc)


def view_read(container: ContainerDep, _: ReaderDep, response: Response,
              as_of: AsOf = None, min_position: MinPosition = None,
              today: Today = None) -> ViewRead:
    side = container.views
    if not isinstance(side, ReadSide):
        raise ViewUnavailable("view-not-ready", "this API process serves no views", 60)
    at = None if as_of is None else knowledge_position(container, as_of)
    return ViewRead(side, at, min_position, today or utc_today(), response,
                    today_given=today is not None, at_moment=as_of)


ViewReadDep = Annotated[ViewRead, Depends(view_read)]


def _has_hooks(view: View) -> bool:
    return bool(view.customer_sections or view.customer_filters) or \
        type(view).contract_progress is not View.contract_progress


def progress_views() -> list[str]:
    """The views that provide contract progress (delivery projects)."""
    return [v.name for v in registry.VIEWS
            if type(v).contract_progress is not View.contract_progress]


def composite_views() -> list[str]:
    """The views the customer list and 360 combine: theirs plus every view hooked in."""
    names = {"users", "customers", "contracts"}
    names.update(v.name for v in registry.VIEWS if _has_hooks(v))
    return sorted(names)


def views_named(*names: str) -> list[str]:
    """These views, keeping only those installed (a view still to come is not waited on)."""
    known = {v.name for v in registry.VIEWS}
    return [n for n in names if n in known]


def log_position(app: CustomerSuccess, read: ViewRead) -> int:
    """The position a read of the log itself (a trail, not a view) reflects: the head, or
    the as-of position. Such a read is always current: `as_of` keeps the steps known at that
    moment, and `min_position` only has to be a position the log has reached (503 if not)."""
    head = app.max_position()
    if read.min_position is not None and read.min_position > head:
        raise ViewUnavailable(
            "view-lagging", f"position {read.min_position} is beyond the last event in the "
                            f"log ({head}); send the position a write returned",
            RETRY_LAGGING, view_position=head, head=head)
    return head if read.at is None else min(read.at, head)
