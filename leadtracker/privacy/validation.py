"""Input checks the privacy actions share: what a notice item is (the one definition used by
the API schema, the web form and the actions, so a notice stored by any path has the same
shape), and the times they accept."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field, ValidationError, field_validator

from leadtracker.lib.errors import ActionError
from leadtracker.lib.schema import Choice, Strict
from leadtracker.lib.timeutil import check_within
from leadtracker.privacy.models import LegalBasis

MAX_ITEMS = 50
# A publish request takes a moment to arrive: "now" from the client's clock is not "the past".
CLOCK_SLACK = dt.timedelta(minutes=2)


class NoticeItem(Strict):
    data: str = Field(..., min_length=1, max_length=200, description="A kind of personal data")
    purpose: str = Field(..., min_length=1, max_length=1000)
    legal_basis: Choice[LegalBasis] = Field(..., description="consent, or employment (a legitimate use)")
    retention: str = Field(..., min_length=1, max_length=300, description="How long it is kept")

    @field_validator("data", "purpose", "retention", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


def clean_items(raw) -> list[dict]:
    """The items as plain dicts, or an ActionError naming the first bad field (items.2.purpose)."""
    if not isinstance(raw, list):
        raise ActionError(_("must be a list of items"), field="items")
    if not raw:
        raise ActionError(_("a notice needs at least one item"), field="items")
    if len(raw) > MAX_ITEMS:
        raise ActionError(_("at most %(n)s items") % {"n": MAX_ITEMS}, field="items")
    cleaned = []
    for index, item in enumerate(raw):
        if isinstance(item, NoticeItem):
            item = item.model_dump(mode="json")
        try:
            cleaned.append(NoticeItem.model_validate(item).model_dump(mode="json"))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err.get("loc", ()))
            message = (
                _("unknown field; it is not accepted") if err["type"] == "extra_forbidden" else err["msg"]
            )
            raise ActionError(message, field=f"items.{index}" + (f".{where}" if where else "")) from None
    return cleaned


def aware(value, field, *, past, future):
    if value is not None and timezone.is_naive(value):
        raise ActionError(_("needs a time zone offset"), field=field)
    return check_within(value, field, past=past, future=future)
