"""An organisation's custom field for its leads. The values live on the lead
(``Lead.custom_fields``, keyed by ``CustomField.key``); imported by leads/models.py so Django
finds the model in the leads app."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leadtracker.accounts.models import Organisation


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money (₹)")
    CHOICE = "choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DATE = "date", _("Date")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    YES_NO = "yes_no", _("Yes/no")


CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
RANGE_TYPES = (FieldType.NUMBER, FieldType.MONEY, FieldType.DATE)


class CustomField(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The name in the API and in each lead's values: fixed once made (the values are keyed by it).
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    # Fixed once made too: values already stored were checked against it.
    type = models.CharField(max_length=20, choices=FieldType.choices)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    section = models.CharField(max_length=60, blank=True)
    # Enforced on the server: an agent's reads never carry the value and their writes cannot set it.
    hidden_from_agents = models.BooleanField(default=False)
    # Archived, never deleted: leads keep their values (exports and erasure still reach them).
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "leads"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="custom_field_unique_key")
        ]

    def __str__(self):
        return self.label
