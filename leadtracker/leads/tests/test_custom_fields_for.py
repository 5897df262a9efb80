"""fields_for (a statement written once per shape) reads the fields the ORM's queryset read: the
organisation's, archived ones only when asked, hidden ones left out for agents, by position and
id, each field's values (its choices' JSON, its dates) as the ORM gives them."""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadtracker.leads.fields.clean import hides_from
from leadtracker.leads.fields.models import CustomField
from leadtracker.leads.fields.selectors import fields_for


def by_orm(viewer, archived: bool) -> list[CustomField]:
    qs = CustomField.objects.filter(organisation_id=viewer.organisation_id)
    if not archived:
        qs = qs.filter(archived_at__isnull=True)
    if hides_from(viewer):
        qs = qs.filter(hidden_from_agents=False)
    return list(qs)


def values(fields: list[CustomField]) -> list[dict]:
    return [
        {f.attname: getattr(field, f.attname) for f in CustomField._meta.concrete_fields} for field in fields
    ]


def test_the_fields_are_the_querysets(acme, globex):
    rng = random.Random(20)
    viewers = [acme.olga, acme.adam, acme.alice, globex.olga]
    for i in range(40):
        org = rng.choice([acme.org, globex.org])
        CustomField.objects.create(
            organisation=org,
            key=f"f{i}",
            label=f"Field {i}",
            type=rng.choice(["text", "choice", "number", "date"]),
            choices=rng.sample(["a", "b", "ग", "d"], rng.randint(0, 3)),
            required=rng.random() < 0.3,
            position=rng.randint(0, 5),
            hidden_from_agents=rng.random() < 0.4,
            archived_at=timezone.now() if rng.random() < 0.25 else None,
        )
        if i % 8 == 7:
            for viewer in viewers:
                for archived in (False, True):
                    with CaptureQueriesContext(connection) as ctx:
                        got = fields_for(viewer, archived=archived)
                    assert len(ctx.captured_queries) == 1
                    assert values(got) == values(by_orm(viewer, archived))
                    assert all(isinstance(f, CustomField) and not f._state.adding for f in got)
    assert any(f.hidden_from_agents for f in fields_for(acme.olga))  # the cases were there
    assert not any(f.hidden_from_agents for f in fields_for(acme.alice))
