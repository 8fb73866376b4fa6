"""Rasa input channels: citizens' REST (handoff-aware) and the officers' desk API."""
