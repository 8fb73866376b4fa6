"""The assistant running on free loopback ports over a fresh SQLite catalogue."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
import requests

from scripts.servers import ServerError, running_assistant
from tests.conftest import CURATED_DIR, PROJECT_ROOT
from tests.fakes import zalo_api as fake_zalo

OFFICER_TOKEN = "e2e-officer-token"
# The servers run as in production (APP_ENV=production) with a key made for the run;
# the demo dossiers are seeded with the same key, so their phone digits verify.
DOSSIER_HASH_KEY = secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory):
    """A fresh SQLite database with the curated catalogue and 60 demo dossiers."""
    work = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{work / 'catalogue.db'}"
    subprocess.run(
        [sys.executable, "-m", "procedures_kb", "--database-url", database_url, "import", str(CURATED_DIR),
         "--no-progress"],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "dossiers", "--database-url", database_url, "seed", "--count", "60"],
        cwd=PROJECT_ROOT, check=True, capture_output=True, env={**os.environ, "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY},
    )
    return work, database_url


@pytest.fixture(scope="session")
def zalo_api():
    """The fake Zalo OA API the assistant sends to (records every message)."""
    server = fake_zalo.FakeZalo().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def running(e2e_database, zalo_api):
    """The running assistant (scripts.servers.Assistant: URLs, tokens) over the e2e database,
    its Zalo channel on the fake API."""
    work, database_url = e2e_database
    env = {"OFFICER_API_TOKEN": OFFICER_TOKEN, "HOTLINE": "18001096", "APP_ENV": "production",
           "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY, **fake_zalo.environment(zalo_api)}
    try:
        with running_assistant(database_url, work, env=env) as assistant:
            yield assistant
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def assistant(running):
    """Base URL of the running assistant."""
    return running.url


@pytest.fixture(scope="session")
def dossier_samples(e2e_database):
    """(code, status, procedure name, last 4 phone digits) of seeded demo dossiers."""
    from dossiers import seed
    from storage.engine import make_engine

    engine = make_engine(e2e_database[1])
    try:
        return list(seed.samples(engine, 12))
    finally:
        engine.dispose()


@pytest.fixture
def post(running):
    """Send one message as a trusted REST integration (REST_API_TOKEN: senders of its own);
    the full JSON replies (texts and buttons)."""

    def _post(message, sender):
        response = requests.post(
            f"{running.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
            headers=running.rest_headers, timeout=60,
        )
        assert response.status_code == 200, response.text[:500]
        return response.json()

    return _post


@pytest.fixture
def officer(assistant):
    """Call the officers' desk API with the token the servers were given."""

    def _call(method, path, **kwargs):
        headers = {"Authorization": f"Bearer {OFFICER_TOKEN}"}
        return requests.request(method, f"{assistant}/webhooks/officer{path}", headers=headers, timeout=30, **kwargs)

    return _call


@pytest.fixture
def say(running):
    """Send one message as a trusted REST integration; the reply texts."""

    def _say(message, sender="e2e-user"):
        response = requests.post(
            f"{running.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
            headers=running.rest_headers, timeout=60,
        )
        assert response.status_code == 200, response.text[:500]
        return [reply.get("text", "") for reply in response.json()]

    return _say
