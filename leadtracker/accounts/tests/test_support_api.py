"""/api/v1/support-requests: file, list (own, or all for admins), get, answer, close."""

from leadtracker.accounts.models import Notification


def test_file_list_and_answer_through_the_api(acme, api_as):
    alice, adam = api_as(acme.alice), api_as(acme.adam)
    created = alice.post(
        "/api/v1/support-requests",
        {"subject": "सहायता 🙏", "message": "Sync fails"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["status"], item["requester_id"]) == ("open", acme.alice.user_id)
    api_as(acme.bob).post(
        "/api/v1/support-requests", {"subject": "Bob", "message": "?"}, content_type="application/json"
    )
    assert [r["id"] for r in alice.get("/api/v1/support-requests").json()["items"]] == [item["id"]]
    assert len(adam.get("/api/v1/support-requests").json()["items"]) == 2
    assert len(adam.get("/api/v1/support-requests?status=answered").json()["items"]) == 0

    answered = adam.post(
        f"/api/v1/support-requests/{item['id']}/answer", {"answer": "Fixed"}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert alice.get(f"/api/v1/support-requests/{item['id']}").json()["answer"] == "Fixed"
    assert Notification.objects.filter(user_id=acme.alice.user_id).count() == 1
    closed = adam.post(f"/api/v1/support-requests/{item['id']}/close")
    assert closed.json()["status"] == "closed"


def test_bad_input_names_the_field(acme, api_as):
    client = api_as(acme.alice)
    too_long = client.post(
        "/api/v1/support-requests", {"subject": "x" * 151, "message": "m"}, content_type="application/json"
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "subject"
    blank = client.post(
        "/api/v1/support-requests", {"subject": "ok", "message": "   "}, content_type="application/json"
    )
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "message"
    unknown = client.post(
        "/api/v1/support-requests",
        {"subject": "ok", "message": "m", "status": "answered"},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "status"


def test_agents_and_managers_cannot_answer_and_other_organisations_are_404(acme, globex, api_as):
    own = api_as(acme.maya).post(
        "/api/v1/support-requests", {"subject": "s", "message": "m"}, content_type="application/json"
    )
    rid = own.json()["id"]
    answer = {"answer": "me"}
    maya_answer = api_as(acme.maya).post(
        f"/api/v1/support-requests/{rid}/answer", answer, content_type="application/json"
    )
    assert maya_answer.status_code == 403
    assert api_as(acme.alice).get(f"/api/v1/support-requests/{rid}").status_code == 404
    assert api_as(globex.olga).get(f"/api/v1/support-requests/{rid}").status_code == 404
    other_answer = api_as(globex.olga).post(
        f"/api/v1/support-requests/{rid}/answer", answer, content_type="application/json"
    )
    assert other_answer.status_code == 404
