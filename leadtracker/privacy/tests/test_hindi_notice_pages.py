"""The privacy notice in Hindi (issue 20 §3): an agent who reads Hindi is asked in Hindi to
accept it, and the words around it (its purpose, legal basis, how long kept, the button) are
Hindi, while the notice itself — the organisation's own text — stays as written. The public
page follows the browser's language; the admin's notices list is in Hindi too."""

from html import unescape

from leadtracker.privacy.notices.actions import accept_notice
from leadtracker.testing import hindi_client, publish_version


def _page(response) -> str:
    return " ".join(unescape(response.content.decode()).split())


def test_the_acceptance_page_in_hindi_with_the_notice_as_written(acme):
    notice = publish_version(acme.org, title="Our privacy promise")
    page = _page(hindi_client(acme.alice).get("/privacy-notice/?next=/leads/"))
    assert "<h1>कृपया हमारा प्राइवेसी नोटिस पढ़ें</h1>" in page
    assert "मैंने पढ़ लिया, वर्ज़न 1 मंज़ूर है" in page
    assert "किस काम के लिए" in page and "क़ानूनी आधार" in page
    assert "Our privacy promise" in page and notice.items[0]["data"] in page
    assert "Please read our privacy notice" not in page and "I have read it" not in page


def test_the_public_page_follows_the_browser_and_the_list_the_admin(acme, client):
    accept_notice(acme.olga, publish_version(acme.org))
    public = _page(client.get(f"/privacy/{acme.org.slug}/", HTTP_ACCEPT_LANGUAGE="hi"))
    assert f"<h1>{acme.org.name} का प्राइवेसी नोटिस</h1>" in public and "मदद और शिकायत" in public
    listing = _page(hindi_client(acme.olga).get("/settings/privacy/"))
    assert "<h1>प्राइवेसी नोटिस</h1>" in listing and ">नया ड्राफ़्ट</button>" in listing
    assert "<th>किसने मंज़ूर किया</th>" in listing and "New draft" not in listing
