"""The deploy/ folder: the compose file, the container file and the proxy agree with the app and each other.

No container engine runs here, so the files are checked as data: the compose file as YAML (two app
servers built from the container file, PostgreSQL with a volume, health checks, the settings the app
reads), the container file line by line, the nginx configuration for sticky sessions and websocket
upgrades. Where Debian's nginx is installed, the proxy configuration also runs for real in front of two
small loopback servers: a browser stays on one server, and a websocket upgrade reaches it.
"""

from __future__ import annotations

import http.client
import re
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from streamlit import config as st_config

from sim import roles
from tests.nginx_proxy import require_nginx, running_proxy

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def apps(compose: dict) -> dict[str, dict]:
    """The app servers: the services built from deploy/Dockerfile."""
    return {
        name: svc
        for name, svc in compose["services"].items()
        if isinstance(svc.get("build"), dict) and svc["build"].get("dockerfile") == "deploy/Dockerfile"
    }


@pytest.fixture(scope="module")
def nginx_conf() -> str:
    return (DEPLOY / "nginx.conf").read_text(encoding="utf-8")


def _env(svc: dict) -> dict[str, str]:
    env = svc.get("environment", {})
    return dict(e.split("=", 1) for e in env) if isinstance(env, list) else {k: str(v) for k, v in env.items()}


def _dockerfile() -> list[str]:
    """The container file's instructions, continuation lines joined, comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _volume_targets(svc: dict) -> dict[str, str]:
    """Mount target -> source of a service's short-syntax volumes."""
    out = {}
    for v in svc.get("volumes", []):
        source, target = v.split(":")[:2]
        out[target] = source
    return out


# ----------------------------------------------------------------- compose


def test_two_app_servers_from_the_container_file_each_with_its_health_check(apps):
    assert len(apps) >= 2
    for name, svc in apps.items():
        # The container file's HEALTHCHECK is the one check: an override here would be a second copy to keep in step.
        assert "healthcheck" not in svc, name
        assert svc["build"]["context"] == "..", name  # the repository root, which the container file copies from
    (check,) = [line for line in _dockerfile() if line.startswith("HEALTHCHECK")]
    assert "/_stcore/health" in check and ":8501" in check


def test_postgresql_keeps_its_data_in_a_named_volume_and_reports_health(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    mounts = _volume_targets(db)
    assert mounts["/var/lib/postgresql/data"] in compose["volumes"]
    assert "pg_isready" in db["healthcheck"]["test"]


def test_the_app_servers_share_the_database_the_db_service_creates(compose, apps):
    db_env = _env(compose["services"]["db"])
    for name, svc in apps.items():
        url = _env(svc)["NQ57_STORE_URL"]
        m = re.fullmatch(r"postgresql://(?P<user>[^:]+):(?P<pw>.+)@(?P<host>[^:/]+):5432/(?P<db>\w+)", url)
        assert m, (name, url)
        assert m["host"] == "db" and m["user"] == db_env["POSTGRES_USER"] and m["db"] == db_env["POSTGRES_DB"]
        assert m["pw"] == db_env["POSTGRES_PASSWORD"]  # the same ${POSTGRES_PASSWORD} on both sides
        assert svc["depends_on"]["db"]["condition"] == "service_healthy"


def _env_name(option: str) -> str:
    """The environment variable of a Streamlit option: server.cookieSecret -> STREAMLIT_SERVER_COOKIE_SECRET."""
    return "STREAMLIT_" + re.sub(r"(?<=[a-z])(?=[A-Z])", "_", option).replace(".", "_").upper()


def test_every_setting_given_to_the_app_is_one_it_reads(apps):
    """NQ57_* names appear in the app's code; STREAMLIT_* names are Streamlit options (server.cookieSecret ...)."""
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("sim", "ui") for p in (ROOT / d).rglob("*.py"))
    options = {_env_name(k) for k in st_config.get_config_options()}
    for svc in apps.values():
        for key in _env(svc):
            if key.startswith("NQ57_"):
                assert f'"{key}"' in code, f"{key} is not read by the app"
            else:
                assert key in options, f"{key} is not a Streamlit option"
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in options  # the conversion above finds real options


def test_both_servers_sign_cookies_with_the_same_secret(apps):
    secrets = {_env(svc)["STREAMLIT_SERVER_COOKIE_SECRET"] for svc in apps.values()}
    assert len(secrets) == 1 and next(iter(secrets)).startswith("${")  # from deploy/.env, not written here


def test_the_roles_file_is_mounted_where_the_setting_points_and_is_valid(apps):
    for svc in apps.values():
        mounts = _volume_targets(svc)
        source = mounts[_env(svc)[roles.ROLES_ENV]]
        got, from_file = roles.load_roles(DEPLOY / source)
        assert (
            from_file
            and roles.PLANNER in got.roles_of("anyone@example.gov.vn")
            and roles.APPROVER not in got.roles_of("anyone@example.gov.vn")
        )


def test_the_sign_in_secrets_land_where_streamlit_reads_them(apps):
    workdir = next(line.split()[1] for line in _dockerfile() if line.startswith("WORKDIR"))
    for svc in apps.values():
        assert _volume_targets(svc)[f"{workdir}/.streamlit/secrets.toml"] == "./secrets.toml"
    auth = tomllib.loads((DEPLOY / "secrets.example.toml").read_text(encoding="utf-8"))["auth"]
    assert set(auth) == {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert auth["redirect_uri"].endswith("/oauth2callback")  # Streamlit refuses any other callback path


def test_the_proxy_waits_for_healthy_app_servers(compose, apps):
    proxy = compose["services"]["proxy"]
    assert _volume_targets(proxy)["/etc/nginx/nginx.conf"] == "./nginx.conf"
    assert {n for n, d in proxy["depends_on"].items() if d["condition"] == "service_healthy"} == set(apps)


# ----------------------------------------------------------------- container file


def test_the_container_file_runs_streamlit_as_a_user_of_its_own():
    lines = _dockerfile()
    assert lines[0] == "FROM python:3.11-slim"
    assert any(line.startswith("RUN pip install -r requirements.txt") for line in lines)
    user = [line.split()[1] for line in lines if line.startswith("USER")]
    assert user and user[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") and "/_stcore/health" in line for line in lines)
    assert lines[-1].startswith("CMD") and '"streamlit", "run", "app.py"' in lines[-1]
    for line in lines:
        if line.startswith("COPY"):
            for src in line.split()[1:-1]:
                assert (ROOT / src).exists(), f"{src} copied but missing"


def test_the_container_holds_every_folder_the_app_reads():
    copied = {line.split()[1] for line in _dockerfile() if line.startswith("COPY")}
    for needed in ("app.py", "sim", "ui", "locale", "scenarios", "stories", ".streamlit/config.toml"):
        assert needed in copied, needed


# ----------------------------------------------------------------- proxy configuration


def test_the_proxy_routes_to_every_app_server_by_a_sticky_cookie(nginx_conf, apps):
    upstream = re.search(r"upstream\s+nq57_app\s*\{(.*?)\}", nginx_conf, re.S)
    assert upstream
    servers = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", upstream[1], re.M)
    assert sorted(servers) == sorted((name, "8501") for name in apps)
    assert re.search(r"hash\s+\$nq57_route\s+consistent;", upstream[1])
    assert "map $cookie_nq57_route $nq57_route" in nginx_conf
    assert "add_header Set-Cookie $nq57_route_cookie always;" in nginx_conf


def test_the_proxy_passes_websocket_upgrades_and_the_upload_size(nginx_conf):
    assert "proxy_http_version 1.1;" in nginx_conf
    assert "proxy_set_header Upgrade $http_upgrade;" in nginx_conf
    assert "proxy_set_header Connection $connection_upgrade;" in nginx_conf
    assert re.search(r"location /_stcore/stream \{[^}]*proxy_read_timeout 1d;", nginx_conf)
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", nginx_conf)[1])
    app_limit_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert limit_mb > app_limit_mb  # the app refuses too-big uploads with its own message, not nginx


# ----------------------------------------------------------------- the proxy running for real


class _Backend(BaseHTTPRequestHandler):
    """Answers with its server's name and the upgrade headers it received."""

    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Got-Upgrade", self.headers.get("Upgrade", ""))
        self.send_header("X-Got-Connection", self.headers.get("Connection", ""))
        self.send_header("X-Got-Host", self.headers.get("Host", ""))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def proxy(apps: dict) -> Iterator[int]:
    """deploy/nginx.conf in front of one small loopback server per app server; the port nginx listens on."""
    require_nginx()
    backends = {}
    for name in sorted(apps):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
        srv.name = name  # type: ignore[attr-defined]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        backends[name] = srv
    with running_proxy({name: srv.server_port for name, srv in backends.items()}) as port:
        yield port
    for srv in backends.values():
        srv.shutdown()


def _get(port: int, path: str = "/", headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    resp.body = resp.read().decode()  # type: ignore[attr-defined]
    conn.close()
    return resp


def test_a_browser_stays_on_the_server_its_first_request_reached(proxy, apps):
    seen_first = set()
    for _ in range(30):
        first = _get(proxy)
        cookie = first.getheader("Set-Cookie")
        assert cookie and cookie.startswith("nq57_route=") and "HttpOnly" in cookie
        route = cookie.split(";")[0]
        seen_first.add(first.body)  # type: ignore[attr-defined]
        for path in ("/", "/_stcore/health", "/_stcore/stream"):
            later = _get(proxy, path, {"Cookie": route})
            assert later.body == first.body  # type: ignore[attr-defined]
            assert later.getheader("Set-Cookie") is None  # the route is set once
    assert seen_first == set(apps)  # thirty new browsers are spread over both servers


def test_a_websocket_upgrade_reaches_the_server_with_the_host_the_browser_used(proxy):
    browser_host = f"simulator.example.gov.vn:{proxy}"  # Streamlit compares it with the websocket's Origin
    resp = _get(proxy, "/_stcore/stream", {"Upgrade": "websocket", "Connection": "Upgrade", "Host": browser_host})
    assert resp.getheader("X-Got-Host") == browser_host
    assert resp.getheader("X-Got-Upgrade") == "websocket"
    assert resp.getheader("X-Got-Connection").lower() == "upgrade"
    plain = _get(proxy, "/")
    assert plain.getheader("X-Got-Upgrade") == "" and plain.getheader("X-Got-Connection") == ""
