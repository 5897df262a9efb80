"""The push after a call speaks its person's language (issue 20 §3): the worker sends it outside
any request, so it takes the person's language, not the one active when the job runs."""

import pytest
from django.utils import translation

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.push import actions
from leadtracker.accounts.tests.push_service import Browser
from leadtracker.calls.models import Call
from leadtracker.calls.tasks import send_call_prompt
from leadtracker.testing import call, make_lead, open_shift, paired_client, send, start_test_clock


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("hi", "कॉल कैसी रही?", "Asha Sharma से कॉल ख़त्म · 2m 10s — कैसी रही?"),
        ("", "How did it go?", "Call with Asha Sharma ended · 2m 10s — how did it go?"),
    ],
)
def test_the_call_prompt_in_the_persons_language(acme, service, language, title, body):
    start_test_clock()
    acme.alice.user.language = language
    acme.alice.user.save(update_fields=["language"])
    open_shift(acme.alice)
    browser = Browser()
    actions.subscribe(
        acme.alice, endpoint=service.endpoint(), keys=browser.keys(), actor=Actor.for_user(acme.alice.user)
    )
    make_lead(acme, owner=acme.alice, name="Asha Sharma", phone="+919811111111")
    rows = [call(1, number="+919811111111", minutes_ago=3, duration_s=130)]
    assert send(paired_client(acme.alice), rows).status_code == 200
    with translation.override("en-in" if language == "hi" else "hi"):  # the worker's, not hers
        assert send_call_prompt.call(Call.objects.get().pk)["sent"] == 1
    [request] = service.received
    sent = browser.decrypt(request["body"])
    assert (sent["title"], sent["body"]) == (title, body)
