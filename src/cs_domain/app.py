"""CustomerSuccess: the one application service, assembled from the command mixins.

Add a new area by writing a mixin in :mod:`cs_domain.services` and listing it here.
"""

from __future__ import annotations

from cs_domain.contract import Contract
from cs_domain.customer import Customer
from cs_domain.plan import SuccessPlan
from cs_domain.playbook import Playbook
from cs_domain.project import Project
from cs_domain.services.activities import ActivityCommands
from cs_domain.services.benchmarks import BenchmarkCommands
from cs_domain.services.complaints import ComplaintCommands
from cs_domain.services.contracts import ContractCommands
from cs_domain.services.health_models import HealthModelCommands
from cs_domain.services.plans import PlanCommands
from cs_domain.services.playbook_touchpoints import PlaybookTouchpointCommands
from cs_domain.services.playbooks import PlaybookCommands
from cs_domain.services.projects import ProjectCommands
from cs_domain.services.referrals import ReferralCommands
from cs_domain.services.reporting import ReportingCommands
from cs_domain.services.requirements import RequirementCommands
from cs_domain.services.risks import RiskCommands
from cs_domain.services.subscriptions import SubscriptionCommands
from cs_domain.services.surveys import SurveyCommands
from cs_domain.services.tasks import TaskCommands
from cs_domain.services.tickets import TicketCommands
from cs_domain.services.touchpoints import TouchpointCommands
from cs_domain.services.usage import UsageCommands


class CustomerSuccess(
    PlaybookCommands,
    PlaybookTouchpointCommands,
    ContractCommands,
    SubscriptionCommands,
    ProjectCommands,
    PlanCommands,
    TouchpointCommands,
    UsageCommands,
    TaskCommands,
    RiskCommands,
    RequirementCommands,
    ComplaintCommands,
    ReportingCommands,
    HealthModelCommands,
    TicketCommands,
    SurveyCommands,
    ActivityCommands,
    BenchmarkCommands,
    ReferralCommands,
):
    name = "cs"
    snapshotting_intervals = {
        Customer: 50,
        Contract: 50,
        Project: 50,
        SuccessPlan: 50,
        Playbook: 50,
    }
