"""Query parameters shared by the list reads: cursor pages, page size, the customer and owner
filters (`CustomerOf` when required), and repeatable enum filters as the views take them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Annotated
from uuid import UUID

from fastapi import Query

from projections.compose import MAX_LIMIT

Cursor = Annotated[str | None, Query(max_length=2000,
                                     description="`next_cursor` of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
CustomerOf = Annotated[UUID, Query(description="The customer.")]
CustomerId = Annotated[UUID | None, Query(description="Only this customer's.")]
OwnerId = Annotated[UUID | None, Query(description="Only the customers this CSM owns.")]


def values(items: Sequence[Enum] | None) -> list[str] | None:
    """Repeatable enum filters as the views take them: their values, or None (no filter)."""
    return None if items is None else [str(i.value) for i in items]
