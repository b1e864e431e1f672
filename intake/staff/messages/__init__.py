"""Text and WhatsApp messages in the staff area: the conversation on a case,
the inbox of messages from unknown numbers, the wording editors keep, and the
development provider's messages."""
