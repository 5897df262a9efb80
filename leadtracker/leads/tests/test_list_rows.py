"""Issue 21: the leads page's rows get their link and their tick box's label from the view
(leads/views/list_rows.py), not a {% url %} and a {% blocktranslate %} per row — the same text
as those tags write, in English and in Hindi, a name with HTML in it escaped once."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

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
