"""The demo organisation has a published privacy notice, accepted by every demo member, so its
public page shows it and signing in is not held up."""

from django.core.management import call_command
from django.test import Client

from leadtracker.accounts.demo import DEMO_PASSWORD, email_of
from leadtracker.accounts.models import Membership, Organisation
from leadtracker.privacy import selectors
from leadtracker.privacy.models import NoticeAcceptance


def test_demo_has_a_published_notice_everyone_accepted(db):
    call_command("demo")
    org = Organisation.objects.get(slug="demo")
    notice = selectors.effective_notice(org.pk)
    assert notice is not None and notice.version == 1 and notice.items
    members = Membership.objects.filter(organisation=org)
    assert set(NoticeAcceptance.objects.filter(notice=notice).values_list("user_id", flat=True)) == set(
        members.values_list("user_id", flat=True)
    )
    public = Client().get("/privacy/demo/")
    assert public.status_code == 200 and notice.title in public.content.decode()
    client = Client()
    client.post("/login/", {"email": email_of("sunil"), "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200  # not sent to accept first
    call_command("demo")  # idempotent: still one version
    call_command("demo", reset=True)  # a reset deletes the published version with its organisation
    assert selectors.effective_notice(Organisation.objects.get(slug="demo").pk).version == 1
