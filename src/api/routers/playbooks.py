"""Playbook definitions: define, revise, retire, reinstate, install the shipped ones (manager,
admin); list and read them (everyone)."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import JSONResponse

from api.deps import AppDep, ContainerDep, Create, PlainWrite, ReaderDep, Write
from api.openapi import CREATE_ERRORS, READ_ERRORS, WRITE_ERRORS, problems
from api.permissions import Action
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.playbooks import (
    ActionPublic,
    DefaultsInstalled,
    InstalledPlaybook,
    MetricPublic,
    PlaybookDefine,
    PlaybookList,
    PlaybookPublic,
    PlaybookRetire,
    PlaybookRevise,
    Revised,
)
from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult
from cs_domain.errors import ConcurrencyConflict
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS

router = ledger_router(prefix="/playbooks", tags=["playbooks"])
WRITE_DOCS = problems(*WRITE_ERRORS)
INSTALL_ATTEMPTS = 3


def public(playbook: Playbook) -> PlaybookPublic:
    return PlaybookPublic(
        id=playbook.id, key=playbook.key, version=playbook.version,
        definition_version=playbook.definition_version, active=playbook.active,
        name=playbook.name, trigger_kind=playbook.trigger_kind,
        trigger_params=playbook.trigger_params, customer_goal=playbook.customer_goal,
        business_goal=playbook.business_goal,
        actions=[ActionPublic(**a) for a in playbook.actions],
        success_metrics=[MetricPublic(**m) for m in playbook.success_metrics],
    )


@router.get("", response_model=PlaybookList, responses=problems(*READ_ERRORS))
def list_playbooks(container: ContainerDep, _: ReaderDep) -> PlaybookList:
    """Every playbook (retired ones too), ordered by key, at its current definition."""
    app = container.app
    ids, position = container.playbooks.ids(app)
    playbooks = sorted((app.load(Playbook, i) for i in ids), key=lambda p: p.key)
    return PlaybookList(playbooks=[public(p) for p in playbooks], position=position)


@router.get("/{playbook_id}", response_model=PlaybookPublic,
            responses=problems(*READ_ERRORS, 404))
def get_playbook(playbook_id: UUID, app: AppDep, _: ReaderDep) -> JSONResponse:
    """One playbook at its current definition (ETag: its version)."""
    playbook = app.load(Playbook, playbook_id)
    return JSONResponse(public(playbook).model_dump(mode="json"),
                        headers={"ETag": f'"{playbook.version}"'})


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def define_playbook(body: PlaybookDefine, w: Create) -> JSONResponse:
    """Define a playbook (manager); its key is unique (409 duplicate-key)."""
    return w.run(
        Action.MANAGE_PLAYBOOKS,
        lambda: w.app.define_playbook(actor=w.actor, key=body.key,
                                      **body.domain_fields(only_sent=False)),
        WriteResult.of, status=201,
    )


@router.post("/{playbook_id}/revisions", response_model=Revised, responses=WRITE_DOCS)
def revise_playbook(playbook_id: UUID, body: PlaybookRevise, w: Write) -> JSONResponse:
    """Revise a playbook (manager): the fields sent change; definition_version goes up by one."""

    def present(result: CommandResult) -> Revised:
        return Revised(id=result.id, version=result.version, position=result.position,
                       definition_version=result.extra["definition_version"])

    return w.run(
        Action.MANAGE_PLAYBOOKS,
        lambda: w.app.revise_playbook(actor=w.actor, playbook_id=playbook_id,
                                      expected_version=w.expected_version,
                                      **body.domain_fields(only_sent=True)),
        present,
    )


@router.post("/{playbook_id}/retire", response_model=WriteResult, responses=WRITE_DOCS)
def retire_playbook(playbook_id: UUID, body: PlaybookRetire, w: Write) -> JSONResponse:
    """Retire a playbook (manager): it starts no new runs; running ones go on."""
    return w.run(
        Action.MANAGE_PLAYBOOKS,
        lambda: w.app.retire_playbook(actor=w.actor, playbook_id=playbook_id, reason=body.reason,
                                      expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{playbook_id}/reinstate", response_model=WriteResult,
             responses=problems(*CREATE_ERRORS, 404))
def reinstate_playbook(playbook_id: UUID, w: PlainWrite) -> JSONResponse:
    """Reinstate a retired playbook (manager)."""
    return w.run(
        Action.MANAGE_PLAYBOOKS,
        lambda: w.app.reinstate_playbook(actor=w.actor, playbook_id=playbook_id),
        WriteResult.of,
    )


def install_defaults(app: CustomerSuccess, actor: str) -> DefaultsInstalled:
    # Two installs at once: the loser's save conflicts; on retry it finds them defined.
    for attempt in range(INSTALL_ATTEMPTS):
        try:
            ids = app.install_default_playbooks(actor=actor)
            break
        except ConcurrencyConflict:
            if attempt == INSTALL_ATTEMPTS - 1:
                raise
    keys = {Playbook.id_for(key): key for key in DEFAULT_PLAYBOOKS}
    return DefaultsInstalled(installed=[InstalledPlaybook(id=i, key=keys[i]) for i in ids],
                             position=app.max_position())


@router.post("/install-defaults", response_model=DefaultsInstalled,
             responses=problems(400, 401, 403, 409, 415, 422, 500))
def install_default_playbooks(w: Create) -> JSONResponse:
    """Define the shipped playbooks that are missing (manager); running it again changes nothing."""
    return w.run(Action.MANAGE_PLAYBOOKS, lambda: install_defaults(w.app, w.actor),
                 lambda installed: installed)
