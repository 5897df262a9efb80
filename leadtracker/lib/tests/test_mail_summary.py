"""`make run`'s e-mail backend: each message kept whole under var/mail/, one line in the log."""

import logging

from django.core import mail
from django.test import override_settings


def test_each_email_is_a_file_and_one_log_line(tmp_path, caplog):
    with override_settings(EMAIL_BACKEND="leadtracker.lib.mail.SummaryBackend", EMAIL_FILE_PATH=tmp_path):
        with caplog.at_level(logging.INFO, logger="leadtracker.mail"):
            connection = mail.get_connection()
            sent = connection.send_messages(
                [
                    mail.EmailMessage(
                        "Reminder: call Raj at 4 pm", "Line one\nLine two\n" * 50, to=["alice@acme.test"]
                    ),
                    mail.EmailMessage("Your digest", "Figures…", to=["maya@acme.test", "olga@acme.test"]),
                    mail.EmailMessage("Nobody", "No recipient", to=[]),
                ]
            )
    assert sent == 2
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    texts = [f.read_text() for f in files]
    assert any("Line two" in t and "To: alice@acme.test" in t for t in texts)
    lines = [r.getMessage() for r in caplog.records if r.name == "leadtracker.mail"]
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert any("alice@acme.test" in line and "Reminder: call Raj at 4 pm" in line for line in lines)
    assert any("maya@acme.test, olga@acme.test" in line and "Your digest" in line for line in lines)
    assert not any("Line two" in line for line in lines)


def test_without_a_path_the_mail_goes_under_var(settings, tmp_path):
    from leadtracker.lib.mail import mail_dir

    settings.VAR_DIR = tmp_path
    assert mail_dir() == tmp_path / "mail"
