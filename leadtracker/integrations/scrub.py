"""No recording, ever (issue 19 item 8): what a provider sends is cleaned of every field that
names a recording before it is stored, logged or looked at, whatever the provider offers."""

RECORDING = "recording"


def without_recordings(body):
    """The body with every key containing "recording" (any case, at any depth, in objects and
    in lists) dropped. Returns a new value; the one given is left as it was."""
    if isinstance(body, dict):
        return {
            key: without_recordings(value) for key, value in body.items() if RECORDING not in str(key).lower()
        }
    if isinstance(body, list | tuple):
        return [without_recordings(value) for value in body]
    return body
