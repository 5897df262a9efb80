"""Integrations: where leads and calls come from outside (issue 19).

An admin adds a *connector* (``models.Connector``): one account at one provider, of one
``kind`` (facebook, google-ads, indiamart, justdial, webhook, exotel, twilio, …). Everything
the provider sends lands at one URL, ``/integrations/hook/<url_token>``, is answered at once
and logged as a ``models.Payload`` (kept 7 days); the worker turns it into a lead afterwards.

The interface a provider sub-package implements (``integrations/<kind>/provider.py`` exposing
``PROVIDER = registry.Provider(...)``; the registry finds it by that path, nothing to register):

- ``kind`` (the sub-package's name with ``_`` for ``-`` unless given), ``label``, ``category``
  (``"leads"`` or ``"telephony"``), ``options``: ``registry.Option(name, secret=…, generate=…)``
  — secrets are stored encrypted (``connector.secrets``), the rest in ``connector.options``;
  a ``generate`` option is filled with a random value when not given (and shown once).
- ``handle(request, connector) -> HttpResponse``: the inbound request, answered as the provider
  expects. It checks the provider's signature/key, then calls
  ``actions.receive_payload(connector, external_id, body)`` which stores the body once per
  ``external_id`` (a repeat returns the first payload, ``created=False``) with every key naming
  a recording dropped (``scrub.without_recordings``), and queues its processing on commit.
- ``to_lead(payload) -> registry.Mapped``: a lead source's payload as lead fields (``LeadData``
  without source, attribution text such as ``"Facebook: Diwali 2BHK form"``, notes, is_test).
  Raise ``registry.MappingError("plain words")`` when it cannot: the payload is marked failed
  with that reason, shown on the health panel, replayable.
- ``process(payload) -> Lead | None`` (optional, instead of ``to_lead``): for telephony and
  anything that is not "make a lead"; raise MappingError likewise.
- ``poll(connector) -> int`` (optional): for pull connectors, called by the worker every
  minute for each active connector of the kind (the provider decides when it really asks,
  keeping its place in ``connector.cursor``); returns how many payloads it stored.
- ``callback_url`` (bool): the CLI/page show ``status_callback_url`` instead of ``webhook_url``.
- ``extra`` (dict): ``{"mapping": True, "mapping_help": "…"}`` gives the settings page a JSON
  box for ``options["mapping"]``; ``{"template": "integrations/<kind>/_panel.html"}`` is included
  on the connector's page (context: ``c`` the connector, ``provider``) for a provider's own
  controls, such as a "send a test" button.

A handler that cannot read a body still logs it: ``receive_payload(connector, "", {"raw": …},
failed=stored(gettext_noop("the reason")))`` stores it as failed (shown on the health panel in each
reader's language, not processed). Errors a provider raises (MappingError, TelephonyError) are
gettext's words, never f-strings: the worker reads them inside ``recording()`` and keeps their
recipe (lib/stored_text.py), so the payload log and the health panel show them in Hindi too.

Core pieces others call: ``actions.add_connector / update_connector / remove_connector /
receive_payload / process_payload / replay_payload / record_error``; ``scrub.without_recordings``;
``urls_for(connector)`` in ``selectors`` gives the URLs to paste; ``crypto`` seals secrets.
External base URLs: ``settings.META_GRAPH_URL``, ``INDIAMART_API_URL``, ``EXOTEL_API_URL``,
``TWILIO_API_URL``. Audit-walk scenarios for a sub-package's actions go in its
``tests/audit_scenarios.py`` (``SCENARIOS``/``READ_ONLY`` dicts, merged by the walk).
"""
