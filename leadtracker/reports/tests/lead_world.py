"""What the random walks of the kept counts' tests (test_lead_counts, test_live_counts) share:
one organisation's leads, and the steps that merge, erase and delete some of them through the
app's own actions — the paths every kept count must follow."""

import random

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions import leads as lead_actions
from leadtracker.leads.actions import merge as merge_actions
from leadtracker.leads.models import Lead
from leadtracker.privacy.erasure.actions import erase_lead


class LeadWorld:
    most = 3  # how many leads some() picks at the most

    def __init__(self, people, rng: random.Random):
        self.people, self.rng = people, rng
        self.org = people.org
        self.by = people.olga
        self.actor = Actor.for_user(people.olga.user)
        self.serial = 0

    def leads(self) -> list[Lead]:
        return list(Lead.objects.filter(organisation=self.org).order_by("pk"))

    def some(self) -> list[Lead]:
        leads = self.leads()
        return self.rng.sample(leads, min(len(leads), self.rng.randrange(1, self.most + 1)))

    def merge(self):
        leads = self.leads()
        if len(leads) >= 2:
            primary, duplicate = self.rng.sample(leads, 2)
            merge_actions.merge_leads(primary, duplicate, actor=self.actor, by=self.by)

    def erase(self):
        if leads := [lead for lead in self.leads() if lead.erased_at is None]:
            erase_lead(self.rng.choice(leads), actor=self.actor, by=self.by)

    def delete(self):
        """Into the trash, as the list's bulk delete does."""
        leads = Lead.objects.filter(organisation=self.org, pk__in=[lead.pk for lead in self.some()])
        lead_actions.delete_leads(leads, actor=self.actor, by=self.by)
