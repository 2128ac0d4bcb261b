"""Business-date ranges of view reads: `from` and `to` (ISO dates, both inclusive)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from api.reads.query import InvalidParameter
from api.schemas.common import IsoDate

MAX_RANGE_DAYS = 366 * 20

From = Annotated[IsoDate, Query(alias="from", description="First day of the range (inclusive).")]
To = Annotated[IsoDate, Query(description="Last day of the range (inclusive).")]
OptionalFrom = Annotated[IsoDate | None, Query(
    alias="from", description="First day of the range (inclusive); open if left out.")]
OptionalTo = Annotated[IsoDate | None, Query(
    description="Last day of the range (inclusive); open if left out.")]


def check_range(from_: date | None, to: date | None) -> None:
    """`to` on or after `from`, and at most 20 years apart (a 422 on `to` otherwise)."""
    if from_ is None or to is None:
        return
    if to < from_:
        raise InvalidParameter("to", "must be on or after `from`")
    if (to - from_).days > MAX_RANGE_DAYS:
        raise InvalidParameter("to", "the range may span at most 20 years")
