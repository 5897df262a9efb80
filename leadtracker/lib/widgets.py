"""Form widgets shared by the apps."""

from django import forms


class PhoneInput(forms.TextInput):
    """Where a phone number is typed: type=tel, so a phone shows its dial pad (and "+", and the
    comma that separates several numbers). ``own``: the number is the person's own, which the
    browser may offer to fill in (autocomplete=tel); a lead's or a caller's number is not, and
    offering the agent's own number there would only invite a wrong entry."""

    input_type = "tel"

    def __init__(self, attrs=None, *, own=False):
        # inputmode too: some Android keyboards read it, not the type, to show the dial pad.
        super().__init__({"inputmode": "tel", "autocomplete": "tel" if own else "off", **(attrs or {})})
