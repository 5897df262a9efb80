"""The getting-started checklist of a new organisation, shown to its owners and admins on their
dashboard until every step is done. Each step is read from what the organisation has (people
invited, a pipeline or outcome changed, a phone paired, leads, an assignment rule), never from a
flag someone ticks, so that the list cannot claim a step nobody took — and it costs one query."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext

from leadtracker.accounts.models import AuditEvent, Invitation, Membership, Organisation, Role
from leadtracker.calls.models import DEFAULT_OUTCOMES, Device, Outcome
from leadtracker.leads.defaults import DEFAULT_STATUSES
from leadtracker.leads.models import AssignmentRule, ImportJob, Lead, LeadStatus

# A pipeline or an outcome list saved as it came (looked over, found right) is a step taken too:
# the audit log says so. A changed one says so by itself, after the log's retention as well.
PIPELINE_ACTIONS = ("pipeline.update", "pipeline.colours")
OUTCOME_ACTIONS = ("outcome.create", "outcome.update")


@dataclass(frozen=True)
class Step:
    title: str
    why: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def _exists(model, **filters):
    return Exists(model.objects.filter(organisation=OuterRef("pk"), **filters))


def _changed_from(model, defaults) -> Exists:
    """Whether the organisation's rows differ from those it started with: one added or renamed,
    or one retired."""
    names = [name for name, _rest in defaults]
    return Exists(model.objects.filter(Q(is_active=False) | ~Q(name__in=names), organisation=OuterRef("pk")))


def facts(org_id: int) -> dict[str, bool]:
    """What the organisation has done of each step, in one query."""
    others = Exists(Membership.objects.filter(organisation=OuterRef("pk")).exclude(role=Role.OWNER))
    pipeline = _exists(AuditEvent, action__in=PIPELINE_ACTIONS) | _changed_from(LeadStatus, DEFAULT_STATUSES)
    outcomes = _exists(AuditEvent, action__in=OUTCOME_ACTIONS) | _changed_from(Outcome, DEFAULT_OUTCOMES)
    return (
        Organisation.objects.filter(pk=org_id)
        .annotate(
            has_invited=_exists(Invitation) | others,
            has_pipeline=pipeline,
            has_outcomes=outcomes,
            has_phone=_exists(Device),
            has_leads=_exists(Lead) | _exists(ImportJob),
            has_rules=_exists(AssignmentRule),
        )
        .values("has_invited", "has_pipeline", "has_outcomes", "has_phone", "has_leads", "has_rules")
        .get()
    )


def checklist(membership) -> Checklist | None:
    """The steps for an owner or admin while one is still to do; None for anyone else, and once
    all are done (the list goes away)."""
    if membership is None or not membership.has_role(Role.ADMIN):
        return None
    done = {key.removeprefix("has_"): value for key, value in facts(membership.organisation_id).items()}
    steps = [
        Step(
            gettext("Invite your people"),
            gettext("Agents and managers sign in with the invitation they get by e-mail."),
            reverse("members"),
            done["invited"],
        ),
        Step(
            gettext("Set your pipeline and call outcomes"),
            gettext("The statuses a lead moves through, and what agents record after a call."),
            reverse("lead_settings") if not done["pipeline"] else reverse("outcomes"),
            done["pipeline"] and done["outcomes"],
        ),
        Step(
            gettext("Pair a phone"),
            gettext("A paired phone sends its calls made on shift, so they land on the leads by themselves."),
            reverse("devices"),
            done["phone"],
        ),
        Step(
            gettext("Import your leads"),
            gettext("Bring your spreadsheet (CSV or Excel), or add leads one by one."),
            reverse("import_upload"),
            done["leads"],
        ),
        Step(
            gettext("Set assignment rules"),
            gettext("New leads go round-robin to the agents you choose, per source."),
            reverse("lead_settings"),
            done["rules"],
        ),
    ]
    if all(step.done for step in steps):
        return None
    return Checklist(steps)
