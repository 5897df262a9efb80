"""The audit log's filters in Hindi: each field's label, the "anyone" choice, and the refusal of a
date range that ends before it starts."""

import re

from leadtracker.accounts.models import User


def test_the_audit_logs_filters_read_in_hindi(acme, as_member):
    User.objects.filter(pk=acme.adam.user_id).update(language="hi")
    client = as_member(acme.adam)
    page = client.get("/audit/").content.decode()
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", page)
    assert {"किस चीज़ पर:", "खोजा गया नंबर:", "कब से:", "कब तक:"} <= set(labels), labels
    assert not [label for label in labels if re.search(r"[A-Za-z]{3,}", label)], labels
    assert '<option value="" selected>कोई भी</option>' in page
    refused = client.get("/audit/", {"since": "2026-12-06", "until": "2026-12-01"}).content.decode()
    assert "&#x27;कब से&#x27; वाली तारीख़ या उसके बाद की होनी चाहिए" in refused
