"""Support: the help page with the organisation's contact, filing a request, admins answering."""

import pytest

from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import AuditEvent, Notification, SupportRequest
from leadtracker.accounts.support import actions


def file(member, subject="Cannot log a call", message="The button does nothing"):
    return actions.file_support_request(
        member, subject=subject, message=message, actor=Actor.for_user(member.user)
    )


def test_help_page_shows_the_support_contact_and_privacy_notice(acme, as_member):
    acme.org.support_email = "help@acme.test"
    acme.org.support_phone = "+91 80 4000 1234"
    acme.org.save()
    page = as_member(acme.alice).get("/help/").content.decode()
    assert "help@acme.test" in page and "+91 80 4000 1234" in page
    assert 'href="/privacy/acme/"' in page
    assert 'href="/help/"' in page  # the Help link in the navigation


def test_help_page_shows_a_stored_support_number_grouped_as_people_read_it(acme, as_member):
    """The demo (and the API) keep "+911140000000": the page said it in one block of 13 digits."""
    acme.org.support_phone = "+911140000000"
    acme.org.save()
    page = as_member(acme.alice).get("/help/").content.decode()
    assert '<a href="tel:+911140000000">+91 11 4000 0000</a>' in page


def test_help_page_says_plainly_when_no_contact_is_set(acme, as_member):
    page = as_member(acme.alice).get("/help/").content.decode()
    assert "has not set a support e-mail or phone" in page


def test_member_files_a_request_in_hindi_with_emoji(acme, as_member):
    client = as_member(acme.alice)
    response = client.post("/help/", {"subject": "कॉल लॉग नहीं हो रहा 📞", "message": "कृपया मदद करें 🙏"})
    assert response.status_code == 302
    item = SupportRequest.objects.get()
    assert (item.organisation_id, item.requester_id, item.status) == (acme.org.pk, acme.alice.user_id, "open")
    assert item.subject == "कॉल लॉग नहीं हो रहा 📞"
    assert "कॉल लॉग नहीं हो रहा 📞" in client.get("/help/").content.decode()
    event = AuditEvent.objects.get(action="support_request.file")
    # The audit log holds no words of the request: they may name people.
    assert event.object_id == str(item.pk) and event.changes == {"status": "open"}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"subject": "", "message": "x"}, "subject", "Subject is required"),
        ({"subject": "x", "message": "   "}, "message", "Message is required"),
        (
            {"subject": "स" * 151, "message": "x"},
            "subject",
            "Subject is too long: at most 150 characters (this has 151)",
        ),
        ({"subject": "x", "message": "🙏" * 5001}, "message", "Message is too long: at most 5000"),
    ],
)
def test_bad_input_names_the_field(acme, as_member, data, field, words):
    response = as_member(acme.alice).post("/help/", data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert field in response.context["form"].errors
    assert not SupportRequest.objects.exists()


def test_limits_count_characters_not_bytes(acme):
    item = file(acme.alice, subject="🙂" * 150, message="ह" * 5000)
    assert len(item.subject) == 150


def test_admin_answers_and_the_requester_is_notified_and_sees_it(acme, as_member):
    item = file(acme.alice)
    admin = as_member(acme.adam)
    queue = admin.get("/support/")
    assert queue.status_code == 200 and "Cannot log a call" in queue.content.decode()
    assert admin.get(f"/help/requests/{item.pk}/").status_code == 200
    response = admin.post(f"/help/requests/{item.pk}/", {"answer": "Update the app to 1.4 ✅"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.answered_by_id) == ("answered", acme.adam.user_id)
    note = Notification.objects.get(user_id=acme.alice.user_id)
    assert note.url == f"/help/requests/{item.pk}/" and "Cannot log a call" in note.text
    mine = as_member(acme.alice).get("/help/").content.decode()
    assert "Update the app to 1.4 ✅" in mine and "Answered" in mine
    assert AuditEvent.objects.get(action="support_request.answer").changes == {"status": ["open", "answered"]}


def test_empty_answer_names_the_field(acme, as_member):
    item = file(acme.alice)
    response = as_member(acme.olga).post(f"/help/requests/{item.pk}/", {"answer": ""})
    assert response.status_code == 400 and "Answer is required" in response.content.decode()
    assert not Notification.objects.exists()


def test_admin_closes_a_request_and_cannot_answer_it_after(acme, as_member):
    item = file(acme.alice)
    client = as_member(acme.olga)
    assert client.post(f"/help/requests/{item.pk}/", {"close": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_at is not None
    assert client.post(f"/help/requests/{item.pk}/", {"answer": "late"}).status_code == 409


def test_queue_lists_open_requests_first(acme, as_member):
    answered = file(acme.bob, subject="Old question")
    actions.answer_support_request(answered, answer="Done", actor=Actor.system(), by=acme.olga)
    file(acme.carl, subject="New question")
    page = as_member(acme.adam).get("/support/").content.decode()
    assert page.index("New question") < page.index("Old question")


@pytest.mark.parametrize("role", ["maya", "alice"])
def test_managers_and_agents_are_refused_the_queue_and_answering(acme, as_member, role):
    item = file(getattr(acme, role))
    client = as_member(getattr(acme, role))
    assert client.get("/support/").status_code == 403
    assert client.post(f"/help/requests/{item.pk}/", {"answer": "self-service"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_a_member_sees_only_their_own_requests(acme, as_member):
    theirs = file(acme.bob, subject="Bob's trouble")
    client = as_member(acme.alice)
    assert client.get(f"/help/requests/{theirs.pk}/").status_code == 404
    assert "Bob&#x27;s trouble" not in client.get("/help/").content.decode()


def test_another_organisations_request_is_404(acme, globex, as_member):
    theirs = file(globex.alice)
    client = as_member(acme.olga)
    assert client.get(f"/help/requests/{theirs.pk}/").status_code == 404
    assert client.post(f"/help/requests/{theirs.pk}/", {"answer": "x"}).status_code == 404
    assert "Cannot log a call" not in client.get("/support/").content.decode()
