"""The Phones page's steps lead to the one-line set-up (the QR code and its pairing link), in
English and in Hindi: never to `pip install leadtracker-agent`, which is no package of ours on
the public index (the wheel comes from this server), nor to an "app" to type the code into."""

from django.urls import reverse


def test_the_steps_point_to_the_qr_code_and_its_link(acme, as_member):
    client = as_member(acme.alice)
    page = client.get(reverse("devices")).content.decode()
    assert "scan the QR code" in page and "the one line to paste into Termux" in page
    assert "pip install" not in page

    page = client.post(reverse("devices")).content.decode()
    assert "qr.svg" in page and "On a phone set up already, run <code>leadtracker-agent pair" in page
    assert "in the app" not in page


def test_the_steps_in_hindi(acme, as_member):
    acme.alice.user.__class__.objects.filter(pk=acme.alice.user_id).update(language="hi")
    page = as_member(acme.alice).get(reverse("devices")).content.decode()
    assert "QR कोड स्कैन करें" in page and "pip install" not in page
