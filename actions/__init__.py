"""Rasa SDK custom actions: thin wrappers over procedures_kb."""
