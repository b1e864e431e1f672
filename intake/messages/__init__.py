"""Text and WhatsApp messages with applicants.

- ``consent``: whether a request may be messaged on a channel (one rule);
- ``provider``: the provider behind one small interface (Twilio, or the
  development "log" provider that sends nothing);
- ``sending``: ``send_to_request``, the one way anything is sent, through the
  outbox; delivery state;
- ``keywords``: STOP, START and HELP in each interface language;
- ``inbound``: inbound messages and status callbacks, as the webhooks hand them over;
- ``templates``: the wording editors keep for messages;
- ``webhooks``: the provider's webhooks (signature checked, no cookies).

Shared code: nothing here imports the public or staff pages.
"""
