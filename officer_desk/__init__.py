"""The officers' side: the handoff queue, officer replies and citizen feedback."""
