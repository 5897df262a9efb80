"""The whole organisation's live tiles (overdue follow-ups, missed calls waiting) read counts the
database keeps (reports.FollowUpDueCount, OpenCallBackCount): after any sequence of the ways
follow-ups and call-backs change — follow-ups scheduled, moved, completed, cancelled; leads
created, merged, erased, trashed and restored, changed by a plain ``update()``; missed calls
synced and returned, call-backs re-assigned or closed by a plain ``update()``, an assignee's
account deleted — the counts equal a direct count, and the tiles equal what the live selectors
count for the owner, at any moment of the day. A seeded loop, so a failure names the seed and
the step."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from leadtracker.accounts.models import User
from leadtracker.calls.models import CallBack
from leadtracker.calls.selectors import waiting_call_backs
from leadtracker.leads.actions import follow_ups as follow_up_actions
from leadtracker.leads.actions.assignment import assign_lead
from leadtracker.leads.models import FollowUp, Lead, TrashedLead
from leadtracker.leads.selectors import overdue_follow_ups
from leadtracker.leads.trash.actions import restore_lead
from leadtracker.lib.errors import ActionError
from leadtracker.reports import rollups, selectors
from leadtracker.reports.models import FollowUpDueCount, OpenCallBackCount
from leadtracker.reports.tests.direct import assert_live_counts_match
from leadtracker.reports.tests.lead_world import LeadWorld
from leadtracker.testing import call, login_client, make_lead, open_shift, paired_client, send

STEPS = 30


class World(LeadWorld):
    most = 2

    def __init__(self, people, rng: random.Random):
        super().__init__(people, rng)
        self.agents = [people.alice, people.bob, people.carl]
        for agent in self.agents:
            open_shift(agent, hours_ago=20)
        self.phones = {a.pk: paired_client(a, name=f"phone {a.pk}") for a in self.agents}

    def number(self) -> str:
        self.serial += 1
        return f"+9198{self.rng.randrange(10**7, 10**8)}"

    def moment(self) -> dt.datetime:
        # Either side of now, of today's UTC midnight, and days away: the split the tile reads.
        return timezone.now() + dt.timedelta(minutes=self.rng.randrange(-5 * 1440, 5 * 1440))

    def create(self):
        make_lead(self.people, phones=[self.number()], owner=self.rng.choice([None, *self.agents]))

    def schedule(self):
        if leads := [lead for lead in self.leads() if lead.erased_at is None]:
            follow_up_actions.schedule_follow_up(
                self.rng.choice(leads), due_at=self.moment(), actor=self.actor, by=self.by
            )

    def open_follow_ups(self) -> list[FollowUp]:
        open_ = FollowUp.objects.open().filter(organisation=self.org, lead__erased_at__isnull=True)
        return list(open_.order_by("pk"))

    def move(self):
        if fus := self.open_follow_ups():
            fu = self.rng.choice(fus)
            follow_up_actions.update_follow_up(fu, due_at=self.moment(), actor=self.actor, by=self.by)

    def complete(self):
        if fus := self.open_follow_ups():
            follow_up_actions.complete_follow_up(self.rng.choice(fus), actor=self.actor, by=self.by)

    def cancel(self):
        if fus := self.open_follow_ups():
            follow_up_actions.cancel_follow_up(self.rng.choice(fus), actor=self.actor, by=self.by)

    def plain_update(self):
        # Not an action: a data fix in a shell. The triggers see it all the same.
        ids = [lead.pk for lead in self.some()]
        Lead.objects.filter(pk__in=ids).update(next_follow_up_at=self.rng.choice([None, self.moment()]))

    def restore(self):
        if trashed := list(TrashedLead.objects.filter(organisation=self.org).order_by("pk")):
            restore_lead(self.rng.choice(trashed), actor=self.actor, by=self.by)

    def missed(self):
        """A phone logs missed calls: each opens a call-back (or folds into an open one)."""
        agent = self.rng.choice(self.agents)
        numbers = [lead.phone for lead in self.leads() if lead.phone] + [self.number()]
        batch = []
        for _ in range(self.rng.randrange(1, 4)):
            self.serial += 1
            number = self.rng.choice(numbers)
            batch.append(call(self.serial, number=number, type="missed", duration_s=0, minutes_ago=90))
        assert send(self.phones[agent.pk], batch).status_code == 200

    def call_back(self):
        """A phone calls a waiting number back: its call-back closes."""
        waiting = list(CallBack.objects.filter(organisation=self.org, closed_at__isnull=True).order_by("pk"))
        if waiting:
            agent = self.rng.choice(self.agents)
            self.serial += 1
            row = call(self.serial, number=self.rng.choice(waiting).number, minutes_ago=10, duration_s=40)
            assert send(self.phones[agent.pk], [row]).status_code == 200

    def assign(self):
        if leads := self.leads():
            owner = self.rng.choice([None, *[a.user_id for a in self.agents]])
            assign_lead(self.rng.choice(leads), owner, actor=self.actor, by=self.by)

    def plain_call_backs(self):
        ids = list(CallBack.objects.filter(organisation=self.org).values_list("pk", flat=True))
        ids = self.rng.sample(ids, min(len(ids), 2))
        change = self.rng.choice(
            [
                {"closed_at": None},
                {"closed_at": timezone.now()},
                {"assignee_id": None},
                {"assignee_id": self.rng.choice(self.agents).user_id},
            ]
        )
        CallBack.objects.filter(pk__in=ids).update(**change)

    def step(self) -> str:
        ops = [self.create, self.schedule, self.schedule, self.move, self.complete, self.cancel]
        ops += [self.plain_update, self.merge, self.erase, self.delete, self.restore]
        ops += [self.missed, self.missed, self.call_back, self.assign, self.plain_call_backs]
        op = self.rng.choice(ops)
        try:
            op()
        except ActionError:
            pass  # refused (a number another lead holds, say): the counts must still be right
        return op.__name__


def assert_tiles_match(people) -> None:
    """The kept tiles equal the live selectors' counts for the owner, now and at moments either
    side of it (today's UTC midnight included: before it, all of today is counted live)."""
    owner = people.olga
    now = timezone.now()
    midnight = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    waiting = waiting_call_backs(owner).count()
    for moment in (now, midnight, midnight - dt.timedelta(microseconds=1), now + dt.timedelta(days=2)):
        live = Lead.objects.filter(organisation=people.org, next_follow_up_at__lt=moment).count()
        kept = selectors.organisation_live_counts(people.org.pk, now=moment)
        assert kept == {"overdue_follow_ups": live, "missed_waiting": waiting}, moment
    assert selectors.organisation_live_counts(people.org.pk)["overdue_follow_ups"] == overdue_follow_ups(
        owner
    )
    # A manager's own people and those nobody has, and a team's people, as the dashboard's
    # tile sums them, against the list behind it.
    for manager in (people.maya, people.mark):
        ids = selectors.scope_user_ids(manager)
        kept = selectors.open_call_backs_of(people.org.pk, ids, nobody=True)
        assert kept == waiting_call_backs(manager).count(), manager
        team = selectors.scope_user_ids(owner, manager)
        kept = selectors.open_call_backs_of(people.org.pk, team, nobody=False)
        assert kept == waiting_call_backs(owner, team).count(), manager


@pytest.mark.slow(reason="ninety random writes through the actions and the sync API, each step counted")
@pytest.mark.parametrize("seed", [3, 2026])
def test_live_counts_equal_a_direct_count_after_every_step(acme, globex, seed):
    rng = random.Random(seed)
    world = World(acme, rng)
    other = World(globex, random.Random(seed + 1))
    for op in (other.create, other.schedule, other.missed):
        op()
    theirs = selectors.organisation_live_counts(globex.org.pk)
    for n in range(STEPS):
        done = [world.step() for _ in range(3)]
        try:
            assert_live_counts_match(acme.org)
            assert_tiles_match(acme)
        except AssertionError as failed:
            raise AssertionError(f"seed {seed}, step {n} ({', '.join(done)})") from failed
    assert selectors.organisation_live_counts(globex.org.pk) == theirs
    assert_live_counts_match(globex.org)
    assert_tiles_match(globex)


def test_an_assignees_account_deleted(acme):
    """Their call-backs go unassigned or, with the missed calls their phone logged, go."""
    world = World(acme, random.Random(1))
    for _ in range(4):
        world.missed()
    assert CallBack.objects.filter(organisation=acme.org, closed_at__isnull=True).exists()
    gone = [agent.user_id for agent in world.agents[:2]]
    User.objects.filter(pk__in=gone).delete()
    assert_live_counts_match(acme.org)
    kept = OpenCallBackCount.objects.filter(organisation=acme.org).exclude(n=0)
    assert not set(kept.values_list("assignee_id", flat=True)) & set(gone)


def test_the_owners_dashboard_shows_the_kept_counts(acme):
    world = World(acme, random.Random(2))
    for op in (world.create, world.create, world.schedule, world.schedule, world.missed):
        op()
    past = timezone.now() - dt.timedelta(days=3)
    lead = world.leads()[0]
    follow_up_actions.schedule_follow_up(lead, due_at=past, actor=world.actor, by=world.by)
    live = login_client(acme.olga).get("/dashboard/?range=30d").context["live"]
    assert live["overdue_follow_ups"] == overdue_follow_ups(acme.olga) >= 1
    assert live["missed_waiting"] == waiting_call_backs(acme.olga).count() >= 1


def test_recount_repairs_the_live_counts(acme):
    world = World(acme, random.Random(4))
    for op in (world.create, world.create, world.schedule, world.missed):
        op()
    FollowUpDueCount.objects.filter(organisation=acme.org).update(n=99)
    OpenCallBackCount.objects.filter(organisation=acme.org).delete()
    rollups.recount_leads(acme.org)
    assert_live_counts_match(acme.org)
