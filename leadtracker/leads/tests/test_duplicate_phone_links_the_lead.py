"""The New lead form's duplicate error showed "Rahul Patil (/leads/1/)" — the path as plain
text. It is now a link to that lead, its name escaped; the API's error stays plain words."""

from leadtracker.testing import hindi_client, make_lead


def _refused(client, phone):
    """The refused form's list of errors, as HTML."""
    response = client.post("/leads/new/", {"name": "Again", "phones": phone})
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index("data-form-errors")
    return page[start : page.index("</ul>", start)]


def test_the_duplicate_error_links_to_the_existing_lead(acme, as_member):
    lead = make_lead(acme, by=acme.alice, name="Rahul Patil", phone="98765 43210")
    errors = _refused(as_member(acme.alice), "+91-98765-43210")
    link = f'<a href="/leads/{lead.pk}/">Rahul Patil</a>'
    assert f"This phone belongs to an existing lead: {link}" in errors
    assert f"(/leads/{lead.pk}/)" not in errors  # no path shown as text


def test_the_leads_name_is_escaped(acme, as_member):
    make_lead(acme, by=acme.alice, name="<b>Bold</b> & co", phone="98765 43210")
    errors = _refused(as_member(acme.alice), "98765 43210")
    assert "<b>" not in errors and "&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>" in errors


def test_the_apis_duplicate_message_has_no_html(acme, api_as):
    make_lead(acme, by=acme.olga, name="Rahul Patil", phone="98765 43210")
    client = api_as(acme.olga)
    body = {"name": "Again", "phones": ["+919876543210"]}
    response = client.post("/api/v1/leads", body, content_type="application/json")
    assert response.status_code == 409
    text = response.content.decode()
    assert "<" not in text and "href" not in text and "exists" in text


def test_in_hindi(acme):
    lead = make_lead(acme, by=acme.alice, name="Rahul Patil", phone="98765 43210")
    errors = _refused(hindi_client(acme.alice), "98765 43210")
    assert f'पहले से एक लीड का है: <a href="/leads/{lead.pk}/">Rahul Patil</a>' in errors
