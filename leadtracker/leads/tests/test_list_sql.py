"""leads/list_sql (issue 21): the API list's common shapes by a statement written once per shape
give exactly what the ORM's path gives — the same rows, keys, values and types, and the same
cursors, page after page — for every role, with no filter, a status, an owner or both, sorted
by each of the list's columns either way, on random leads with ties and empty values."""

import datetime as dt
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadtracker.leads import list_sql, selectors
from leadtracker.leads.api.leads import LIST_FIELDS, LIST_RELATED, SORT_FIELDS, _parse_sort_value
from leadtracker.leads.models import Lead, LeadSource, LeadStatus
from leadtracker.lib.errors import ActionError
from leadtracker.lib.pagination import encode_cursor, keyset_sorted

PEOPLE = ("olga", "adam", "maya", "mani", "mark", "alice", "bob", "carl")


def filters(**given):
    names = ("q", "status", "owner", "team", "source", "tag", "follow_up", "created_from", "created_to")
    made = SimpleNamespace(**dict.fromkeys(names), unassigned=False, field=[])
    made.q = ""
    for key, value in given.items():
        setattr(made, key, value)
    return made


def by_orm(viewer, f, field, descending, cursor, limit):
    qs = selectors.filter_leads(selectors.leads_for(viewer), viewer, status=f.status, owner=f.owner)
    return keyset_sorted(
        qs.values(*LIST_FIELDS, **LIST_RELATED),
        field=field,
        descending=descending,
        cursor=cursor,
        limit=limit,
        parse=_parse_sort_value(field),
    )


def by_sql(viewer, f, field, descending, cursor, limit):
    assert list_sql.covers(f, field)
    return list_sql.page(
        viewer,
        f,
        field=field,
        descending=descending,
        cursor=cursor,
        limit=limit,
        parse=_parse_sort_value(field),
    )


def typed(found):
    rows, cursor = found
    return [{k: (v, type(v)) for k, v in row.items()} for row in rows], cursor


@pytest.fixture
def many(acme, globex, new_lead):
    """60 leads with random owners (nobody among them), statuses, sources, values, and times
    with ties and gaps; and one lead of another organisation."""
    rng = random.Random(21)
    new_lead(acme, name="First", phones=["98765 43210"], by=acme.alice, tags=["a"])
    new_lead(globex, name="Elsewhere", phones=["98765 43211"], by=globex.olga)
    statuses = list(LeadStatus.objects.filter(organisation=acme.org))
    sources = [LeadSource.objects.create(organisation=acme.org, name=n) for n in ("Ads", "Walk-in")] + [None]
    owners = [getattr(acme, p).user_id for p in PEOPLE] + [None, None]
    base = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    moments = [base + dt.timedelta(hours=h) for h in (0, 0, 1, 5, 5, 30)] + [None]
    Lead.objects.bulk_create(
        Lead(
            organisation=acme.org,
            name=rng.choice(["Raj", "Asha", "raj", "Zoë", "", "Asha"]),
            email=f"p{i}@x.in",
            status=rng.choice(statuses),
            source=rng.choice(sources),
            owner_id=rng.choice(owners),
            value=rng.choice([None, Decimal("1250.50"), Decimal("7")]),
            created_at=rng.choice(moments[:-1]),
            updated_at=rng.choice(moments[:-1]),
            next_follow_up_at=rng.choice(moments),
            last_contacted_at=rng.choice(moments),
            do_not_call=rng.random() < 0.3,
            extra=rng.choice([{}, {"ad": [1, "x"]}]),
            custom_fields=rng.choice([{}, {"budget": 5}]),
        )
        for i in range(60)
    )
    return SimpleNamespace(statuses=statuses, owners=owners, rng=rng)


def test_every_shape_every_page_as_the_orm(acme, many):
    rng = many.rng
    sorts = [(field, descending) for field in SORT_FIELDS.values() for descending in (False, True)]
    compared = 0
    for who in PEOPLE:
        viewer = getattr(acme, who)
        status, owner = rng.choice(many.statuses).pk, rng.choice([viewer.user_id, *many.owners[:-2]])
        for f in (
            filters(),
            filters(status=status),
            filters(owner=owner),
            filters(status=status, owner=owner),
        ):
            for field, descending in rng.sample(sorts, 2):
                limit, cursor = rng.choice([3, 7, 50]), None
                while True:
                    expected = typed(by_orm(viewer, f, field, descending, cursor, limit))
                    found = typed(by_sql(viewer, f, field, descending, cursor, limit))
                    assert found == expected, (who, f, field, descending, cursor)
                    compared += 1
                    cursor = expected[1]
                    if cursor is None:
                        break
    assert compared > 100


def test_cursors_that_are_not_ours_and_ids_no_column_holds(acme, many):
    viewer = acme.olga
    f = filters()
    with pytest.raises(ActionError):
        by_sql(viewer, f, "created_at", True, encode_cursor(["not a time", 1]), 5)
    # A cursor at a time UTC cannot hold, a naive time, a name that is a number: as the ORM.
    for field, value in (("created_at", "2026-12-01T09:00:00"), ("name", 5), ("next_follow_up_at", None)):
        cursor = encode_cursor([value, 3])
        assert typed(by_sql(viewer, f, field, False, cursor, 5)) == typed(
            by_orm(viewer, f, field, False, cursor, 5)
        )
    # Not a pair: the first page, as keyset_sorted reads it.
    assert by_sql(viewer, f, "name", False, encode_cursor([1]), 3) == by_orm(
        viewer, f, "name", False, None, 3
    )
    # Ids no column holds: left to the ORM (which reads nothing for them).
    assert (
        list_sql.page(
            viewer, filters(status=2**70), field="name", descending=False, cursor=None, limit=5, parse=str
        )
        is None
    )


def test_other_filters_and_sorts_keep_the_orm(acme):
    assert list_sql.covers(filters(status=1, owner=2), "next_follow_up_at")
    for given in (
        {"q": "raj"},
        {"team": 3},
        {"source": 1},
        {"tag": 1},
        {"follow_up": "today"},
        {"unassigned": True},
        {"field": ["budget=5"]},
        {"created_from": dt.date(2026, 1, 1)},
    ):
        assert not list_sql.covers(filters(**given), "created_at"), given
    assert not list_sql.covers(filters(), "custom_sort")
    assert list_sql.covers(filters(q="  "), "created_at")  # a blank search is no search


@pytest.mark.parametrize("who", ["olga", "maya", "alice"])
def test_the_api_reads_it_in_the_pinned_statements(acme, many, api_as, who):
    client = api_as(getattr(acme, who))
    client.get("/api/v1/leads?limit=5&sort=-created")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/leads?limit=5&sort=-created")
    assert response.status_code == 200
    lists = [q["sql"] for q in ctx.captured_queries if "leads_lead" in q["sql"] and "LIMIT 6" in q["sql"]]
    assert len(lists) == 1 and " l.organisation_id = " in lists[0], lists


def columns(obj) -> dict | None:
    return None if obj is None else {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def as_models(found):
    leads, cursor = found
    return [
        (columns(lead), *(columns(getattr(lead, name)) for name in ("status", "source", "owner")))
        for lead in leads
    ], cursor


def test_the_leads_page_gets_the_leads_select_related_gives(acme, many):
    """models=True (the leads page): the leads, their status, source and owner (None where
    there is none), page after page, as keyset_sorted over select_related gives them."""
    rng = many.rng
    sorts = [(field, descending) for field in SORT_FIELDS.values() for descending in (False, True)]
    for who in ("olga", "maya", "alice"):
        viewer = getattr(acme, who)
        status = rng.choice(many.statuses).pk
        for f in (filters(), filters(status=status), filters(owner=viewer.user_id)):
            for field, descending in rng.sample(sorts, 3):
                cursor, parse = None, _parse_sort_value(field)
                while True:
                    qs = selectors.filter_leads(
                        selectors.leads_for(viewer), viewer, status=f.status, owner=f.owner
                    ).select_related("status", "source", "owner")
                    expected = as_models(
                        keyset_sorted(
                            qs, field=field, descending=descending, cursor=cursor, limit=9, parse=parse
                        )
                    )
                    found = list_sql.page(
                        viewer,
                        f,
                        field=field,
                        descending=descending,
                        cursor=cursor,
                        limit=9,
                        parse=parse,
                        models=True,
                    )
                    assert as_models(found) == expected, (who, f, field, descending, cursor)
                    assert all(not lead._state.adding for lead in found[0])
                    cursor = expected[1]
                    if cursor is None:
                        break
