"""An e-mail backend for trying the app on one's own machine (`make run`): each message is kept
whole as an .eml file under var/mail/ and the log gets one line saying who it went to and where
it is. The console backend printed every reminder and digest in full, and the worker's e-mails
drowned the web server's log that `make run` shows in the same terminal."""

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

logger = logging.getLogger("leadtracker.mail")


def mail_dir() -> Path:
    return Path(getattr(settings, "EMAIL_FILE_PATH", None) or Path(settings.VAR_DIR) / "mail")


class SummaryBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = mail_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            path = directory / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            subject = " ".join(str(message.subject).split())
            logger.info("E-mail to %s: %s → %s", ", ".join(message.recipients()), subject, path)
            sent += 1
        return sent
