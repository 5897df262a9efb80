"""The schema stays ready to be distributed by organisation (Citus, docs/scaling.md).

Every table of our apps carries a direct foreign key to the organisation, and every unique
field or constraint on it includes that key — so each row, and each uniqueness check, lives on
one organisation's shard. A table that cannot (people, tokens looked up before the organisation
is known, the organisation itself) is listed in the placement table of docs/scaling.md with how
it is placed instead. A new table that is neither fails here.
"""

import re
from pathlib import Path

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from leadtracker.accounts.models import Organisation

DOC = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"
OUR_APPS = ("accounts", "attendance", "leads", "calls", "automation", "integrations", "privacy", "reports")
PLACEMENTS = {"reference", "coordinator", "lookup", "gap"}
SECTION = re.compile(r"<!-- placement:begin -->(.*?)<!-- placement:end -->", re.S)
ROW = re.compile(r"^\|\s*`(?P<table>\w+)`\s*\|\s*(?P<placement>\w+)\s*\|\s*(?P<why>.*?)\s*\|\s*$", re.M)


def listed_tables(text: str) -> dict[str, str]:
    """Table name -> placement, from the marked section of the doc. A row must say why."""
    section = SECTION.search(text)
    assert section, "docs/scaling.md lost its <!-- placement:begin/end --> section"
    listed = {}
    for row in ROW.finditer(section.group(1)):
        assert row["placement"] in PLACEMENTS, (row["table"], row["placement"], sorted(PLACEMENTS))
        assert len(row["why"]) > 10, f"{row['table']}: say how and why it is placed so"
        listed[row["table"]] = row["placement"]
    return listed


def organisation_field(model):
    for field in model._meta.concrete_fields:
        if field.name == "organisation" and field.is_relation and field.related_model is Organisation:
            return field
    return None


def unique_sets(model):
    """Every set of columns the database keeps unique, besides the primary key."""
    opts = model._meta
    for field in opts.concrete_fields:
        if field.unique and not field.primary_key:
            yield f"field {field.name}", {field.name}
    for fields in opts.unique_together:
        yield f"unique_together {fields}", set(fields)
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            # An expression-only constraint names no fields: it cannot include the organisation.
            yield f"constraint {constraint.name}", set(constraint.fields)


def problems(model_list, listed: dict[str, str]) -> list[str]:
    found = []
    for model in model_list:
        table = model._meta.db_table
        if table in listed or not model._meta.managed:
            continue
        org = organisation_field(model)
        if org is None:
            found.append(
                f"{table}: no organisation foreign key (add one, or list the table in docs/scaling.md)"
            )
            continue
        for what, fields in unique_sets(model):
            if org.name not in fields:
                found.append(f"{table}: {what} does not include the organisation")
    return found


def our_models():
    return [
        model
        for label in OUR_APPS
        if label in {a.label for a in apps.get_app_configs()}
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def test_every_table_of_ours_is_keyed_by_organisation_or_placed_in_the_doc():
    models_ = our_models()
    assert len(models_) >= 35, len(models_)  # the walk found the schema; it cannot pass on nothing
    found = problems(models_, listed_tables(DOC.read_text()))
    assert found == [], "\n".join(found)


def test_the_doc_lists_no_table_that_already_complies():
    """A listed table that has become compliant should leave the list, so the list stays the
    true set of exceptions (otherwise a gap fixed in code would still read as a gap)."""
    listed = listed_tables(DOC.read_text())
    for model in our_models():
        table = model._meta.db_table
        if table in listed and listed[table] == "gap":
            assert problems([model], {}), f"{table} is listed as a gap but complies now: remove it"


@isolate_apps("leadtracker.leads")
def test_a_new_unlisted_table_fails_until_it_is_keyed_or_listed():
    class Orphan(models.Model):  # noqa: DJ008 (throwaway model of this test)
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "leads"
            db_table = "leads_orphan"

    class GloballyUnique(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
        code = models.CharField(max_length=20, unique=True)
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "leads"
            db_table = "leads_globally_unique"
            constraints = [models.UniqueConstraint(fields=["name"], name="gu_name")]

    class Scoped(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "leads"
            db_table = "leads_scoped"
            constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="scoped_name")]

    found = problems([Orphan, GloballyUnique, Scoped], {})
    assert found == [
        "leads_orphan: no organisation foreign key (add one, or list the table in docs/scaling.md)",
        "leads_globally_unique: field code does not include the organisation",
        "leads_globally_unique: constraint gu_name does not include the organisation",
    ]
    doc = (
        "<!-- placement:begin -->\n| table | placement | how |\n|---|---|---|\n"
        "| `leads_orphan` | reference | replicated to every node: small and global |\n"
        "| `leads_globally_unique` | lookup | found by code before the organisation is known |\n"
        "<!-- placement:end -->"
    )
    assert problems([Orphan, GloballyUnique, Scoped], listed_tables(doc)) == []


def test_the_two_closed_gaps_are_walked_unlisted_and_comply():
    """Closed by leads/0008 (a rule's agents through a table with the organisation) and
    privacy/0006 (acceptances unique per organisation): walked, not excused, compliant."""
    walked = {model._meta.db_table: model for model in our_models()}
    listed = listed_tables(DOC.read_text())
    for table in ("leads_assignmentruleagent", "privacy_noticeacceptance"):
        assert table in walked and table not in listed, table
        assert problems([walked[table]], {}) == [], table
    # Automatic many-to-many tables are walked too (Django's auth links are), so the rule's
    # agents going back to one would fail the first test; today there is none for them.
    assert "accounts_user_groups" in walked
    assert "leads_assignmentrule_agents" not in walked


@isolate_apps("leadtracker.leads")
def test_the_old_shapes_of_the_two_gaps_fail():
    from django.contrib.auth import get_user_model

    class OldRule(models.Model):  # noqa: DJ008 (throwaway model of this test)
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
        agents = models.ManyToManyField(get_user_model(), related_name="+")

        class Meta:
            app_label = "leads"
            db_table = "leads_old_rule"

    class OldAcceptance(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
        rule = models.ForeignKey(OldRule, on_delete=models.CASCADE, related_name="+")
        user = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "leads"
            db_table = "leads_old_acceptance"
            constraints = [models.UniqueConstraint(fields=["rule", "user"], name="old_once")]

    assert problems([OldRule, OldRule.agents.through, OldAcceptance], {}) == [
        "leads_old_rule_agents: no organisation foreign key (add one, or list the table in docs/scaling.md)",
        "leads_old_acceptance: constraint old_once does not include the organisation",
    ]
