"""The domain names list items `todos[1].assignee_id`; the API says `todos.1.assignee_id`.
One function reconciles the two, and every refusal's fields pass through it."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from api.problems import api_field, domain_problem
from cs_domain.errors import FieldError, InvalidInput

NAMES = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
SEGMENTS = st.lists(st.one_of(NAMES, st.integers(min_value=0, max_value=10_000)), min_size=1,
                    max_size=5).filter(lambda s: isinstance(s[0], str))


def domain_style(segments: list[str | int]) -> str:
    out = ""
    for s in segments:
        out += f"[{s}]" if isinstance(s, int) else (f".{s}" if out else s)
    return out


@given(SEGMENTS)
def test_domain_names_become_dotted_paths(segments: list[str | int]):
    assert api_field(domain_style(segments)) == ".".join(str(s) for s in segments)


@given(st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,30}", fullmatch=True))
def test_names_without_indexes_are_unchanged(name: str):
    assert api_field(name) == name


def test_a_refusal_names_fields_in_the_api_convention():
    error = InvalidInput([FieldError("todos[1].assignee_id", "user 42 does not exist"),
                          FieldError("stages[0].weight", "must be a number greater than 0")])
    body = json.loads(bytes(domain_problem(error, "/api/v1/x").body))
    assert [e["field"] for e in body["errors"]] == ["todos.1.assignee_id", "stages.0.weight"]
    assert body["detail"] == ("todos.1.assignee_id: user 42 does not exist; "
                              "stages.0.weight: must be a number greater than 0")
