"""The access export: everything held about one lead or one member, as one zip.

``EXPORTERS`` maps every model that holds personal data about a lead or a member to the
function that yields that model's rows about a subject. It is the export's half of
"completeness by construction": a test walks the models and fails when one that points at a
lead, a membership or a user (or has a field marked personal) has no entry here, so a model
added later cannot be left out of a person's copy without someone deciding so.

Rows are plain dicts (times in ISO 8601 with the organisation's offset, decimals as strings).
A lead's export holds the organisation's whole record about that lead; a member's export
holds the member's own data and the ids of what they worked on, never another person's name,
number, address or typed text (a note about a lead belongs to the lead's export, not to the
agent's who wrote it).
"""

from leadtracker.privacy.export import account_rows as accounts
from leadtracker.privacy.export import sales_rows as sales
from leadtracker.privacy.export.values import Exporter

NO_LEAD = "points at members only"
NO_MEMBER = "a lead's record; a member's part in it is exported under the member's own kinds"

EXPORTERS: dict[str, Exporter] = {
    "leads.Lead": Exporter("leads", sales.lead_row, sales.member_owned_leads),
    "leads.LeadPhone": Exporter("phones", sales.lead_phones, None, NO_MEMBER),
    "leads.LeadTag": Exporter("tags", sales.lead_tags, None, NO_MEMBER),
    "leads.Activity": Exporter("activities", sales.lead_activities, sales.member_activities),
    "leads.FollowUp": Exporter("follow_ups", sales.lead_follow_ups, sales.member_follow_ups),
    "leads.AssignmentRule": Exporter("assignment_rules", None, sales.member_assignment_rules, NO_LEAD),
    "leads.WebhookDelivery": Exporter("webhook_deliveries", sales.lead_webhook_deliveries, None, NO_MEMBER),
    "leads.ImportJob": Exporter("imports", sales.lead_imports, sales.member_imports),
    "leads.SavedView": Exporter("saved_views", None, sales.member_saved_views, NO_LEAD),
    "automation.RuleRun": Exporter("rule_runs", sales.lead_rule_runs, None, NO_MEMBER),
    "calls.Call": Exporter("calls", sales.lead_calls, sales.member_calls),
    "calls.CallBack": Exporter("call_backs", sales.lead_call_backs, sales.member_call_backs),
    "calls.Device": Exporter("devices", None, sales.member_devices, NO_LEAD),
    "integrations.Payload": Exporter(
        "integration_payloads", sales.lead_integration_payloads, None, NO_MEMBER
    ),
    "calls.PairingCode": Exporter("pairing_codes", None, sales.member_pairing_codes, NO_LEAD),
    "accounts.User": Exporter("account", None, accounts.member_account, NO_LEAD),
    "accounts.Membership": Exporter("memberships", None, accounts.member_memberships, NO_LEAD),
    "accounts.Invitation": Exporter("invitations", None, accounts.member_invitations, NO_LEAD),
    "accounts.ApiToken": Exporter("api_tokens", None, accounts.member_api_tokens, NO_LEAD),
    "accounts.Notification": Exporter(
        "notifications", accounts.lead_notifications, accounts.member_notifications
    ),
    "accounts.IdempotentRequest": Exporter(
        "resend_keys",
        None,
        accounts.member_idempotent_requests,
        "an answer kept a day to repeat to a resend; what it says of a lead is exported from the lead's rows",
    ),
    "accounts.PushSubscription": Exporter(
        "push_subscriptions", None, accounts.member_push_subscriptions, NO_LEAD
    ),
    "accounts.PushPreference": Exporter("push_preferences", None, accounts.member_push_preferences, NO_LEAD),
    "accounts.SupportRequest": Exporter("support_requests", None, accounts.member_support_requests, NO_LEAD),
    "accounts.AuditEvent": Exporter("audit_events", accounts.lead_audit_events, accounts.member_audit_events),
    "attendance.Shift": Exporter("shifts", None, accounts.member_shifts, NO_LEAD),
    "privacy.NoticeAcceptance": Exporter(
        "notice_acceptances", None, accounts.member_notice_acceptances, NO_LEAD
    ),
    "privacy.DataRequest": Exporter(
        "data_requests", accounts.lead_data_requests, accounts.member_data_requests
    ),
    "privacy.LegalHold": Exporter("legal_holds", accounts.lead_legal_holds, accounts.member_legal_holds),
    "privacy.AccessExport": Exporter("exports", accounts.lead_exports, accounts.member_exports),
    "privacy.ErasureRecord": Exporter(
        "erasures_carried_out",
        None,
        accounts.member_erasures,
        "the ledger keeps only keyed hashes of whom it erased",
    ),
    "django_tasks_database.DBTaskResult": Exporter(
        "background_jobs", accounts.lead_task_results, accounts.member_task_results
    ),
    "admin.LogEntry": Exporter("site_admin_log", accounts.lead_admin_log, accounts.member_admin_log),
    "sessions.Session": Exporter("sessions", None, accounts.member_sessions, NO_LEAD),
    "accounts.TotpDevice": Exporter("sign_in_code_devices", None, accounts.member_mfa_devices, NO_LEAD),
    "accounts.RecoveryCode": Exporter("recovery_codes", None, accounts.member_recovery_codes, NO_LEAD),
    "reports.UserDay": Exporter("daily_figures", None, accounts.member_days, NO_LEAD),
    "reports.UserHour": Exporter("hourly_figures", None, accounts.member_hours, NO_LEAD),
    "leads.ConsentEvent": Exporter("consents", accounts.lead_consents, accounts.member_consents),
    "leads.TrashedLead": Exporter("trashed_leads", accounts.lead_trash, None, NO_MEMBER),
}

# Said in person.json so the reader knows what is not there and why.
NOT_EXPORTED = {
    "usage": "usage counters are kept per organisation, day, app version and system: no row names a person",
    "passwords and token secrets": "kept only as one-way hashes; never exported",
}
