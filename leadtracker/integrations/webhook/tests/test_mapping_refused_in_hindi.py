"""A path refused when the mapping is saved is said beside its field, in the admin's language
(issue 20 §3): the refusal keeps which field it is about, not words to split at ": "."""

import pytest
from django.utils import translation

from leadtracker.integrations.webhook.forms import MappingForm


@pytest.mark.parametrize("path", ["a..b", "[x]"])
def test_a_path_refused_at_saving_is_said_beside_its_field(path):
    form = MappingForm(data={"phone_path": "phone", "name_path": path})
    assert not form.is_valid()
    assert form.errors["name_path"] == [
        f"{path!r}: write keys with dots and list positions as [0], e.g. data[0].phone"
    ]
    with translation.override("hi"):
        form = MappingForm(data={"phone_path": "phone", "name_path": path})
        hindi = f"{path!r}: key बिंदु (.) से और सूची की जगह [0] से लिखें, जैसे data[0].phone"
        assert form.errors["name_path"] == [hindi]


def test_a_mapping_without_a_phone_is_said_beside_the_phone():
    form = MappingForm(data={"name_path": "name"})
    with translation.override("hi"):
        assert form.errors["phone_path"] == ["फ़ोन नंबर का पाथ दें (लीड के लिए ज़रूरी है)"]
