"""The organisation's names and their numbers, listed beside the rule editor's JSON boxes: a
rule names sources, statuses, people, teams and webhooks by number, and nobody knows those by
heart. Webhooks show their host only (a URL may carry a token)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from leadtracker.accounts.models import Membership, Role
from leadtracker.calls.models import Outcome
from leadtracker.leads.models import LeadSource, LeadStatus, Tag, WebhookEndpoint


def pick_lists(org_id: int) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """(title, the JSON key it fills, [(number, name)]) for each kind of thing a rule names."""
    org = {"organisation_id": org_id}
    members = Membership.objects.filter(**org, is_active=True).select_related("user")
    return [
        (_("Sources"), "source_ids", list(LeadSource.objects.filter(**org).values_list("pk", "name"))),
        (
            _("Statuses"),
            "status_ids, status_id",
            list(LeadStatus.objects.filter(**org).values_list("pk", "name")),
        ),
        (_("Tags"), "tag_ids", list(Tag.objects.filter(**org).order_by("name").values_list("pk", "name"))),
        (_("Call outcomes"), "outcome_ids", list(Outcome.objects.filter(**org).values_list("pk", "name"))),
        (
            _("People"),
            "owner_ids, user_id",
            sorted(((m.user_id, m.user.full_name or m.user.email) for m in members), key=lambda p: p[1]),
        ),
        (
            _("Teams (by their manager)"),
            "team_id",
            sorted(
                ((m.pk, m.user.full_name or m.user.email) for m in members if m.role == Role.MANAGER),
                key=lambda p: p[1],
            ),
        ),
        (
            _("Webhooks"),
            "endpoint_id",
            [
                (pk, urlsplit(url).hostname or "?")
                for pk, url in WebhookEndpoint.objects.filter(**org).values_list("pk", "url")
            ],
        ),
    ]
