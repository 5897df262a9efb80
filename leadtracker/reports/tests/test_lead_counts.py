"""The funnel's lead counts (reports.LeadCount), kept by database triggers: after any sequence
of the ways leads are written — created one by one and by import, assigned, re-assigned in
bulk, moved between statuses one by one and in bulk, merged, erased, deleted, changed by a
plain ``update()``, their owner's account deleted — the counts equal a direct count of the
leads, per owner and status, in both organisations. A seeded loop, so a failure names the seed
and the step."""

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.db.models.functions import TruncDate

from leadtracker.accounts.models import User
from leadtracker.leads.actions import assignment as assignment_actions
from leadtracker.leads.actions import leads as lead_actions
from leadtracker.leads.imports.importer import import_file
from leadtracker.leads.models import Lead, LeadStatus, StatusKind
from leadtracker.reports import rollups, selectors
from leadtracker.reports.models import CreatedCount, LeadCount
from leadtracker.reports.tests.lead_world import LeadWorld

STEPS = 30


def direct(org) -> dict:
    rows = Lead.objects.filter(organisation=org).values_list("owner_id", "status_id").annotate(n=Count("id"))
    return {(owner or 0, status): n for owner, status, n in rows.order_by()}


def kept(org) -> dict:
    rows = LeadCount.objects.filter(organisation=org).exclude(n=0)
    return {(r.owner_id, r.status_id): r.n for r in rows}


def direct_created(org) -> dict:
    rows = (
        Lead.objects.filter(organisation=org)
        .values_list(TruncDate("created_at", tzinfo=dt.UTC), "source_id", "status_id")
        .annotate(n=Count("id"))
    )
    return {(day, source or 0, status): n for day, source, status, n in rows.order_by()}


def kept_created(org) -> dict:
    rows = CreatedCount.objects.filter(organisation=org).exclude(n=0)
    return {(r.day, r.source_id, r.status_id): r.n for r in rows}


class World(LeadWorld):
    def __init__(self, people, rng, tmp_path):
        super().__init__(people, rng)
        self.tmp_path = tmp_path
        self.owners = [None, people.alice.user_id, people.bob.user_id, people.carl.user_id]
        self.statuses = list(LeadStatus.objects.filter(organisation=self.org))

    def number(self) -> str:
        self.serial += 1
        return f"98{self.rng.randrange(10**7, 10**8)}"

    def create(self):
        data = lead_actions.LeadData(
            name="नया ग्राहक 🙂", phones=[self.number()], owner_id=self.rng.choice(self.owners)
        )
        lead_actions.create_lead(self.org, data, actor=self.actor, by=self.by, auto_assign=False)

    def import_some(self):
        path = self.tmp_path / f"import{self.serial}.csv"
        rows = [f"Lead {i},{self.number()}" for i in range(self.rng.randrange(1, 6))]
        path.write_text("name,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
        owner = self.rng.choice([None, self.people.bob.user])
        import_file(self.org, str(path), actor=self.actor, owner=owner)

    def assign(self):
        if leads := self.leads():
            assignment_actions.assign_lead(
                self.rng.choice(leads), self.rng.choice(self.owners), actor=self.actor, by=self.by
            )

    def bulk_assign(self):
        leads = Lead.objects.filter(organisation=self.org, pk__in=[lead.pk for lead in self.some()])
        assignment_actions.bulk_assign(leads, self.rng.choice(self.owners), actor=self.actor, by=self.by)

    def change_status(self):
        if leads := self.leads():
            lead = self.rng.choice(leads)
            lead_actions.change_status(lead, self.rng.choice(self.statuses), actor=self.actor, by=self.by)

    def bulk_status(self):
        leads = Lead.objects.filter(organisation=self.org, pk__in=[lead.pk for lead in self.some()])
        lead_actions.bulk_change_status(leads, self.rng.choice(self.statuses), actor=self.actor, by=self.by)

    def plain_update(self):
        # Not an action: a data fix in a shell or a migration. The triggers see it all the same.
        ids = [lead.pk for lead in self.some()]
        Lead.objects.filter(pk__in=ids).update(status=self.rng.choice(self.statuses), owner_id=None)

    def step(self):
        ops = [self.create] * 3 + [self.import_some, self.assign, self.bulk_assign, self.change_status]
        ops += [self.bulk_status, self.merge, self.erase, self.delete, self.plain_update]
        op = self.rng.choice(ops)
        op()
        return op.__name__


@pytest.mark.parametrize("seed", [5, 2026])
def test_lead_counts_equal_a_direct_count_after_every_step(acme, globex, tmp_path, seed):
    rng = random.Random(seed)
    world = World(acme, rng, tmp_path)
    other = World(globex, random.Random(seed + 1), tmp_path / "globex")
    (tmp_path / "globex").mkdir()
    for _ in range(3):
        other.create()
    theirs = direct(globex.org)
    for n in range(STEPS):
        done = world.step()
        assert kept(acme.org) == direct(acme.org), f"seed {seed}, step {n} ({done})"
        assert kept_created(acme.org) == direct_created(acme.org), f"seed {seed}, step {n} ({done})"
    assert kept(globex.org) == theirs == direct(globex.org)
    assert kept_created(globex.org) == direct_created(globex.org)
    assert sum(kept(acme.org).values()) == Lead.objects.filter(organisation=acme.org).count() > 0


def test_an_owner_whose_account_is_deleted_leaves_the_leads_unowned(acme):
    world = World(acme, random.Random(1), None)
    for _ in range(3):
        data = lead_actions.LeadData(phones=[world.number()], owner_id=acme.carl.user_id)
        lead_actions.create_lead(acme.org, data, actor=world.actor, by=world.by)
    assert sum(n for (owner, _), n in kept(acme.org).items() if owner == acme.carl.user_id) == 3
    User.objects.filter(pk=acme.carl.user_id).delete()
    assert kept(acme.org) == direct(acme.org)
    assert not [owner for owner, _ in kept(acme.org) if owner == acme.carl.user_id]


def test_the_funnel_reads_the_counts_for_a_team_and_for_everyone(acme):
    world = World(acme, random.Random(3), None)
    for owner in (acme.alice.user_id, acme.alice.user_id, acme.bob.user_id, None):
        lead_actions.create_lead(
            acme.org,
            lead_actions.LeadData(phones=[world.number()], owner_id=owner),
            actor=world.actor,
            by=world.by,
            auto_assign=False,
        )
    new = LeadStatus.objects.get(
        organisation=acme.org, pk=Lead.objects.filter(organisation=acme.org).first().status_id
    )
    everyone = {r["status_id"]: r["leads"] for r in selectors.funnel(acme.org, None)}
    alice_only = {r["status_id"]: r["leads"] for r in selectors.funnel(acme.org, [acme.alice.user_id])}
    assert everyone[new.pk] == 4
    assert alice_only[new.pk] == 2


def test_recount_repairs_counts_a_disabled_trigger_missed(acme):
    world = World(acme, random.Random(4), None)
    for _ in range(4):
        world.create()
    LeadCount.objects.filter(organisation=acme.org).update(n=99)
    CreatedCount.objects.filter(organisation=acme.org).update(n=99)
    assert kept(acme.org) != direct(acme.org)
    assert kept_created(acme.org) != direct_created(acme.org)
    assert rollups.recount_leads(acme.org) == 4
    assert kept(acme.org) == direct(acme.org)
    assert kept_created(acme.org) == direct_created(acme.org)


def test_rebuild_rollups_recounts_the_leads_too(acme):
    from io import StringIO

    from django.core.management import call_command

    world = World(acme, random.Random(6), None)
    for _ in range(3):
        world.create()
    LeadCount.objects.filter(organisation=acme.org).delete()
    out = StringIO()
    call_command("rebuild_rollups", org=acme.org.slug, stdout=out)
    assert "counted 3 leads" in out.getvalue()
    assert kept(acme.org) == direct(acme.org)


@pytest.mark.django_db
def test_the_triggers_are_installed_after_every_migration():
    """SQLite rebuilds a table for most schema changes, and the rebuilt table has no triggers:
    a later migration of leads_lead must create these again (as privacy 0006 does for its own)."""
    from django.db import connection

    def triggers(table: str) -> set[str]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass", [table])
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
                )
            return {row[0] for row in cursor.fetchall()}

    ops = ("insert", "update", "delete")
    names = triggers("leads_lead")
    wanted = {f"reports_{name}_{op}" for name in ("lead_count", "created_count") for op in ops}
    assert wanted <= names, f"missing {sorted(wanted - names)}: re-create them (reports 0002, 0004)"
    # The live tiles' counts (reports 0005): follow-ups due on leads_lead, call-backs open.
    for table, name in (("leads_lead", "follow_up_due"), ("calls_callback", "open_call_back")):
        wanted = {f"reports_{name}_change_{op}" for op in ops}
        names = triggers(table)
        assert wanted <= names, f"missing {sorted(wanted - names)}: re-create them (reports 0005)"
    # And the organisation's day and hour rows' triggers on the person-days and person-hours.
    for table, target in (("reports_userday", "organisationday"), ("reports_userhour", "organisationhour")):
        wanted = {f"reports_{target}_change_{op}" for op in ops}
        names = triggers(table)
        assert wanted <= names, f"missing {sorted(wanted - names)}: re-create them (reports 0003)"


def test_conversion_for_everyone_reads_whole_utc_days_from_the_counts_and_the_ends_from_the_leads(acme):
    """An organisation in IST: its 30 days begin and end at 18:30 UTC, so both ends are parts of
    a UTC day. Leads created around those instants and inside, some then moved to a won status
    or to no source: the whole organisation's figures equal a count of the leads themselves."""
    world = World(acme, random.Random(8), None)
    org = acme.org
    rng = selectors.range_for(org, "30d")
    start, _ = rollups.day_bounds(org.tzinfo, rng.start)
    _, end = rollups.day_bounds(org.tzinfo, rng.end)
    assert start.time() != dt.time(0)  # the ends are parts of UTC days
    moments = [start - dt.timedelta(seconds=1), start, start + dt.timedelta(hours=5, minutes=29)]
    moments += [start + dt.timedelta(days=d, hours=h) for d in (1, 7, 15, 29) for h in (0, 6, 12)]
    moments += [end - dt.timedelta(seconds=1), end, end - dt.timedelta(hours=19)]
    for n, moment in enumerate(moments):
        world.create()
        lead = Lead.objects.filter(organisation=org).latest("pk")
        Lead.objects.filter(pk=lead.pk).update(created_at=moment)
        if n % 3 == 0:
            won = LeadStatus.objects.get(organisation=org, kind=StatusKind.WON)
            lead_actions.change_status(lead, won, actor=world.actor, by=world.by)
    everyone = selectors.conversion_by_source(org, rng, None)
    inside = Lead.objects.filter(organisation=org, created_at__gte=start, created_at__lt=end)
    assert sum(r["leads"] for r in everyone) == inside.count() == len(moments) - 2
    assert sum(r["won"] for r in everyone) == inside.filter(status__kind=StatusKind.WON).count() > 0
    # Everyone's leads, read from the counts, and the same leads through the path a list of
    # owners takes (every lead here has an owner or none: both lists cover them all).
    owners = list(Lead.objects.filter(organisation=org).values_list("owner_id", flat=True).distinct())
    if None not in owners:
        assert everyone == selectors.conversion_by_source(org, rng, owners)
