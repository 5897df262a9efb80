"""The audit log's actions in words an owner reads ("Signed in", "Imported leads"), beside the
code the Action filter and the CSV use (user.login, lead.import). An action not named here
shows its code alone, as before."""

from django.utils.translation import gettext_lazy as _

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
