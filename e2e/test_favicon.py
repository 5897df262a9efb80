"""The app has a favicon: the page names its icons, each is served from this server (200, an
image), and /favicon.ico, which browsers ask for unprompted, leads to one too."""

from urllib.parse import urljoin


def test_the_icons_the_page_names_are_served(phone, live_server, people, login):
    login(phone, live_server.url, "alice@acme.test")
    hrefs = phone.eval_on_selector_all(
        "link[rel~=icon], link[rel=apple-touch-icon]", "links => links.map(l => l.getAttribute('href'))"
    )
    assert len(hrefs) >= 2, hrefs
    types = set()
    for href in hrefs:
        url = urljoin(live_server.url + "/", href)
        assert url.startswith(live_server.url), f"{href} is not served by this server"
        response = phone.request.get(url)
        assert response.status == 200, (href, response.status)
        types.add(response.headers["content-type"].split(";")[0])
    assert {"image/svg+xml", "image/png"} <= types, types
    response = phone.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/")
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
