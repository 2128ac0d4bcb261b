"""The one list of views. Adding a view = writing its module and adding one line here."""

from __future__ import annotations

from collections.abc import Iterable

from projections.view import View
from projections.views.activities import ActivitiesView
from projections.views.automation import AutomationView
from projections.views.benchmarks import BenchmarksView
from projections.views.business_changes import BusinessChangesView
from projections.views.churn import ChurnView
from projections.views.classification import ClassificationView
from projections.views.complaints import ComplaintsView
from projections.views.contracts import ContractsView
from projections.views.customers import CustomersView
from projections.views.handover import HandoverView
from projections.views.health import HealthView
from projections.views.plans import PlansView
from projections.views.playbook_runs import PlaybookRunsView
from projections.views.projects import ProjectsView
from projections.views.referrals import ReferralsView
from projections.views.reporting import ReportingView
from projections.views.requirements import RequirementsView
from projections.views.risks import RisksView
from projections.views.subscriptions import SubscriptionsView
from projections.views.surveys import SurveysView
from projections.views.tasks import TasksView
from projections.views.team import TeamView
from projections.views.tickets import TicketsView
from projections.views.touchpoints import TouchpointsView
from projections.views.users import UsersView
from projections.views.weekly_briefs import WeeklyBriefsView

VIEWS: tuple[View, ...] = (
    UsersView(),
    CustomersView(),
    ContractsView(),
    RisksView(),
    TasksView(),
    RequirementsView(),
    ComplaintsView(),
    TicketsView(),
    SurveysView(),
    ActivitiesView(),
    BenchmarksView(),
    ReferralsView(),
    TeamView(),
    HealthView(),
    ProjectsView(),
    PlansView(),
    TouchpointsView(),
    SubscriptionsView(),
    AutomationView(),
    PlaybookRunsView(),
    ReportingView(),
    HandoverView(),
    ClassificationView(),
    BusinessChangesView(),
    WeeklyBriefsView(),
    ChurnView(),
)


class UnknownView(KeyError):
    def __init__(self, names: Iterable[str]):
        self.names = list(names)
        known = ", ".join(v.name for v in VIEWS)
        super().__init__(f"unknown view(s): {', '.join(self.names)} (known: {known})")

    def __str__(self) -> str:
        return str(self.args[0])


def select_views(names: Iterable[str | View] | None = None) -> list[View]:
    """The registered views with these names (all when None), in registry order.

    View objects are passed through as they are (tests and tools may drive views that
    are not registered).
    """
    if names is None:
        return list(VIEWS)
    wanted = list(dict.fromkeys(names))
    objects = [v for v in wanted if isinstance(v, View)]
    strings = [v for v in wanted if isinstance(v, str)]
    unknown = [n for n in strings if n not in {v.name for v in VIEWS}]
    if unknown:
        raise UnknownView(unknown)
    return [v for v in VIEWS if v.name in strings] + objects
