"""The production layout survives losing a replica mid-load: no reply lost, none crossed.

scripts/cluster.py starts nginx in front of two Rasa servers (conversations in
PostgreSQL, locks in Redis) and two action servers; 20 citizens play their five
turns (scripts/load_client.py) while one Rasa server and then one action server
are killed (SIGKILL). nginx passes the requests they had to the others; the
dead server's conversation locks run out within seconds (bot/stores/locks.py).
The failure deadlines are generous here (as in scripts/servers.py): the test is
about replicas, not about a busy machine's latency.
"""
import threading
import uuid

import pytest

from scripts.cluster import ServerError, drop_database, running_cluster
from scripts.load_client import citizens_for, demo_dossiers, load
from tests.conftest import POSTGRES_ADMIN_URL
from tests.e2e.conftest import DOSSIER_HASH_KEY

pytestmark = pytest.mark.e2e
CITIZENS = 20


def test_killing_a_rasa_server_and_an_action_server_mid_load_loses_and_crosses_no_reply(tmp_path):
    tag = uuid.uuid4().hex[:8]
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    database_url, tracker_url = f"{base}/tthc_e2e_cluster_{tag}", f"{base}/tthc_e2e_cluster_tracker_{tag}"
    # The load client plays the citizens' front proxy (each citizen's own address in X-Forwarded-For), so
    # two proxies are trusted, as in bench/load_bench.py. With one, all 20 citizens were one client, right at
    # its 20 look-ups per 10 minutes (dossiers/limits.py): a look-up the proxy retried after a kill counted
    # twice and the last citizen was refused ("tra cứu nhiều mã hồ sơ"), as CI once saw.
    env = {"APP_ENV": "production", "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY,
           "REPLY_TIMEOUT": "30", "ACTION_SERVER_TIMEOUT": "20", "SANIC_PROXIES_COUNT": "2"}
    try:
        with running_cluster(rasa=2, actions=2, database_url=database_url, tracker_url=tracker_url,
                             logs=tmp_path / "cluster", env=env) as cluster:
            citizens = citizens_for(demo_dossiers(database_url, CITIZENS), CITIZENS)
            victims = [cluster.rasa[1], cluster.actions[1]]
            killers = [threading.Timer(delay, cluster.kill, [victim]) for delay, victim in zip((1.0, 3.0), victims)]
            for killer in killers:
                killer.start()
            figures = load(cluster.url, citizens)
            for killer in killers:
                killer.join()
            assert not any(victim.alive() for victim in victims)
            assert cluster.rasa[0].alive() and cluster.actions[0].alive()
    except ServerError as exc:
        pytest.fail(str(exc))
    finally:
        drop_database(database_url)
        drop_database(tracker_url)
    assert figures["turns"] == CITIZENS * 5
    assert figures["errors"] == 0, (figures["error_kinds"], figures["error_samples"])
    assert figures["crossed"] == 0


def test_a_dead_replica_is_started_again_on_its_port_and_serves(tmp_path):
    """`make run-cluster`'s watch loop (Cluster.revive): a Rasa server and an action server killed with
    SIGKILL are started again on their ports while the others serve; the cluster is never down."""
    import time

    import requests

    tag = uuid.uuid4().hex[:8]
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    database_url, tracker_url = f"{base}/tthc_e2e_revive_{tag}", f"{base}/tthc_e2e_revive_tracker_{tag}"
    env = {"APP_ENV": "production", "DOSSIER_HASH_KEY": DOSSIER_HASH_KEY,
           "REPLY_TIMEOUT": "30", "ACTION_SERVER_TIMEOUT": "20"}

    def ask(cluster, message):
        sender = requests.post(f"{cluster.url}/webhooks/rest/conversations", timeout=10).json()["sender"]
        response = requests.post(f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                 timeout=60)
        assert response.status_code == 200, response.text[:300]
        return "\n".join(r.get("text") or "" for r in response.json())

    try:
        with running_cluster(rasa=2, actions=1, database_url=database_url, tracker_url=tracker_url,
                             logs=tmp_path / "cluster", env=env) as cluster:
            rasa, actions = cluster.rasa[1], cluster.actions[0]
            old = {rasa.process.pid, actions.process.pid}
            cluster.kill(rasa)
            cluster.kill(actions)
            notes, deadline = [], time.monotonic() + 240
            while not (rasa.alive() and actions.alive()):  # as the watch loop does, every second
                notes += cluster.revive()
                assert time.monotonic() < deadline, notes
                time.sleep(0.5)
            assert any("rasa-2 đã dừng" in note for note in notes) and any("actions-1" in note for note in notes)
            assert not old & {rasa.process.pid, actions.process.pid}
            while not all(_healthy(url) for url in (f"{rasa.url}/", f"{actions.url}/health")):
                assert time.monotonic() < deadline, "the revived replicas did not come up"
                time.sleep(1)
            notes += cluster.revive()  # the watch loop says when each answers again
            assert {"rasa-2 đã chạy lại.", "actions-1 đã chạy lại."} <= set(notes), notes
            assert "1.001193" in ask(cluster, "đăng ký khai sinh cần giấy tờ gì")
            cluster.rasa[0].process.kill()  # now the other one: the revived server answers
            cluster.rasa[0].process.wait(timeout=10)
            assert "1.001193" in ask(cluster, "đăng ký khai sinh cần giấy tờ gì")
            assert rasa.restarts == 1 and actions.restarts == 1
    except ServerError as exc:
        pytest.fail(str(exc))
    finally:
        drop_database(database_url)
        drop_database(tracker_url)


def _healthy(url):
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
