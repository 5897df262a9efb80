"""Custom fields for leads (issue 20 §1): an organisation's own fields, their values on the
lead (``Lead.custom_fields``, see docs/decisions.md for why a JSON column), validation by type,
the settings page and the API."""
