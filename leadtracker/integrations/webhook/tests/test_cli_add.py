"""`leadtracker integration add` for IndiaMART, JustDial and the generic webhook: what it prints
is what the sender needs, and it works as printed."""

import json
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command

from leadtracker.integrations.models import Connector
from leadtracker.integrations.tests.util import work_off
from leadtracker.leads.models import Lead


def add(*args) -> dict:
    out = StringIO()
    call_command("integration", "add", "--org", "acme", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_a_webhook_added_on_the_command_line_takes_leads_as_printed(acme, client):
    made = add("--kind", "webhook", "--option", 'mapping={"name": "who.name", "phone": "who.tel"}')
    assert set(made) >= {"id", "webhook_url", "secret"}
    url = urlsplit(made["webhook_url"]).path + f"?secret={made['secret']}"
    body = {"who": {"name": "Meera", "tel": "9812345670"}}
    assert client.post(url, body, content_type="application/json").status_code == 200
    work_off()
    assert Lead.objects.get(organisation=acme.org).name == "Meera"


def test_indiamart_keeps_its_key_sealed_and_justdial_gets_a_secret(acme):
    indiamart = add("--kind", "indiamart", "--option", "key=mRyzEbts7HrEQfei4XGD7l+IqlTFnzQ=")
    assert "key" not in indiamart  # given, not generated: never printed back
    connector = Connector.objects.get(pk=indiamart["id"])
    assert connector.secrets["key"] == "mRyzEbts7HrEQfei4XGD7l+IqlTFnzQ="
    assert "mRyzEbts" not in json.dumps(connector.options) + connector.sealed_secrets
    justdial = add("--kind", "justdial")
    assert len(justdial["secret"]) >= 24
    assert Connector.objects.get(pk=justdial["id"]).secrets["secret"] == justdial["secret"]
