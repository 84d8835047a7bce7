"""Nothing secret in any log: a real `userphoto serve` at DEBUG with the access log on.

The scenario uses every kind of credential there is: passwords set on the command line,
admin logins (right and wrong), Basic auth, Bearer keys, an `sk-` key created over the API,
DocSpace's login token as header and cookie, onOffice HMAC-signed requests (and a forged
one), signed photo links, the server key. Then every captured line (the server's stdout
and stderr, every command's stderr) is searched for each secret, whole and as its Basic
header encoding.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.dialects.onoffice.support import READ, sign_v2
from tests.e2e.conftest import image_bytes
from tests.e2e.processes import SCRIPT, free_port, stop, wait_for_health
from userphoto.core.links import REDACTED

ADMIN_PASSWORD = "Admin-" + secrets.token_urlsafe(12)
SAM_PASSWORD = "Sam-" + secrets.token_urlsafe(12)
WRONG_PASSWORD = "Wrong-" + secrets.token_urlsafe(12)
SERVER_KEY = "key-" + secrets.token_urlsafe(24)
USERS = [
    {"Nr": 1, "Name": "boss", "email": "boss@example.com", "Vorname": "Bo", "isAdmin": True},
    {"Nr": 2, "Name": "sam", "email": "sam@example.com", "Vorname": "Sam", "Nachname": "Stone"},
]


class World:
    """The environment, the secrets met so far, and everything that was logged."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = tmp_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("USERPHOTO_")}
        self.env |= {
            "USERPHOTO_DATA_DIR": str(tmp_path / "data"),
            "USERPHOTO_SERVER_KEY": SERVER_KEY,
            "USERPHOTO_PUBLIC_URL": self.base,
            "USERPHOTO_LOG_LEVEL": "debug",
            "USERPHOTO_ACCESS_LOG": "true",
            "USERPHOTO_SIGNED_PHOTO_LINKS": "true",
            "COLUMNS": "200",
        }
        self.secrets: dict[str, str] = {
            "admin password": ADMIN_PASSWORD,
            "user password": SAM_PASSWORD,
            "wrong password": WRONG_PASSWORD,
            "server key": SERVER_KEY,
        }
        self.logged: list[str] = []

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        self.logged.append(done.stderr)  # stdout shows a new secret once, by design
        return done.stdout

    def keep(self, name: str, value: str) -> str:
        assert value, name
        self.secrets[name] = value
        return value


def prepared_world(tmp_path: Path) -> World:
    """Users, passwords, a photo, an API key and an onOffice API user, all by command."""
    world = World(tmp_path)
    users = tmp_path / "users.jsonl"
    users.write_text("\n".join(json.dumps(u) for u in USERS))
    (tmp_path / "boss.png").write_bytes(image_bytes())
    world.cli("users", "import", str(users))
    world.cli("users", "set-password", "boss", "--password", ADMIN_PASSWORD)
    world.cli("users", "set-password", "sam", "--password", SAM_PASSWORD)
    world.cli("photos", "set", "boss", str(tmp_path / "boss.png"))
    key = json.loads(world.cli("apikey", "create", "--user", "boss", "--json"))["key"]
    world.keep("cli api key", key)
    api_user = json.loads(
        world.cli("apiuser", "create", "crm", "--user", "1", "--right", "read-user-data", "--json")
    )
    world.keep("onOffice token", api_user["token"])
    world.keep("onOffice secret", api_user["secret"])
    return world


@contextmanager
def running(world: World) -> Iterator[None]:
    """The server for the scenario; its whole output joins the logs once it has stopped."""
    out = (world.tmp / "server.log").open("w")
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(world.port)],
        env=world.env,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_health(world.base, process)
        yield
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # a clean shutdown logs its last lines too
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                stop(process)
        out.close()
        world.logged.append((world.tmp / "server.log").read_text())


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def admin_session(world: World, http: httpx.Client, password: str) -> httpx.Response:
    form = http.get("/admin/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    world.keep("csrf token", csrf.group(1))
    return http.post(
        "/admin/login",
        data={"csrf_token": csrf.group(1), "next": "/admin", "login": "boss", "password": password},
    )


def onoffice_request(world: World, token: str, secret: str, parameters: dict[str, Any]) -> Any:
    timestamp = int(time.time())
    signature = sign_v2(secret, timestamp, token, "userphoto", READ)
    world.keep(f"onOffice hmac {len(world.secrets)}", signature)
    action = {
        "actionid": READ,
        "identifier": "",
        "parameters": parameters,
        "resourceid": "",
        "resourcetype": "userphoto",
        "timestamp": timestamp,
        "hmac_version": 2,
        "hmac": signature,
    }
    body = {"token": token, "request": {"actions": [action]}}
    return httpx.post(f"{world.base}/api/stable/api.php", json=body, timeout=30).json()


def run_scenario(world: World) -> None:
    base, key = world.base, world.secrets["cli api key"]
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as admin:
        assert admin_session(world, admin, WRONG_PASSWORD).status_code in (401, 403, 200)
        answer = admin_session(world, admin, ADMIN_PASSWORD)
        assert answer.status_code == 200 and "Directory" in answer.text
        world.keep("admin session", admin.cookies["userphoto_session"])
        assert admin.get("/admin/people/1").status_code == 200
    created = httpx.post(
        f"{base}/api/v1/api-keys", json={"name": "app", "user_number": 2}, headers=bearer(key)
    )
    assert created.status_code == 201, created.text
    sam_key = world.keep("native api key", created.json()["key"])
    for auth in (basic("boss", ADMIN_PASSWORD), basic("sam", WRONG_PASSWORD), f"Bearer {key}"):
        httpx.get(f"{base}/api/v1/users", headers={"Authorization": auth})
        httpx.get(
            f"{base}/EWS/Exchange.asmx/s/GetUserPhoto",
            params={"email": "boss@example.com", "size": "HR48x48"},
            headers={"Authorization": auth},
        )
    world.keep("basic header", basic("boss", ADMIN_PASSWORD).split()[1])
    assert httpx.get(f"{base}/v1.0/me/photo/$value", headers=bearer(sam_key)).status_code == 404
    assert httpx.get(f"{base}/v1.0/users/1/photo/$value", headers=bearer(key)).status_code == 200
    docspace_login = {"userName": "sam@example.com", "password": SAM_PASSWORD}
    login = httpx.post(f"{base}/api/2.0/authentication", json=docspace_login)
    token = world.keep("docspace token", login.json()["response"]["token"])
    httpx.post(
        f"{base}/api/2.0/authentication", json={**docspace_login, "password": WRONG_PASSWORD}
    )
    me = httpx.get(f"{base}/api/2.0/people/@self", headers={"Authorization": token})
    assert me.status_code == 200
    boss = httpx.get(f"{base}/api/2.0/people/1/photo", cookies={"asc_auth_key": token})
    avatar = boss.json()["response"]["max"]
    world.keep("docspace signed name", avatar.split("/")[-1].split("_")[0])
    assert httpx.get(base + avatar, headers={"Authorization": token}).status_code == 200
    onoffice = world.secrets["onOffice token"], world.secrets["onOffice secret"]
    links = onoffice_request(world, *onoffice, {"photosAsLinks": True})
    records = links["response"]["results"][0]["data"]["records"]
    link = next(r["elements"]["photo"] for r in records if r["elements"]["photo"])
    world.keep("onOffice signed link", link.rsplit("_", 1)[1].removesuffix(".jpg"))
    assert httpx.get(link).status_code == 200
    onoffice_request(world, onoffice[0], "not-the-secret", {})


def test_no_secret_reaches_a_log(tmp_path: Path) -> None:
    world = prepared_world(tmp_path)
    with running(world):
        run_scenario(world)
    logs = "\n".join(world.logged)
    # The logs really were at DEBUG with the access log on, and saw the signed links.
    assert "DEBUG" in logs and "server_key=(set)" in logs
    assert '"GET /healthz HTTP/1.1" 200' in logs
    assert "POST /api/stable/api.php" in logs and "/admin/login" in logs
    assert f"Userphoto_{REDACTED}.jpg" in logs
    leaked = [
        name
        for name, secret in world.secrets.items()
        if secret in logs or base64.b64encode(secret.encode()).decode() in logs
    ]
    assert leaked == []
