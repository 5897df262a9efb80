from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "leadtracker.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # Leads (a lower app) records which notice version a consent was given under.
        from leadtracker.leads.consent import set_notice_version_lookup

        set_notice_version_lookup(_effective_version)

        from leadtracker.accounts.demo import DEMO_HOOKS
        from leadtracker.privacy.demo import add_demo_notice

        if add_demo_notice not in DEMO_HOOKS:
            DEMO_HOOKS.append(add_demo_notice)


def _effective_version(org_id: int) -> int | None:
    from leadtracker.privacy.selectors import effective_notice

    notice = effective_notice(org_id)
    return notice.version if notice else None
