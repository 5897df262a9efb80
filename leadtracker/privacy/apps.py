from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext as _

from leadtracker.lib import uploads
from leadtracker.lib.errors import Conflict


class PrivacyConfig(AppConfig):
    name = "leadtracker.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # Leads (a lower app) records which notice version a consent was given under.
        from leadtracker.leads.consent import set_notice_version_lookup

        set_notice_version_lookup(_effective_version)

        # A lead under an unreleased legal hold is kept: it may not go to the trash (whence
        # the nightly job would purge it).
        from leadtracker.leads.trash.actions import add_trash_guard

        add_trash_guard(_refuse_trash_if_held)

        # An export's zip is written as exports/.part-*.zip and renamed when done: a worker
        # killed meanwhile leaves the part, which the start-up and nightly sweeps remove.
        uploads.scratch("privacy.exports", _export_dir, ".part-*")

        # ready(): models can be imported only once the app registry is loaded
        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.privacy.demo import add_demo_notice

        if add_demo_notice not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_notice)


def _export_dir():
    return Path(settings.PRIVATE_FILES_DIR) / "exports"


def _effective_version(org_id: int) -> int | None:
    # a hook run from ready(): the selectors import models, not loaded when this module is
    from leadtracker.privacy.selectors import effective_notice

    notice = effective_notice(org_id)
    return notice.version if notice else None


def _refuse_trash_if_held(lead) -> None:
    # a hook run from ready(): the selectors import models, not loaded when this module is
    from leadtracker.privacy.selectors import active_hold

    hold = active_hold(lead.organisation, lead=lead)
    if hold is not None:
        raise Conflict(
            _("lead %(lead)s is under legal hold #%(hold)s; release the hold before deleting it")
            % {"lead": lead.pk, "hold": hold.pk},
            field="legal_hold",
        )
