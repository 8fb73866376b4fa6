"""Rasa tracker and lock stores that keep blocking work off the event loop."""
