"""A person's own profile: name, phone (kept in E.164), password."""

from django.test import Client

from leadtracker.accounts.models import AuditEvent, User
from leadtracker.testing import PASSWORD


def test_profile_saves_name_and_normalised_phone(acme, as_member):
    client = as_member(acme.alice)
    response = client.post("/profile/", {"full_name": "ऐलिस शर्मा", "phone": "098765 43210"})
    assert response.status_code == 302
    user = User.objects.get(pk=acme.alice.user_id)
    assert user.full_name == "ऐलिस शर्मा" and user.phone == "+919876543210"
    event = AuditEvent.objects.get(action="user.update_profile")
    assert event.changes == {"fields": ["full_name", "phone"]}


def test_her_phone_is_shown_grouped_and_saved_back_unchanged(acme, as_member):
    """The input said "+919812300005", one block of digits (review tc #16)."""
    User.objects.filter(pk=acme.alice.user_id).update(phone="+919812300005")
    client = as_member(acme.alice)
    page = client.get("/profile/").content.decode()
    assert 'value="+91 98123 00005"' in page and "+919812300005" not in page
    # Saved as shown, the number is stored as before and nothing is recorded as changed.
    form = client.get("/profile/").context["form"]
    response = client.post("/profile/", {name: form[name].value() or "" for name in form.fields})
    assert response.status_code == 302
    assert User.objects.get(pk=acme.alice.user_id).phone == "+919812300005"
    assert not AuditEvent.objects.filter(action="user.update_profile").exists()


def test_bad_phone_is_refused_on_the_field(acme, as_member):
    response = as_member(acme.alice).post("/profile/", {"full_name": "Alice", "phone": "12345"})
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors


def test_password_change_signs_out_other_sessions(acme, as_member):
    here = Client()
    here.post("/login/", {"email": "alice@acme.test", "password": PASSWORD})
    elsewhere = Client()
    elsewhere.post("/login/", {"email": "alice@acme.test", "password": PASSWORD})
    new = "another-long-password-5"
    response = here.post(
        "/profile/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # back to login
    assert AuditEvent.objects.filter(action="user.password_change").count() == 1


def test_notifications_inbox_and_unread_count(acme, as_member):
    from leadtracker.accounts.notifications import notify

    notify(organisation_id=acme.org.pk, user_id=acme.alice.user_id, text="Call Raj at 4 PM", url="/leads/1/")
    client = as_member(acme.alice)
    page = client.get("/notifications/")
    assert "Call Raj at 4 PM" in page.content.decode() and page.context["unread_notifications"] == 1
    assert as_member(acme.bob).get("/").context["unread_notifications"] == 0  # someone else's
    client.post("/notifications/")
    assert client.get("/notifications/").context["unread_notifications"] == 0
