"""A lead's "Address" in Hindi is पता (issue 20 §3). The word takes the context "a lead": without
one, accounts' catalogue — the audit log's IP address, "पता (IP)" — wins over leads', as Django
merges the apps' catalogues with the first app in INSTALLED_APPS on top."""

from leadtracker.accounts.models import User


def test_a_leads_address_is_not_an_ip_address_in_hindi(acme, as_member, new_lead):
    User.objects.filter(pk=acme.olga.user_id).update(language="hi")
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], address="12 MG Road", by=acme.olga)
    client = as_member(acme.olga)
    for url in (f"/leads/{lead.pk}/", f"/leads/{lead.pk}/edit/"):
        page = client.get(url).content.decode()
        assert "पता" in page and "पता (IP)" not in page, url
