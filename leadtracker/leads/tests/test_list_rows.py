"""Issue 21: the leads page's rows are made by the view (leads/views/list_rows.py), not by the
template engine row by row — their link, their tick box's label and the whole row the same
markup and text as leads/_rows.html wrote, in English and in Hindi, every value escaped once."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Organisation
from leadtracker.leads.actions.saved_views import set_columns
from leadtracker.leads.fields import actions as field_actions
from leadtracker.leads.fields.selectors import fields_for
from leadtracker.leads.models import Lead, LeadSource
from leadtracker.leads.views import list_rows

AS_THE_TEMPLATE_DID = (
    "{% load i18n %}{% url 'lead_detail' lead.pk %}|"
    "{% blocktranslate %}Select {{ lead }}{% endblocktranslate %}"
)


@pytest.mark.parametrize("language", ["en", "hi"])
def test_link_and_label_as_the_template_wrote_them(acme, new_lead, language):
    leads = [
        new_lead(acme, name='Raj & <b>Sons</b> "Pune"', phones=["98765 43210"], by=acme.olga),
        new_lead(acme, name="राजेश कुमार", phones=["91234 56789"], by=acme.olga),
    ]
    with translation.override(language):
        rows = list_rows.ready(acme.olga, leads)
        for lead in rows:
            expected = Template(AS_THE_TEMPLATE_DID).render(Context({"lead": lead}))
            made = Template("{{ lead.link }}|{{ lead.select_label }}").render(Context({"lead": lead}))
            assert made == expected
            assert lead.link == reverse("lead_detail", args=[lead.pk])
    assert "&lt;b&gt;Sons&lt;/b&gt;" in str(rows[0].select_label)


def test_the_leads_page_links_each_row(acme, new_lead, as_member):
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.olga)
    page = as_member(acme.olga).get("/leads/").content.decode()
    assert f'href="/leads/{lead.pk}/"' in page
    assert 'aria-label="Select Raj"' in page


# leads/_rows.html's rows before issue 21 moved them into Python, as they were.
ROWS_AS_THE_TEMPLATE_WROTE_THEM = """{% load i18n fieldtags %}
{% translate "do not call" as do_not_call_text %}
{% translate "Value" as value_text %}
{% translate "Overdue" as overdue_text %}
{% translate "Next:" as next_text %}
{% translate "Call" as call_text %}
{% translate "WhatsApp" as whatsapp_text %}
{% for lead in leads %}
  <tr class="lead-row">
    {% if membership.rank >= 2 %}
      <td class="tick">
        <input type="checkbox" name="ids" value="{{ lead.pk }}" aria-label="{{ lead.select_label }}">
      </td>
    {% endif %}
    <td class="lead-main">
      <a class="lead-name" href="{{ lead.link }}">{{ lead }}</a>
      {% if lead.do_not_call %}
        <span class="badge off">{{ do_not_call_text }}</span>
      {% endif %}
      <div class="muted lead-sub">
        {{ lead.company }}{% if lead.company and lead.city %} · {% endif %}{{ lead.city }}\
<span class="desk-only">{% if lead.phone_shown %}{% if lead.company or lead.city %} ·{% endif %}\
 {{ lead.phone_shown }}{% endif %}</span>
      </div>
      {% if lead.value is not None %}
        <div class="phone-only lead-value">
          <span class="muted">{{ value_text }}</span> {{ lead.value|inr }}
        </div>
      {% endif %}
      {% for f in filtered_fields %}
        <div class="{% if f in custom_columns %}phone-only {% endif %}lead-filtered">
          <span class="muted">{{ f.label }}</span> {{ lead|custom_value:f }}
        </div>
      {% endfor %}
    </td>
    <td class="col-status{% if 'status' not in columns %} off{% endif %}">
      <span class="pill c-{{ lead.status.chip }}">{{ lead.status.name }}</span>
    </td>
    <td class="col-follow_up{% if 'follow_up' not in columns %} off{% endif %}">
      {% if lead.next_follow_up_at %}
        {% if lead.next_follow_up_at < now %}
          <span class="late">{{ overdue_text }} · {{ lead.next_follow_up_at|when }}</span>
        {% else %}
          <span class="phone-only muted">{{ next_text }}</span> {{ lead.next_follow_up_at|when }}
        {% endif %}
      {% else %}
        <span class="muted desk-only">—</span>
      {% endif %}
    </td>
    {% if "owner" in columns %}<td class="col-owner">{{ lead.owner|default:"—" }}</td>{% endif %}
    {% if "source" in columns %}
      <td class="col-source">
        {% if lead.source %}
          <span class="pill c-{{ lead.source.chip }}">{{ lead.source.name }}</span>
        {% else %}
          —
        {% endif %}
      </td>
    {% endif %}
    {% if "value" in columns %}<td class="col-value">{{ lead.value|inr }}</td>{% endif %}
    {% if "created" in columns %}<td class="col-created">{{ lead.created_at|day }}</td>{% endif %}
    {% for f in custom_columns %}<td class="col-custom">{{ lead|custom_value:f }}</td>{% endfor %}
    {% if lead.phone and not lead.phone_masked %}
      <td class="contact">
        {% if not lead.do_not_call %}
          <a class="button call primary" href="tel:{{ lead.phone }}">{{ call_text }}</a>
        {% endif %}
        <a class="button secondary wa"
           href="https://wa.me/{{ lead.phone|slice:'1:' }}"
           target="_blank"
           rel="noopener">{{ whatsapp_text }}</a>
      </td>
    {% endif %}
  </tr>
{% endfor %}"""

# Whitespace as a browser reads it: a run is one space, and none next to a row, cell or block.
_BLOCK_EDGE = re.compile(r" ?(</?(?:tr|td|div)\b[^>]*>) ?")


def as_read(html: str) -> str:
    return _BLOCK_EDGE.sub(r"\1", re.sub(r"\s+", " ", html)).strip()


@pytest.fixture
def varied(acme, new_lead):
    """Leads with and without each thing a row shows."""
    sys = Actor.system()
    budget = field_actions.create_field(acme.org, label="Budget <₹>", type="money", actor=sys).key
    visit = field_actions.create_field(acme.org, label="Visit", type="date", actor=sys).key
    source = LeadSource.objects.create(organisation=acme.org, name="Walk-in & <Ads>")
    now = timezone.now()
    made = [
        new_lead(
            acme,
            name='Raj & <b>Sons</b> "Pune"',
            company="A&B <Co>",
            city="Pune",
            phone="98765 43210",
            value=4500000,
            do_not_call=True,
            source=source,
            owner=acme.alice,
            custom_fields={budget: 4500000, visit: "2026-01-05"},
        ),
        new_lead(acme, name="राजेश कुमार", city="Nashik", phone="91234 56789", owner=acme.alice),
        new_lead(
            acme, name="", company="Only Co", email="x@example.com", custom_fields={visit: "2025-02-01"}
        ),
        new_lead(acme, name="Anil", phone="99887 76655", value=0, owner=acme.bob),
    ]
    for lead, due in zip(made, (now - dt.timedelta(days=2), now + dt.timedelta(hours=3)), strict=False):
        Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=due)
    return acme


def both(viewer, **page):
    leads = list(
        Lead.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("status", "source", "owner")
        .order_by("pk")
    )
    rows = list_rows.ready(viewer, leads)
    context = {"leads": rows, "membership": viewer, **page}
    was = Template(ROWS_AS_THE_TEMPLATE_WROTE_THEM).render(Context(context))
    return as_read(str(list_rows.rows(rows, rank=viewer.rank, **page))), as_read(was)


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("who", ["olga", "alice"])
def test_the_rows_are_what_the_template_wrote(varied, who, language):
    viewer = getattr(varied, who)
    if who == "alice":  # an agent of an organisation that masks others' numbers: Anil's is masked
        Organisation.objects.filter(pk=varied.org.pk).update(mask_other_numbers=True)
        viewer.organisation.refresh_from_db()
    custom = fields_for(viewer)
    every = [
        "status",
        "follow_up",
        "owner",
        "source",
        "value",
        "created",
        *(f"fields.{f.key}" for f in custom),
    ]
    now = timezone.now()
    with translation.override(language):
        for columns, shown, filtered in (
            (every, custom, custom[:1]),
            (["owner"], [], custom),
            (["status", "follow_up"], custom[1:], []),
        ):
            made, was = both(viewer, columns=columns, custom_columns=shown, filtered_fields=filtered, now=now)
            assert made == was
    assert "&lt;b&gt;Sons&lt;/b&gt;" in made and "A&amp;B &lt;Co&gt;" in made


def test_the_leads_page_shows_them(acme, new_lead, as_member):
    new_lead(acme, name="Raj & Sons", company="RS", phones=["98765 43210"], by=acme.olga)
    set_columns(acme.olga, ["status", "owner"], actor=Actor.system())
    page = as_member(acme.olga).get("/leads/").content.decode()
    assert '<a class="lead-name" href="/leads/' in page and ">Raj &amp; Sons</a>" in page
    assert page.count('<tr class="lead-row">') == 1 and '<td class="col-owner">' in page
