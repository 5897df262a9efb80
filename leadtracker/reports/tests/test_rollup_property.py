"""The roll-ups' property: after any sequence of random ingests through the sync API (resent
batches, batches over midnight in IST, calls outside shifts), manual logs, call-backs closed,
punches, shift corrections, lead erasures, calls the outcome sheet logged and the phone
synced after (the logged one absorbed: taken off its day, sometimes another day than the
phone's), and leads made for numbers with calls (the calls linked), every person-day and person-hour equals a
direct aggregate over the raw calls, call-backs and shifts. A seeded loop, so a failure
names the seed and the step that broke it."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.attendance import actions as attendance
from leadtracker.attendance.models import Shift
from leadtracker.calls.actions import log_call
from leadtracker.calls.models import Call, CallBack
from leadtracker.leads.models import Lead
from leadtracker.lib.errors import ActionError
from leadtracker.privacy.erasure.actions import erase_lead
from leadtracker.reports import selectors
from leadtracker.reports.models import UserDay
from leadtracker.reports.selectors import Range
from leadtracker.reports.tests.direct import assert_rollups_match
from leadtracker.testing import make_lead, paired_client, send

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
STEPS = 40
# The whole organisation's selectors against the per-person path: every tenth step and the last,
# not all 40. The organisation's rows are checked against the sums of the person rows at every
# step (assert_rollups_match), so the selectors' two paths read the same figures each step; what
# is left to compare is the selectors' own reading (the first and last call from the edge days),
# which the states every tenth step and the last one exercise. Every step it was over 40% of the
# test's CPU (2.5 of ~5.5 s for the two seeds, SQLite).
WHOLE_EVERY = 10
TYPES = ["outgoing", "outgoing", "outgoing", "incoming", "missed", "rejected", "blocked", "voicemail"]


class World:
    def __init__(self, people, rng: random.Random):
        self.people, self.rng = people, rng
        self.now = timezone.now().replace(microsecond=0)
        self.agents = [people.alice, people.bob, people.carl]
        self.numbers = []
        for i in range(6):
            lead = make_lead(people, phones=(f"98100 0000{i}",), owner=rng.choice(self.agents))
            self.numbers.append(lead.phone)
        self.numbers += ["+919811111111", "+919822222222", "1909"]  # no lead; a short code
        # No lead's until link() makes one for it.
        self.unlinked = [f"+91984444444{i}" for i in range(4)]
        self.numbers += self.unlinked
        for agent in self.agents:
            attendance.punch_in(agent, actor=Actor.system(), at=self.now - dt.timedelta(hours=23, minutes=50))
        self.phones = {a.pk: paired_client(a, name=f"phone {a.pk}") for a in self.agents}
        self.sent: list[tuple[int, list]] = []
        self.next_id = 0
        self.absorbed = self.linked = 0

    def moment(self) -> dt.datetime:
        # The last 23 hours: in IST that always spans a midnight or comes close to one.
        return self.now - dt.timedelta(seconds=self.rng.randrange(60, 23 * 3600))

    def row(self) -> dict:
        self.next_id += 1
        call_type = self.rng.choice(TYPES)
        duration = (
            0 if call_type in {"missed", "rejected", "blocked"} else self.rng.choice([0, 3, 9, 10, 45, 300])
        )
        return {
            "device_call_id": str(self.next_id),
            "number": self.rng.choice(self.numbers),
            "type": call_type,
            "started_at": self.moment().astimezone(IST).isoformat(),
            "duration_s": duration,
        }

    def sync(self):
        agent = self.rng.choice(self.agents)
        batch = [self.row() for _ in range(self.rng.randrange(1, 25))]
        send(self.phones[agent.pk], batch)
        self.sent.append((agent.pk, batch))
        return f"sync {len(batch)} calls for {agent.user_id}"

    def resend(self):
        if not self.sent:
            return self.sync()
        agent_pk, batch = self.rng.choice(self.sent)
        # Part of an old batch again, with a few new calls: only the new ones count.
        part = self.rng.sample(batch, self.rng.randrange(1, len(batch) + 1)) + [self.row() for _ in range(2)]
        assert send(self.phones[agent_pk], part).status_code == 200
        return f"resend {len(part)}"

    def manual(self):
        agent = self.rng.choice(self.agents)
        log_call(
            agent,
            number=self.rng.choice(self.numbers[:8]),
            direction=self.rng.choice(["in", "out"]),
            connected=self.rng.random() < 0.7,
            started_at=self.moment(),
            duration_s=self.rng.choice([5, 60, 200]),
            actor=Actor.system(),
        )
        return f"manual log by {agent.user_id}"

    def twin(self):
        """The sheet logs a call to a lead (its key, as the sheet sets it), then the phone syncs
        the same call, which started up to half an hour before: the logged one is absorbed."""
        on_shift = [(a, s) for a in self.agents if (s := attendance.open_shift(a)) is not None]
        if not on_shift:
            return self.punch()
        agent, shift = self.rng.choice(on_shift)
        number = self.rng.choice(self.numbers[:6])
        at = max(self.moment(), shift.started_at + dt.timedelta(minutes=30))
        logged, _ = log_call(
            agent, number=number, direction="out", started_at=at, duration_s=60, actor=Actor.system()
        )
        Call.objects.filter(pk=logged.pk).update(outcome_key=f"sheet-{logged.pk}")
        self.next_id += 1
        row = {
            "device_call_id": str(self.next_id),
            "number": number,
            "type": "outgoing",
            "started_at": (at - dt.timedelta(seconds=self.rng.randrange(1800))).astimezone(IST).isoformat(),
            "duration_s": self.rng.choice([12, 45, 300]),
        }
        assert send(self.phones[agent.pk], [row, self.row()]).status_code == 200
        gone = not Call.objects.filter(pk=logged.pk).exists()
        self.absorbed += gone
        return f"twin of {logged.pk} by {agent.user_id} ({'absorbed' if gone else 'kept'})"

    def link(self):
        """A lead made for a number whose calls were no lead's: they become its calls."""
        waiting = [n for n in self.unlinked if Call.objects.filter(number=n, lead__isnull=True).exists()]
        if not waiting:
            return self.sync()
        number = self.rng.choice(waiting)
        self.unlinked.remove(number)
        make_lead(self.people, phones=(number,), owner=self.rng.choice(self.agents))
        self.linked += 1
        return f"lead for {number}"

    def punch(self):
        agent = self.rng.choice(self.agents)
        shift = attendance.open_shift(agent)
        now = timezone.now()
        if shift is not None:
            at = max(shift.started_at, now - dt.timedelta(hours=self.rng.randrange(0, 12)))
            attendance.punch_out(agent, actor=Actor.system(), at=at)
            return f"punch out {agent.user_id}"
        last = Shift.objects.filter(user_id=agent.user_id).order_by("-ended_at").first()
        at = max(last.ended_at, now - dt.timedelta(hours=self.rng.randrange(0, 6)))
        attendance.punch_in(agent, actor=Actor.system(), at=at)
        return f"punch in {agent.user_id}"

    def correct(self):
        closed = list(Shift.objects.filter(organisation=self.people.org, ended_at__isnull=False))
        if not closed:
            return self.punch()
        shift = self.rng.choice(closed)
        span = shift.ended_at - shift.started_at
        start = shift.started_at + span * self.rng.random() / 3
        end = shift.ended_at - span * self.rng.random() / 3
        attendance.correct_shift(
            shift,
            started_at=start,
            ended_at=end,
            reason="property",
            actor=Actor.system(),
            by=self.people.olga,
        )
        return f"correct shift {shift.pk}"

    def erase(self):
        leads = list(Lead.objects.filter(organisation=self.people.org, erased_at__isnull=True))
        if not leads:
            return self.sync()
        lead = self.rng.choice(leads)
        erase_lead(lead, actor=Actor.for_user(self.people.olga.user), by=self.people.olga)
        return f"erase lead {lead.pk}"


def assert_whole_organisation_reads_its_own_rows(org, now) -> None:
    """The whole organisation's figures (read from its day and hour rows) equal the same
    selectors over every person's rows (the path a list of people takes)."""
    everyone = list(UserDay.objects.filter(organisation=org).values_list("user_id", flat=True).distinct())
    today = now.astimezone(org.tzinfo).date()
    for rng in (Range(today - dt.timedelta(days=1), today), Range(today, today)):
        for selector in (selectors.summary, selectors.by_hour, selectors.daily):
            assert selector(org, rng, None) == selector(org, rng, everyone), selector.__name__


@pytest.mark.parametrize("seed", [7, 2026])
def test_roll_ups_equal_a_direct_aggregate_after_every_step(acme, seed):
    rng = random.Random(seed)
    world = World(acme, rng)
    steps = (
        [world.sync] * 5
        + [world.resend] * 2
        + [world.manual] * 2
        + [world.twin] * 2
        + [world.punch, world.correct, world.erase, world.link]
    )
    for step in range(STEPS):
        try:
            done = rng.choice(steps)()
        except ActionError as exc:
            # A random punch or correction the rules refuse (an overlap): nothing was written.
            done = f"refused: {exc}"
        try:
            assert_rollups_match(acme.org)
            if step % WHOLE_EVERY == 0 or step == STEPS - 1:
                assert_whole_organisation_reads_its_own_rows(acme.org, world.now)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}, step {step} ({done}): {exc}") from exc
    # The loop did reach the interesting cases.
    assert (
        Call.objects.filter(number="", lead__erased_at__isnull=False).exists()
        or not Lead.objects.filter(erased_at__isnull=False).exists()
    )
    assert CallBack.objects.exists() and Call.objects.count() > 100
    assert world.absorbed and world.linked, (world.absorbed, world.linked)
