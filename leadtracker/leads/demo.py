"""Demo leads: a few hundred across statuses, sources and owners, with notes and follow-ups."""

import datetime as dt
import random

from django.utils import timezone

from leadtracker.accounts.audit import Actor
from leadtracker.leads.actions.assignment import save_assignment_rule
from leadtracker.leads.actions.follow_ups import schedule_follow_up
from leadtracker.leads.actions.leads import DuplicateLead, LeadData, add_note, change_status, create_lead
from leadtracker.leads.actions.saved_views import save_view
from leadtracker.leads.actions.settings import source_named
from leadtracker.leads.models import Activity, ActivityKind, Lead, LeadStatus

FIRST = [
    "Aarav",
    "Vivaan",
    "Aditya",
    "Priya",
    "Ananya",
    "Diya",
    "Rohan",
    "Kavya",
    "Ishaan",
    "Meera",
    "Arjun",
    "Sneha",
    "Karthik",
    "Lakshmi",
    "Imran",
    "Fatima",
    "Gurpreet",
    "Simran",
    "Rahul",
    "Neha",
    "Suresh",
    "Pooja",
    "Vikram",
    "Anjali",
    "राजेश",
    "सुनीता",
    "Joseph",
    "Mary",
    "Harish",
    "Deepa",
]
LAST = [
    "Sharma",
    "Verma",
    "Iyer",
    "Nair",
    "Reddy",
    "Khan",
    "Singh",
    "Gupta",
    "Mehta",
    "Patel",
    "Das",
    "Rao",
    "Kulkarni",
    "Joshi",
    "Menon",
    "Banerjee",
    "Chopra",
    "Pillai",
    "Sheikh",
    "D'Souza",
]
COMPANIES = [
    "",
    "",
    "",
    "Sai Infra Pvt Ltd",
    "Shree Traders",
    "Green Valley Homes",
    "Apex Motors",
    "Bharat Textiles",
    "Om Logistics",
    "Sunrise Clinics",
]
CITIES = [
    "Mumbai",
    "Pune",
    "Bengaluru",
    "Hyderabad",
    "Chennai",
    "Delhi",
    "Jaipur",
    "Kolkata",
    "Ahmedabad",
    "Bhubaneswar",
    "Kochi",
    "Lucknow",
]
SOURCES = ["Website", "Facebook Lead Ads", "IndiaMART", "JustDial", "99acres", "Walk-in", "Referral"]
NOTES = [
    "Wants a 2BHK near the metro.",
    "Asked for the price list on WhatsApp.",
    "Budget around ₹60 lakh.",
    "Call after 6 pm.",
    "Visiting the site on Sunday.",
    "Comparing with two other builders.",
    "Needs a home loan; share bank contacts.",
    "Interested, but moving only next year.",
]
# How the demo's leads spread over the pipeline (New … Lost).
WEIGHTS = {
    "New": 30,
    "Contacted": 25,
    "Interested": 15,
    "Meeting/Site visit": 10,
    "Negotiation": 6,
    "Won": 8,
    "Lost": 6,
}


def add_demo_leads(org, members, count: int = 300) -> None:
    rng = random.Random(2026)
    owner = members["owner"]
    agents = [m for m in members.values() if m.role == "agent"]
    statuses = {s.name: s for s in LeadStatus.objects.filter(organisation=org)}
    sources = [source_named(org, name) for name in SOURCES]
    save_assignment_rule(
        org,
        name="Website round-robin",
        source=sources[0],
        agent_ids=[a.user_id for a in agents[:3]],
        actor=Actor.for_user(owner.user),
    )
    now = timezone.now()
    for i in range(count):
        agent = agents[i % len(agents)]
        actor = Actor.for_user(agent.user)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        phone = f"+91{rng.choice('6789')}{rng.randrange(10**8, 10**9)}"
        data = LeadData(
            name=name,
            company=rng.choice(COMPANIES),
            phones=[phone],
            city=rng.choice(CITIES),
            email=f"{name.split()[0].lower()}.{i}@example.in"
            if rng.random() < 0.6 and name.isascii()
            else "",
            source=rng.choice(sources),
            owner_id=agent.user_id if i % 10 else None,
            value=rng.choice([None, 2500000, 4500000, 6000000, 8500000, 12000000]),
            tags=rng.sample(["hot", "2BHK", "3BHK", "loan", "NRI", "diwali"], k=rng.randint(0, 2)),
        )
        # A lead whose number or e-mail is taken is the existing one, as on_duplicate="skip" would
        # give it; but "error" lets the insert find the duplicate, where "skip" looks first (two
        # statements on every create: ~7% of the demo's CPU).
        try:
            lead, _ = create_lead(org, data, actor=actor, by=None, auto_assign=False)
        except DuplicateLead as taken:
            lead = taken.existing
        created = now - dt.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 12))
        Lead.objects.filter(pk=lead.pk).update(created_at=created, updated_at=created)
        status = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if status != "New":
            change_status(
                lead,
                statuses[status],
                actor=actor,
                by=None,
                lost_reason="Budget too low" if status == "Lost" else "",
            )
        if rng.random() < 0.5:
            add_note(lead, rng.choice(NOTES), actor=actor, by=None)
        if statuses[status].kind == "open" and lead.owner_id:
            due = now + dt.timedelta(hours=rng.randint(-30, 120))
            schedule_follow_up(
                lead,
                due_at=due,
                kind=rng.choice(["call", "call", "meeting", "whatsapp"]),
                actor=actor,
                by=None,
            )
        _back_date_timeline(lead, created, now)
    _demo_views(members, statuses)


def _back_date_timeline(lead, created, now) -> None:
    """The lead is back-dated, and so its timeline: "Lead created" on the day it was made, its
    first status, note and follow-up within the hour — not "Today", above calls of weeks ago."""
    Activity.objects.filter(lead=lead, kind=ActivityKind.CREATED).update(at=created)
    Activity.objects.filter(lead=lead).exclude(kind=ActivityKind.CREATED).update(
        at=min(created + dt.timedelta(hours=1), now)
    )


def _demo_views(members, statuses) -> None:
    """A saved view of an agent's own and one a manager shares with the team, so the list
    shows both kinds from the start."""
    managers = [m for m in members.values() if m.role == "manager"]
    agents = [m for m in members.values() if m.role == "agent"]
    if agents:
        save_view(
            agents[0],
            "My hot leads",
            query=f"status={statuses['Interested'].pk}&sort=next_follow_up",
            columns=["status", "follow_up", "value"],
            actor=Actor.for_user(agents[0].user),
        )
    if managers:
        save_view(
            managers[0],
            "Site visits this week",
            query=f"status={statuses['Meeting/Site visit'].pk}&follow_up=week",
            columns=["status", "follow_up", "owner"],
            shared=True,
            actor=Actor.for_user(managers[0].user),
        )
