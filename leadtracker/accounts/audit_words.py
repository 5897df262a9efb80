"""The audit log's actions in words an owner reads ("Signed in", "Imported leads"), beside the
code the Action filter and the CSV use (user.login, lead.import). An action not named here
shows its code alone, as before."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    "user.login": _("Signed in"),
    "user.password_change": _("Changed their password"),
    "user.password_reset": _("Reset their password"),
    "user.update_profile": _("Changed their profile"),
    "organisation.create": _("Created the organisation"),
    "organisation.update": _("Changed the organisation's settings"),
    "invitation.create": _("Invited someone"),
    "invitation.accept": _("Accepted an invitation"),
    "invitation.revoke": _("Revoked an invitation"),
    "member.add": _("Added a member"),
    "member.change_role": _("Changed a member's role"),
    "member.change_manager": _("Changed whom a member reports to"),
    "member.deactivate": _("Deactivated a member"),
    "member.reactivate": _("Reactivated a member"),
    "lead.create": _("Added a lead"),
    "lead.update": _("Edited a lead"),
    "lead.view": _("Opened a lead"),
    "lead.status": _("Changed a lead's status"),
    "lead.note": _("Wrote a note on a lead"),
    "lead.assign": _("Gave a lead to someone"),
    "lead.follow_up": _("Planned a follow-up"),
    "lead.follow_up_done": _("Finished a follow-up"),
    "lead.merge": _("Merged two leads"),
    "lead.trash": _("Moved a lead to the trash"),
    "lead.restore": _("Restored a lead from the trash"),
    "lead.import": _("Imported leads"),
    "lead.export": _("Exported leads"),
    "call.outcome": _("Recorded a call's outcome"),
    "call.export": _("Exported calls"),
    "source.create": _("Added a lead source"),
    "assignment_rule.save": _("Saved an assignment rule"),
    "assignment_rule.delete": _("Removed an assignment rule"),
    "device.pair": _("Paired a phone"),
    "device.revoke": _("Unpaired a phone"),
    "token.create": _("Made an API token"),
    "token.revoke": _("Revoked an API token"),
    "shift.punch_in": _("Punched in"),
    "shift.punch_out": _("Punched out"),
    "audit.export": _("Downloaded the audit log"),
    "privacy_notice.accepted": _("Accepted the privacy notice"),
    "privacy_notice.published": _("Published a privacy notice"),
}


def action_said(code: str):
    """The action in words, or None for one not named here."""
    return ACTIONS.get(code)


# What an event was done to, in words ("Import 5", not "importjob 5"); the code stays in the
# cell's title and in the CSV, for the Object type filter.
OBJECTS = {
    "lead": pgettext_lazy("audit object", "Lead"),
    "lead_list": pgettext_lazy("audit object", "The lead list"),
    "importjob": pgettext_lazy("audit object", "Import"),
    "leadsource": pgettext_lazy("audit object", "Lead source"),
    "leadstatus": pgettext_lazy("audit object", "Status"),
    "user": pgettext_lazy("audit object", "Person"),
    "membership": pgettext_lazy("audit object", "Member"),
    "invitation": pgettext_lazy("audit object", "Invitation"),
    "call": pgettext_lazy("audit object", "Call"),
    "assignmentrule": pgettext_lazy("audit object", "Assignment rule"),
    "device": pgettext_lazy("audit object", "Phone"),
    "apitoken": pgettext_lazy("audit object", "API token"),
    "organisation": pgettext_lazy("audit object", "Organisation"),
    "privacynotice": pgettext_lazy("audit object", "Privacy notice"),
    "noticeacceptance": pgettext_lazy("audit object", "Privacy notice accepted"),
    "savedview": pgettext_lazy("audit object", "Saved view"),
    "talkscript": pgettext_lazy("audit object", "Talk script"),
    "audit_log": pgettext_lazy("audit object", "Audit log"),
}


def object_said(code: str):
    """The kind of object in words, or None for one not named here."""
    return OBJECTS.get(code)
