"""Zalo Official Account as a chat channel: webhook in, customer-service messages out.

    config     credentials and addresses, from the environment or credentials.yml
    signature  X-ZEvent-Signature check
    events     what an inbound event is (text, media, follow, other)
    messages   Rasa replies -> Zalo message bodies (2,000-character parts, buttons)
    client     the OA API: send, refresh an expired token, retry on outages
    store      seen events (de-duplication) and the current tokens, in the database
    channel    the Rasa InputChannel at /webhooks/zalo/webhook
"""
