"""The invitation e-mail tells the person what comes after the link: an agent, to open it on the
phone she calls from (My day then shows her how to pair it, and she punches in when her day
starts); anyone, that an unexpected invitation can be ignored. It was two lines and a link, so a
telecaller joined on a laptop and never paired the phone whose calls are the point."""

from django.core import mail

from leadtracker.accounts.actions import invite_member
from leadtracker.accounts.audit import Actor
from leadtracker.accounts.models import Role


def body(acme, role, on_commit):
    mail.outbox.clear()
    with on_commit(execute=True):  # the e-mail goes once the invitation is saved
        invite_member(
            acme.org, email=f"{role}@example.in", role=role, actor=Actor.system(), inviter=acme.olga
        )
    [message] = mail.outbox
    return message.body


def test_an_agent_is_told_to_open_it_on_the_phone_she_calls_from(acme, django_capture_on_commit_callbacks):
    text = body(acme, Role.AGENT, django_capture_on_commit_callbacks)
    assert "on the phone you make your calls from" in text
    assert "punch in" in text
    assert "not expecting" in text


def test_a_manager_is_not_told_to_pair_a_phone_but_may_ignore_it(acme, django_capture_on_commit_callbacks):
    text = body(acme, Role.MANAGER, django_capture_on_commit_callbacks)
    assert "phone you make your calls from" not in text
    assert "not expecting" in text
