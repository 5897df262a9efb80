"""The trash's refusals in Hindi (issue 20 §3): the API answers a person who reads Hindi why a
lead cannot be deleted in Hindi, with the same status codes."""

from leadtracker.accounts.models import User


def test_the_trash_refuses_in_hindi(acme, api_as, new_lead):
    User.objects.filter(pk__in=[acme.alice.user_id, acme.maya.user_id]).update(language="hi")
    lead = new_lead(acme, name="Raj", phones=["98765 43210"], by=acme.alice)
    refused = api_as(acme.alice).delete(f"/api/v1/leads/{lead.pk}")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "लीड सिर्फ़ मैनेजर और एडमिन हटा सकते हैं"
