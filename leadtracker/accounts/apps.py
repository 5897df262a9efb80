from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leadtracker.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self):
        # ready(): models can be imported only once the app registry is loaded
        from leadtracker.accounts.audit import record_export
        from leadtracker.lib.spreadsheet import exported

        # Every CSV/XLSX download records its event through the one writer (lib/spreadsheet.py),
        # which sits below accounts and so cannot call the audit log itself.
        exported.connect(record_export, sender=None, dispatch_uid="leadtracker.accounts.record_export")
