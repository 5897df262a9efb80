"""A notification is written in its recipient's language, not in that of whoever caused it: an
admin working in English answers a support request, and the member who chose हिन्दी reads the
bell (and the push that carries its text) in Hindi. Plain texts are stored as they are, with no
query to find anyone's language."""

from django.utils import translation
from django.utils.translation import gettext_lazy

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Notification, Organisation, User
from leadtracker.accounts.notifications import later, notify, notify_many
from leadtracker.accounts.support import actions


def test_an_answer_is_announced_in_the_askers_language(acme):
    User.objects.filter(pk=acme.alice.user_id).update(language="hi")
    asked = actions.file_support_request(
        acme.alice, subject="Phone not syncing", message="Since Monday", actor=Actor.for_user(acme.alice.user)
    )
    with translation.override("en-in"):
        actions.answer_support_request(
            asked, answer="Restart Termux", actor=Actor.for_user(acme.olga.user), by=acme.olga
        )
    note = Notification.objects.get(user_id=acme.alice.user_id)
    assert note.text == "आपके सपोर्ट अनुरोध “Phone not syncing” का जवाब आ गया है"


def test_many_at_once_each_in_their_own_language(acme, django_assert_num_queries):
    Organisation.objects.filter(pk=acme.org.pk).update(language="hi")
    User.objects.filter(pk=acme.bob.user_id).update(language="en-in")  # chose English himself
    text = later(gettext_lazy("Your support request “%(subject)s” has an answer"), subject="Leads")
    with translation.override("en-in"):
        notify_many(
            acme.org.pk,
            [{"user_id": m.user_id, "text": text, "url": "/help/"} for m in (acme.alice, acme.bob)],
        )
    texts = dict(Notification.objects.values_list("user_id", "text"))
    assert texts[acme.alice.user_id] == "आपके सपोर्ट अनुरोध “Leads” का जवाब आ गया है"  # the organisation's
    assert texts[acme.bob.user_id] == "Your support request “Leads” has an answer"
    with django_assert_num_queries(2):  # the notification and whether a browser is subscribed
        notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="Plain text", url="/")
