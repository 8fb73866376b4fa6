"""Fakes of the outside systems, served on loopback: the Zalo OA API and the one-stop dossier API.

Used by the tests and by bench/; `python -m tests.fakes.zalo_api` also runs the
fake Zalo API by hand (README, Zalo channel).
"""
