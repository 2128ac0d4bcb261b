"""Rows of the contacts, risks and tasks sheets (see api.sheets.rows for the pattern).

Risks and tasks have no natural key in the store, so the sheet's `key` makes their id
(`index_id("imported-risk", key)`): importing the same key again finds the same item.
Contacts are keyed by (customer, name). A status moves forward only (a risk closes, a
task starts and completes); what no event edits (a contact's role, a risk's title) must
stay as recorded, else the row is refused.
"""

from __future__ import annotations

from api.sheets.batch import Batch, RowError
from api.sheets.rows import CREATED, UNCHANGED, UPDATED, Values
from cs_domain.base import index_id
from cs_domain.risk import Risk
from cs_domain.task import Task

CONTACT_FIELDS = ("role", "level", "attitude", "email")


def contact_row(b: Batch, v: Values) -> str:
    customer = b.customer(b.customer_id(v["customer"]))
    name = v["name"].strip()
    same = [c for c in customer.contacts.values() if c["name"].casefold() == name.casefold()]
    wanted = {"role": v["role"], "level": v["level"], "attitude": v.get("attitude") or "neutral",
              "email": v.get("email")}
    if same:
        for field in CONTACT_FIELDS:
            if same[0][field] != wanted[field]:
                raise RowError(field, f"differs from the recorded contact ({same[0][field]}); "
                                      "an import does not edit contacts")
        return UNCHANGED
    customer.add_contact(actor=b.actor, name=name, **wanted)
    b.add(customer)
    return CREATED


def risk_row(b: Batch, v: Values) -> str:
    customer_id = b.customer_id(v["customer"])
    risk_id = index_id("imported-risk", v["key"].casefold())
    risk = b.find(Risk, risk_id)
    created = risk is None
    if risk is None:
        risk = Risk.raise_risk(
            actor=b.actor, customer_id=customer_id, title=v["title"], category=v["category"],
            severity=v["severity"], due_date=v["due_date"], raised_on=v["raised_on"],
            description=v.get("description"), risk_id=risk_id,
            owner_id=b.users.by_id[b.actor].id if b.actor in b.users.by_id else None)
    elif (risk.customer_id, risk.title) != (customer_id, v["title"]):
        raise RowError("title", "differs from the recorded risk; an import does not edit it")
    before = len(risk.pending_events)
    if v.get("status") == "closed" and risk.status != "closed":
        if v.get("closed_on") is None or v.get("resolution") is None:
            raise RowError("closed_on" if v.get("closed_on") is None else "resolution",
                           "is required for a closed risk")
        risk.close(actor=b.actor, resolution=v["resolution"], closed_on=v["closed_on"])
    b.add(risk)
    return CREATED if created else (UPDATED if len(risk.pending_events) > before else UNCHANGED)


def task_row(b: Batch, v: Values) -> str:
    customer_id = b.customer_id(v["customer"])
    assignee = b.users.user(v["assignee"], "assignee")
    task_id = index_id("imported-task", v["key"].casefold())
    task = b.find(Task, task_id)
    created = task is None
    if task is None:
        task = Task.create(actor=b.actor, customer_id=customer_id, title=v["title"],
                           assignee_id=assignee, due_date=v["due_date"], task_id=task_id)
    elif (task.customer_id, task.title) != (customer_id, v["title"]):
        raise RowError("title", "differs from the recorded task; an import does not edit it")
    before = len(task.pending_events)
    status = v.get("status") or "todo"
    if status in ("doing", "done") and task.status == "todo":
        task.start(actor=b.actor, started_on=v.get("done_on") or v["due_date"])
    if status == "done" and task.status == "doing":
        task.complete(actor=b.actor, completed_on=v.get("done_on") or v["due_date"])
    b.add(task)
    return CREATED if created else (UPDATED if len(task.pending_events) > before else UNCHANGED)
