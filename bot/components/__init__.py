"""Custom Rasa 3.6 graph components for Vietnamese."""
