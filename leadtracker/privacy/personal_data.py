"""Which models hold personal data, and about whom: the one place that decides it.

Found by construction: every concrete model of our apps with a relation to a lead
(``leads.Lead``) or a member (``accounts.Membership``, ``accounts.User``) holds data about that
person, unless the relation is listed in ``EXEMPT_FIELDS`` with the reason it is not personal
data about them. To that come the models and fields declared personal in ``DECLARED`` (free
text, payloads and files that may carry a person's details without a relation to them), and
any model that declares its own ``personal_data = {"lead": [...], "member": [...]}``.

The completeness test (privacy/tests/test_personal_data_complete.py) holds every such model to
an exporter (``privacy.export.exporters.EXPORTERS``) and an eraser (``privacy.erasure.erasers.ERASERS``), so a
model added later cannot be forgotten by either.
"""

from django.apps import apps
from django.conf import settings

LEAD = "lead"
MEMBER = "member"
SUBJECTS = (LEAD, MEMBER)

# Relations that make a model personal data about their target, by target model label.
SUBJECT_TARGETS = {
    "leads.Lead": LEAD,
    "accounts.Membership": MEMBER,
    settings.AUTH_USER_MODEL: MEMBER,
}

# The subjects themselves.
SUBJECT_MODELS = {"leads.Lead": LEAD, "accounts.Membership": MEMBER, settings.AUTH_USER_MODEL: MEMBER}

# Personal data without a relation to the person, by model label and subject: the fields where
# it sits. Reviewed by hand; a model of ours can instead declare ``personal_data`` itself.
DECLARED = {
    # Field names, roles and ids only by rule, but a change of a lead's details could slip a
    # value in; the actor's address and browser are personal data about the member.
    "accounts.AuditEvent": {LEAD: ("changes",), MEMBER: ("ip_address", "user_agent")},
    # Reminder texts name the lead ("Call with Raj at …") and link to it.
    "accounts.Notification": {LEAD: ("text", "url")},
    # An invitation is a member-to-be: their e-mail and name, before any membership exists.
    "accounts.Invitation": {MEMBER: ("email", "full_name")},
    # The queue and results of background jobs: arguments, return values and tracebacks
    # may carry whatever a job was given.
    "django_tasks_database.DBTaskResult": {LEAD: ("args_kwargs", "return_value", "traceback")},
    # The uploaded spreadsheet and the error report are files holding whole rows.
    "leads.ImportJob": {LEAD: ("stored_path", "error_report_path")},
    # A call's number is the lead's number even when the call was never matched to the lead.
    "calls.Call": {LEAD: ("number", "note")},
    "calls.CallBack": {LEAD: ("number",)},
    # Django's admin log names the object it changed.
    "admin.LogEntry": {LEAD: ("object_repr",), MEMBER: ("object_repr",)},
    # A signed-in member's session.
    "sessions.Session": {MEMBER: ("session_data",)},
}

# Relations to a lead or member that are not personal data about that person, with the reason.
# Mostly "who did it" on a record that is about someone or something else: the member is named
# only by an id, and their own profile is what erasure anonymises.
EXEMPT_FIELDS = {
    "accounts.Membership.reports_to": "the manager's place in the tree, not data about the manager",
    "accounts.Invitation.reports_to": "the manager the invitee will report to",
    "accounts.Invitation.invited_by": "who sent the invitation (an id)",
    "accounts.AuditEvent.actor_user": "who acted (an id): the event's ip and browser are erased instead",
    "accounts.SupportRequest.answered_by": "the admin who answered (an id)",
    "attendance.Shift.corrected_by": "the manager who corrected the shift (an id)",
    "leads.Lead.owner": "the agent who owns the lead: a work assignment, reported by id",
    "leads.FollowUp.assignee": "who is to do it: a work assignment (an id)",
    "leads.FollowUp.created_by": "who planned it (an id)",
    "leads.FollowUp.cancelled_by": "who cancelled it (an id)",
    "leads.Activity.actor": "who did it (an id)",
    "leads.AssignmentRule.agents": "who takes turns in a rule: configuration (an id)",
    "leads.AssignmentRuleAgent.user": "a rule's agent: configuration (an id), exported with the rule",
    "leads.ConsentEvent.recorded_by": "who recorded the consent (an id)",
    "leads.ImportJob.created_by": "who uploaded it (an id)",
    "leads.ImportJob.owner": "who the imported leads go to (an id)",
    "leads.TrashedLead.owner": "whose lead it was: a work assignment (an id), deciding who may restore it",
    "leads.TrashedLead.deleted_by": "who moved the lead to the trash (an id)",
    "calls.Call.user": "the agent whose phone made the call: the work record stays for reports",
    "calls.Call.disposed_by": "who recorded the outcome (an id)",
    "calls.CallBack.assignee": "who is to call back (an id)",
    "calls.PairingCode.created_by": "who issued the code (an id)",
    "privacy.DataRequest.closed_by": "the admin who closed it (an id)",
    "privacy.DataRequest.created_by": "the admin who registered it (an id)",
    "privacy.LegalHold.created_by": "the admin who placed it (an id)",
    "privacy.AccessExport.requested_by": "the admin who asked for it (an id)",
    "privacy.ErasureRecord.erased_by": "the admin who erased (an id)",
    "admin.LogEntry.user": "the superuser who acted (an id)",
}

# Whole models that relate to a subject but are not theirs to erase, with the reason.
EXEMPT_MODELS = {
    "privacy.ErasureRecord": "the ledger itself: keyed hashes and counts only, needed to replay erasures",
    "auth.User_groups": "Django's group links: unused, LeadTracker's roles live on memberships",
    "auth.User_user_permissions": "Django's permission links: unused, as above",
    "accounts.User_groups": "Django's group links: unused, LeadTracker's roles live on memberships",
    "accounts.User_user_permissions": "Django's permission links: unused, as above",
}


def label_of(model) -> str:
    return model if isinstance(model, str) else model._meta.label


def _ours(model) -> bool:
    return model.__module__.startswith("leadtracker.")


def subjects_of(model) -> dict[str, set[str]]:
    """{subject: fields} for one model: relations found, plus declared fields."""
    label = label_of(model)
    found: dict[str, set[str]] = {}
    if label in SUBJECT_MODELS:
        found.setdefault(SUBJECT_MODELS[label], set()).add("*")
    for field in model._meta.get_fields():
        # Forward relations only: a reverse one is the other model's relation, checked there.
        if not field.is_relation or (field.auto_created and not field.concrete):
            continue
        target = field.related_model
        if target is None:
            continue
        subject = SUBJECT_TARGETS.get(label_of(target))
        if subject and f"{label}.{field.name}" not in EXEMPT_FIELDS:
            found.setdefault(subject, set()).add(field.name)
    for subject, fields in DECLARED.get(label, {}).items():
        found.setdefault(subject, set()).update(fields)
    for subject, fields in getattr(model, "personal_data", {}).items():
        found.setdefault(subject, set()).update(fields)
    return found


def personal_models(models=None) -> dict[str, dict[str, set[str]]]:
    """Every model holding personal data: {label: {subject: fields}}. ``models`` defaults to
    every installed model of our apps plus the third-party ones named in DECLARED."""
    if models is None:
        models = [m for m in apps.get_models() if _ours(m) or label_of(m) in DECLARED]
    out = {}
    for model in models:
        if model._meta.abstract or model._meta.proxy or label_of(model) in EXEMPT_MODELS:
            continue
        subjects = subjects_of(model)
        if subjects:
            out[label_of(model)] = subjects
    return out


def uncovered(registry: dict, models=None) -> list[str]:
    """ "label (subject)" for each personal model and subject that ``registry`` does not handle.
    A registry maps a label to an object with a callable (or None and a ``none_because``) per
    subject, as ERASERS and EXPORTERS do."""
    missing = []
    for label, subjects in sorted(personal_models(models).items()):
        entry = registry.get(label)
        for subject in sorted(subjects):
            handled = entry is not None and (
                # None for a subject is a decision when the entry says why.
                getattr(entry, subject, None) is not None or bool(getattr(entry, "none_because", ""))
                if hasattr(entry, LEAD)
                else bool(entry)
            )
            if not handled:
                missing.append(f"{label} ({subject}: {', '.join(sorted(subjects[subject]))})")
    return missing
