"""The production layout on one machine: nginx in front of N Rasa servers and M action servers.

    python -m scripts.cluster --rasa 2 --actions 2        (`make run-cluster N=2 M=2`)

What runs, all on loopback, logs under var/log/cluster/:

    nginx :8080  ── /webhooks/* ──▶ Rasa servers (N)  ──▶ nginx :<actions proxy> ──▶ action servers (M)
                                      │  conversations: PostgreSQL (ThreadedSQLTrackerStore)
                                      │  locks: Redis (AsyncRedisLockStore)
                                      └─ catalogue, dossiers, desk: PostgreSQL (DATABASE_URL)

Only the citizens' and officers' paths (/webhooks/...) go through the proxy;
Rasa's HTTP API is not started and the loop probe (/webhooks/ops/) is never
proxied. nginx passes a request to the next Rasa server when one does not
answer (connection refused or reset), so a replica can die under load; the
watch loop of `make run-cluster` then starts it again on its port
(`Cluster.revive`, with a growing pause while it keeps dying at start), so
losing one replica is never an outage. Ctrl-C stops everything. The load benchmark and the replica test use
`running_cluster()` directly.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scripts.servers import MODEL, PROJECT_ROOT, RASA, ServerError, free_port
from settings import Settings

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/tthc_cluster"
DEFAULT_TRACKER_URL = "postgresql://postgres@127.0.0.1:5432/tthc_cluster_tracker"
DEFAULT_REDIS = "127.0.0.1:6379"
DEFAULT_LOGS = PROJECT_ROOT / "var" / "log" / "cluster"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEMO_ANCHOR = "2026-11-20"

NGINX_CONF = """\
# Written by scripts/cluster.py for one run; see README "Production layout".
{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {logs}/nginx-access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    client_max_body_size 1m;
    # Bodies and answers stay in memory (trackers sent to the action servers can be large).
    client_body_buffer_size 1m;
    proxy_buffers 64 16k;
    proxy_max_temp_file_size 0;

    upstream rasa {{
        least_conn;
{rasa_servers}
        keepalive 64;
    }}
    upstream actions {{
        least_conn;
{action_servers}
        keepalive 32;
    }}

    # Citizens and officers: only /webhooks/ (REST, web page, Zalo, officers' desk).
    server {{
        listen 127.0.0.1:{port};
        location /webhooks/ops/ {{
            default_type "application/json; charset=utf-8";
            return 404 '{not_found}';
        }}
        location /webhooks/ {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A replica that refuses or drops the connection: the next one answers (POSTs too).
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
        location = /health {{ return 200 "ok\\n"; }}
        location / {{
            default_type "application/json; charset=utf-8";
            return 404 '{not_found}';
        }}
        # No Rasa server could answer (all down or restarting): a short Vietnamese JSON, not nginx's page.
        error_page 502 503 504 = @unavailable;
        location @unavailable {{
            default_type "application/json; charset=utf-8";
            return 503 '{unavailable}';
        }}
    }}

    # The Rasa servers call the action servers through this one (loopback only).
    server {{
        listen 127.0.0.1:{actions_port};
        client_max_body_size 32m;
        client_body_buffer_size 32m;
        location / {{
            proxy_pass http://actions;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


# A replica that dies is started again on its port (nginx keeps sending to the others meanwhile),
# after 0 s, then 1, 3, 7, 15, 30 s while it keeps dying within QUICK_DEATH_S of its start.
QUICK_DEATH_S = 30.0
MAX_BACKOFF_S = 30.0


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen
    log: Path
    launch: Optional[Callable[[], subprocess.Popen]] = None  # the same server again, on the same port
    started_at: float = field(default_factory=time.monotonic)
    quick_deaths: int = 0
    restart_at: Optional[float] = None  # set while it waits to be started again
    restarts: int = 0
    answering: bool = True  # False from a restart until its health check answers
    health_path: str = "/"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def health_url(self) -> str:
        return self.url + self.health_path

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class Cluster:
    url: str  # the proxy: citizens' base URL
    rasa: List[Replica]
    actions: List[Replica]
    nginx: subprocess.Popen
    logs: Path
    env: Dict[str, str] = field(default_factory=dict)

    def kill(self, replica: Replica) -> None:
        """Kill a replica at once (SIGKILL), as a crash would."""
        replica.process.kill()
        replica.process.wait(timeout=10)

    def revive(self) -> List[str]:
        """Start again every replica that died (a crash, the OOM killer, a kill -9), on its own port.

        Called every second by `make run-cluster`'s watch loop. A replica that keeps
        dying right after its start waits longer each time (up to MAX_BACKOFF_S); the
        others keep serving meanwhile, so one dead replica is never an outage.
        Returns what to tell the operator (Vietnamese), one line per event.
        """
        notes = []
        now = time.monotonic()
        for replica in self.rasa + self.actions:
            if replica.launch is None or replica.alive():
                continue
            if replica.restart_at is None:  # just found dead
                quick = now - replica.started_at < QUICK_DEATH_S
                replica.quick_deaths = replica.quick_deaths + 1 if quick else 0
                delay = min(MAX_BACKOFF_S, 2.0 ** replica.quick_deaths - 1)
                replica.restart_at = now + delay
                kind = self.rasa if replica in self.rasa else self.actions
                if any(_healthy(other.health_url) for other in kind if other is not replica):
                    meanwhile = "các máy chủ cùng loại còn lại vẫn phục vụ"
                elif kind is self.rasa:
                    meanwhile = "trong lúc chờ, người dân nhận lời báo hệ thống bận kèm tổng đài (503)"
                else:
                    meanwhile = "trong lúc chờ, người dân nhận lời xin lỗi kèm tổng đài"
                notes.append(f"{replica.name} đã dừng (mã {replica.process.returncode}); khởi động lại sau "
                             f"{delay:.0f} giây, {meanwhile} (nhật ký: {replica.log})")
            if now >= replica.restart_at:
                replica.process = replica.launch()
                replica.started_at, replica.restart_at = now, None
                replica.restarts += 1
                replica.answering = False
                notes.append(f"{replica.name} đã được khởi động lại (lần {replica.restarts}).")
        for replica in self.rasa + self.actions:  # say when a restarted replica answers again
            if replica.restarts and not replica.answering and replica.alive() and _healthy(replica.health_url):
                replica.answering = True
                notes.append(f"{replica.name} đã chạy lại.")
        return notes


UNAVAILABLE = ("Xin lỗi, hệ thống đang bận hoặc đang khởi động lại nên chưa trả lời được. "
               "Bạn vui lòng thử lại sau ít phút, hoặc gọi tổng đài {hotline} để được hỗ trợ.")


def _nginx_json(message: str) -> str:
    """`{"error": message}` as an nginx single-quoted string's content."""
    body = json.dumps({"error": message}, ensure_ascii=False)
    if "'" in body or "\\" in body:
        raise ValueError("message not safe in nginx's configuration")
    return body


def nginx_conf(work: Path, logs: Path, port: int, actions_port: int, rasa_ports: List[int],
               action_ports: List[int], hotline: str = "1900 1234") -> str:
    """nginx's configuration: the public server on `port`, the action servers' proxy on `actions_port`.

    When no Rasa server answers, citizens get UNAVAILABLE (503, JSON, with `hotline`)."""

    def servers(ports: List[int]) -> str:
        return "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)

    # Started by root, nginx's workers would run as "nobody" and could not read the run's folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(user=user, work=work, logs=logs, port=port, actions_port=actions_port,
                             rasa_servers=servers(rasa_ports), action_servers=servers(action_ports),
                             not_found=_nginx_json("Không tìm thấy."),
                             unavailable=_nginx_json(UNAVAILABLE.format(hotline=hotline)))


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist (other backends: nothing)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}" ENCODING \'UTF8\' TEMPLATE template0'))
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    """Drop the PostgreSQL database of `url` (tests and benchmarks that made their own)."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": parsed.database})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    finally:
        admin.dispose()


def prepare_database(database_url: str, env: Dict[str, str], national: Optional[Path] = None,
                     dossiers: int = 300) -> None:
    """Migrate, import the curated (and optionally the national) catalogue, seed demo dossiers if empty."""
    ensure_database(database_url)
    python = [sys.executable]
    steps = [
        ["-m", "migrations", "--database-url", database_url, "upgrade"],
        ["-m", "procedures_kb", "--database-url", database_url, "import",
         str(PROJECT_ROOT / "procedures_kb" / "data" / "curated"), "--if-changed", "--no-progress"],
        ["-m", "dossiers", "--database-url", database_url, "seed", "--count", str(dossiers), "--if-empty",
         "--anchor", DEMO_ANCHOR],
    ]
    if national is not None and national.exists():
        steps.append(["-m", "procedures_kb", "--database-url", database_url, "import", str(national),
                      "--if-changed", "--no-progress"])
    for step in steps:
        done = subprocess.run(python + step, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise ServerError(f"{' '.join(step[:2])} failed:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")


def _tracker_env(tracker_url: str, redis: str) -> Dict[str, str]:
    tracker = make_url(tracker_url)
    host, _, port = redis.partition(":")
    return {
        "TRACKER_DB_HOST": tracker.host or "127.0.0.1",
        "TRACKER_DB_PORT": str(tracker.port or 5432),
        "TRACKER_DB_NAME": tracker.database,
        "TRACKER_DB_USER": tracker.username or "postgres",
        "TRACKER_DB_PASSWORD": tracker.password or "",
        "REDIS_HOST": host or "127.0.0.1",
        "REDIS_PORT": port or "6379",
    }


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def _wait_all(replicas: List[Replica], path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(replicas)
    while waiting and time.monotonic() < deadline:
        for replica in list(waiting):
            if not replica.alive():
                tail = replica.log.read_text(errors="replace")[-2000:]
                raise ServerError(f"{replica.name} exited early ({replica.process.returncode}):\n{tail}")
            if _healthy(replica.url + path):
                waiting.remove(replica)
        time.sleep(0.5)
    if waiting:
        raise ServerError(f"{', '.join(r.name for r in waiting)} did not come up in {timeout:.0f} s (logs: "
                          f"{waiting[0].log.parent})")


PRODUCTION_ENDPOINTS = PROJECT_ROOT / "endpoints.production.yml"


def start_rasa(name: str, env: Dict[str, str], logs: Path, model: Path = MODEL,
               endpoints: Path = PRODUCTION_ENDPOINTS) -> Replica:
    """One Rasa server on the production endpoints (loopback, no HTTP API)."""
    port = free_port()
    log = logs / f"{name}.log"

    def launch() -> subprocess.Popen:
        return subprocess.Popen(
            [str(RASA), "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(port),
             "--endpoints", str(endpoints),
             "--credentials", str(PROJECT_ROOT / "credentials.yml")],
            cwd=PROJECT_ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent_hook(),
        )

    return Replica(name, port, launch(), log, launch, health_path="/")


def start_actions(name: str, env: Dict[str, str], logs: Path) -> Replica:
    """One action server (loopback)."""
    port = free_port()
    log = logs / f"{name}.log"

    def launch() -> subprocess.Popen:
        return subprocess.Popen(
            [str(RASA), "run", "actions", "--actions", "actions", "--port", str(port)],
            cwd=PROJECT_ROOT, env={**env, "SANIC_HOST": "127.0.0.1"}, stdout=log.open("ab"),
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent_hook(),
        )

    return Replica(name, port, launch(), log, launch, health_path="/health")


def _stop(processes: List[subprocess.Popen]) -> None:
    """Stop each process and everything in its process group (each was started in a session of its
    own): nginx's workers too, even when their master already died."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=5)
        _signal_group(process, signal.SIGKILL)  # anything of the group still there (orphaned workers)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


_LIBC: Optional[object] = None


def _die_with_parent_hook() -> Optional[Callable[[], None]]:
    """A `preexec_fn` that makes the child get SIGTERM when the cluster's watcher dies, even by
    SIGKILL (Linux PR_SET_PDEATHSIG), so a killed watcher never leaves servers running unwatched.
    libc is loaded here, in the parent: the child only calls it (no import after fork)."""
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes

            _LIBC = ctypes.CDLL(None, use_errno=True)
        except OSError:
            return None
    libc, term = _LIBC, int(signal.SIGTERM)
    return lambda: libc.prctl(1, term)  # PR_SET_PDEATHSIG = 1


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def running_cluster(
    rasa: int = 2,
    actions: int = 1,
    port: Optional[int] = None,
    database_url: str = DEFAULT_DATABASE_URL,
    tracker_url: str = DEFAULT_TRACKER_URL,
    redis: str = DEFAULT_REDIS,
    logs: Path = DEFAULT_LOGS,
    env: Optional[Dict[str, str]] = None,
    model: Path = MODEL,
    national: Optional[Path] = None,
    endpoints: Path = PRODUCTION_ENDPOINTS,
    timeout: float = 300.0,
) -> Iterator[Cluster]:
    """Start the whole layout; yields a Cluster; stops everything on exit.

    `env` is added last to the servers' environment (e.g. APP_ENV,
    DOSSIER_HASH_KEY, OFFICER_API_TOKEN, LOOP_PROBE_INTERVAL). Raises
    ServerError (with the log's tail) if a part does not start.
    """
    if port and not _port_free(port):
        raise ServerError(f"Cổng {port} đang bận (một cụm khác hoặc chương trình khác đang dùng): dừng nó, "
                          "hoặc chọn cổng khác (CLUSTER_PORT=...).")
    if not model.exists():
        raise ServerError("No trained model: run `make model` first.")
    if not Path(NGINX).exists():
        raise ServerError("nginx is not installed: `make nginx` (apt-get install nginx-light).")
    logs.mkdir(parents=True, exist_ok=True)
    work = logs / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(work / sub, 0o777)  # nginx's workers may run as another user
    environment = dict(os.environ)
    environment.update(
        DATABASE_URL=database_url, PYTHONPATH=str(PROJECT_ROOT), RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2", SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    environment.setdefault("APP_ENV", "development")
    # Secrets every replica must share, made for this run unless given: the action servers' token,
    # the key that signs the citizens' conversation ids, the officers' desk API token.
    for name, size in (("ACTION_SERVER_TOKEN", 24), ("CONVERSATION_SECRET", 32), ("OFFICER_API_TOKEN", 24)):
        if not environment.get(name):
            environment[name] = secrets.token_urlsafe(size)
    # The Rasa servers sit behind nginx: the client is the address nginx adds last to X-Forwarded-For
    # (one trusted proxy; a caller's own X-Forwarded-For entries before it are not believed).
    environment.setdefault("SANIC_PROXIES_COUNT", "1")
    environment.update(_tracker_env(tracker_url, redis))
    environment.update(env or {})
    prepare_database(database_url, environment, national)
    ensure_database(tracker_url)

    port = port or free_port()
    actions_proxy = free_port()
    environment["ACTION_SERVER_URL"] = f"http://127.0.0.1:{actions_proxy}/webhook"
    action_servers: List[Replica] = []
    rasa_servers: List[Replica] = []
    proxy: List[subprocess.Popen] = []
    try:
        action_servers += [start_actions(f"actions-{i + 1}", environment, logs) for i in range(actions)]
        # The first Rasa server creates the tracker table; the others then start together.
        rasa_servers.append(start_rasa("rasa-1", environment, logs, model, endpoints))
        _wait_all(rasa_servers, "/", timeout)
        rasa_servers += [start_rasa(f"rasa-{i + 1}", environment, logs, model, endpoints) for i in range(1, rasa)]
        _wait_all(action_servers, "/health", timeout)
        _wait_all(rasa_servers, "/", timeout)
        conf = work / "nginx.conf"
        conf.write_text(nginx_conf(work, logs, port, actions_proxy, [r.port for r in rasa_servers],
                                   [r.port for r in action_servers], Settings.from_env(environment).hotline),
                        encoding="utf-8")
        nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
                                 stdout=(logs / "nginx.log").open("ab"), stderr=subprocess.STDOUT,
                                 start_new_session=True, preexec_fn=_die_with_parent_hook())
        proxy.append(nginx)
        deadline = time.monotonic() + 20
        while not _healthy(f"http://127.0.0.1:{port}/health"):
            if nginx.poll() is not None or time.monotonic() > deadline:
                raise ServerError("nginx did not start:\n" + (logs / "nginx.log").read_text(errors="replace")[-1500:])
            time.sleep(0.2)
        yield Cluster(f"http://127.0.0.1:{port}", rasa_servers, action_servers, nginx, logs, environment)
    finally:
        # The proxy first (no new turns), then Rasa (it may still call the actions), then the actions;
        # each replica's current process (a revived one is not the one first started).
        _stop(proxy + [r.process for r in rasa_servers] + [r.process for r in action_servers])


def _stop_once(signum: int, frame: object) -> None:
    """The first Ctrl-C or SIGTERM stops the cluster; later ones (make passes SIGTERM on, a second
    Ctrl-C) are ignored, so they cannot cut the stop short and leave servers running."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.cluster",
                                     description="nginx + N máy chủ Rasa + M máy chủ actions, PostgreSQL, Redis")
    parser.add_argument("--rasa", type=int, default=2, help="số máy chủ Rasa (N)")
    parser.add_argument("--actions", type=int, default=2, help="số máy chủ actions (M)")
    parser.add_argument("--port", type=int, default=8080, help="cổng của nginx (127.0.0.1)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="danh mục, hồ sơ, hàng chờ cán bộ")
    parser.add_argument("--tracker-url", default=DEFAULT_TRACKER_URL, help="cơ sở dữ liệu hội thoại (PostgreSQL)")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="host:port của Redis (khóa hội thoại)")
    parser.add_argument("--national", type=Path, help="nhập cả danh mục quốc gia (tệp .jsonl.gz)")
    args = parser.parse_args(argv)
    try:
        with running_cluster(args.rasa, args.actions, args.port, args.database_url, args.tracker_url, args.redis,
                             national=args.national) as cluster:
            print(f"Cụm đã sẵn sàng: {len(cluster.rasa)} máy chủ Rasa, {len(cluster.actions)} máy chủ actions, "
                  f"sau nginx tại {cluster.url}")
            print(f"  REST:  SENDER=$(curl -s -X POST {cluster.url}/webhooks/rest/conversations | "
                  "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"sender\"])')")
            print(f"         curl -s -X POST {cluster.url}/webhooks/rest/webhook -H 'Content-Type: application/json' "
                  "-d '{\"sender\": \"'$SENDER'\", \"message\": \"đăng ký khai sinh cần giấy tờ gì\"}'")
            print(f"  Bàn cán bộ (API): Authorization: Bearer {cluster.env['OFFICER_API_TOKEN']}")
            print(f"  Trang trò chuyện: {cluster.url}/webhooks/webchat/")
            print(f"  Nhật ký: {cluster.logs}/  —  nhấn Ctrl-C để dừng tất cả.")
            signal.signal(signal.SIGINT, _stop_once)
            signal.signal(signal.SIGTERM, _stop_once)
            while True:
                for note in cluster.revive():  # a dead replica is started again; the others serve meanwhile
                    print(note, flush=True)
                if cluster.nginx.poll() is not None:
                    print("nginx đã dừng; xem nhật ký.")
                    return 1
                time.sleep(1)
    except KeyboardInterrupt:
        print("\nĐã dừng cụm.")
        return 0
    except ServerError as exc:
        print(f"Không khởi động được cụm: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
