"""The real ``hubwire`` command line, run as a subprocess on its own SQLite database.

Backend-independent: these tests do not use the ``backend``-parametrized fixtures.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live_server import free_port

HUBWIRE = shutil.which("hubwire") or str(Path(sys.executable).parent / "hubwire")
# How long a started server may take to answer: a hang guard, not a speed check (a 2-core
# machine running the whole suite on four workers took more than 30 s once).
STARTUP_SECONDS = 90
# How long one CLI command may run (a hang guard too: several start at once, each importing
# the whole application, and one took more than 60 s beside the suite on that machine).
COMMAND_SECONDS = 180


@dataclass
class Cli:
    cwd: Path
    db_path: Path
    env: dict[str, str]

    def run(self, *args: str, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        (result,) = self.run_many([args], expect=expect)
        return result

    def run_many(
        self, commands: list[tuple[str, ...]], expect: int | None = 0
    ) -> list[subprocess.CompletedProcess[str]]:
        """Runs independent commands side by side (each process spends ~1.5 s starting)."""
        processes = [
            (
                args,
                subprocess.Popen(
                    [HUBWIRE, *args],
                    cwd=self.cwd,
                    env=self.env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
            for args in commands
        ]
        results = []
        for args, process in processes:
            stdout, stderr = process.communicate(timeout=COMMAND_SECONDS)
            result = subprocess.CompletedProcess(
                [HUBWIRE, *args], process.returncode, stdout, stderr
            )
            if expect is not None:
                assert result.returncode == expect, (args, stdout, stderr)
            results.append(result)
        return results

    def json(self, *args: str) -> dict[str, Any]:
        output = self.run(*args).stdout
        return dict(json.loads(output))

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.db_path)) as connection, connection:
            return connection.execute(statement, params).fetchall()

    @contextmanager
    def server(self) -> Iterator[str]:
        """``hubwire serve`` on a free port; yields its base URL once it answers."""
        port = free_port()
        log = (self.cwd / f"serve-{port}.log").open("w")
        env = {**self.env, "HUBWIRE_AUTH_CACHE_SECONDS": "0", "HUBWIRE_LOG_LEVEL": "WARNING"}
        process = subprocess.Popen(
            [HUBWIRE, "serve", "--port", str(port)],
            cwd=self.cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, Path(log.name))
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    root = tmp_path_factory.mktemp("cli")
    db_path = root / "cli.db"
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env["HUBWIRE_DATABASE_URL"] = f"sqlite+aiosqlite:///{db_path}"
    tool = Cli(cwd=root, db_path=db_path, env=env)
    migrated = tool.run("migrate")
    assert "up to date" in migrated.stdout
    return tool


@pytest.fixture(scope="module")
def acme(cli: Cli) -> dict[str, Any]:
    return cli.json("workspaces", "create", "acme", "--json")


KEY_CREATE = (
    "keys",
    "create",
    "--workspace",
    "acme",
    "--name",
    "ci",
    "--scopes",
    "leads:read,leads:write",
    "--tier",
    "basic",
    "--env",
    "test",
    "--expires-in-days",
    "30",
    "--json",
)


def create_keys(cli: Cli, count: int) -> list[dict[str, Any]]:
    return [json.loads(result.stdout) for result in cli.run_many([KEY_CREATE] * count)]


def test_migrate_creates_the_schema_and_is_idempotent(cli: Cli) -> None:
    tables = {name for (name,) in cli.sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"workspaces", "api_clients", "api_keys", "usage_logs", "leads"} <= tables
    again = cli.run("migrate").stdout
    assert "nothing to apply" in again and "applied 0" not in again


def test_migrate_on_an_empty_database_says_what_it_applied(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    # The form a hosting platform hands out: no async driver named.
    env["HUBWIRE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = subprocess.run(
        [HUBWIRE, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    applied = [line for line in lines if line.startswith("applied ")]
    assert applied[0] == "applied 0001 initial schema"
    assert len(applied) >= 7
    assert lines[-1] == f"database is up to date ({len(applied)} migrations applied)"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HUBWIRE_MAX_BODY_BYTES", "10", "HUBWIRE_MAX_BODY_BYTES='10': Input should be greater"),
        ("HUBWIRE_LOG_LEVEL", "NOPE", "HUBWIRE_LOG_LEVEL='NOPE': Input should be 'CRITICAL'"),
        (
            "HUBWIRE_WEBHOOK_RETRY_SCHEDULE",
            "5,10",
            "HUBWIRE_WEBHOOK_RETRY_SCHEDULE: not valid JSON",
        ),
        ("HUBWIRE_DATABASE_URL", "mysql://db/hubwire", "use postgresql://user:password@"),
        ("HUBWIRE_SECRET_KEY", "", None),  # valid: the embedded key file is used
    ],
)
def test_an_invalid_setting_is_one_line_not_a_traceback(
    tmp_path: Path, variable: str, value: str, expected: str | None
) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env["HUBWIRE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'settings.db'}"
    env[variable] = value
    result = subprocess.run(
        [HUBWIRE, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    if expected is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and expected in line, line


def test_settings_and_the_connector_selection_are_read_from_dot_env(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    (tmp_path / ".env").write_text(
        f"HUBWIRE_DATABASE_URL=sqlite:///{tmp_path / 'dotenv.db'}\nHUBWIRE_CONNECTORS=zoho\n"
    )
    listed = subprocess.run(
        [HUBWIRE, "connectors", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The selection came from .env; the message names what is installed.
    assert listed.returncode != 0
    said = listed.stdout + listed.stderr
    assert "names connectors that are not installed: zoho (installed: " in said
    assert "hubspot" in said.split("installed: ", 2)[2]
    migrated = subprocess.run(
        [HUBWIRE, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "dotenv.db").exists()


def test_workspace_create_prints_json(cli: Cli, acme: dict[str, Any]) -> None:
    assert acme["slug"] == "acme"
    assert acme["id"].startswith("ws_")
    assert acme["defaultClientId"].startswith("cli_")
    assert cli.sql("SELECT id, slug FROM workspaces WHERE slug = 'acme'") == [(acme["id"], "acme")]
    clients = cli.sql("SELECT workspace_id FROM api_clients WHERE id = ?", acme["defaultClientId"])
    assert clients == [(acme["id"],)]

    plain = cli.run("workspaces", "create", "globex", "--name", "Globex Corp")
    assert plain.stdout.startswith("created workspace globex (ws_")


def test_duplicate_or_invalid_workspace_fails_clearly(cli: Cli, acme: dict[str, Any]) -> None:
    duplicate, invalid = cli.run_many(
        [("workspaces", "create", "acme", "--json"), ("workspaces", "create", "Not A Slug")],
        expect=1,
    )
    assert duplicate.stdout == ""
    assert duplicate.stderr.strip() == "error: Workspace 'acme' already exists."
    assert cli.sql("SELECT count(*) FROM workspaces WHERE slug = 'acme'") == [(1,)]
    assert "lowercase letters, digits or dashes" in invalid.stderr


def test_key_create_prints_the_key_once_as_json(cli: Cli, acme: dict[str, Any]) -> None:
    (key,) = create_keys(cli, 1)
    assert key["id"].startswith("key_")
    assert key["key"].startswith("hw_test_" + key["id"].removeprefix("key_") + "_")
    assert key["workspace"] == "acme"
    assert key["clientId"] == acme["defaultClientId"]
    assert key["scopes"] == ["leads:read", "leads:write"]
    assert key["tier"] == "basic"
    assert key["environment"] == "test"
    expires_at = datetime.fromisoformat(key["expiresAt"])
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)

    # Only a digest of the secret is stored.
    secret = key["key"].rsplit("_", 1)[1]
    (stored,) = cli.sql("SELECT secret_hash, status, tier FROM api_keys WHERE id = ?", key["id"])
    assert secret not in stored[0]
    assert stored[1:] == ("active", "basic")

    # Without --tier a key follows its client's tier.
    client_id = acme["defaultClientId"]
    cli.sql("UPDATE api_clients SET rate_limit_tier = 'premium' WHERE id = ?", client_id)
    plain_create = ("keys", "create", "--workspace", "acme", "--scopes", "leads:read")
    plain, inherited = cli.run_many(
        [(*plain_create, "--name", "x"), (*plain_create, "--name", "y", "--json")]
    )
    cli.sql("UPDATE api_clients SET rate_limit_tier = 'basic' WHERE id = ?", client_id)
    assert "store this key now" in plain.stdout
    assert plain.stdout.strip().splitlines()[-1].startswith("hw_live_")
    following = json.loads(inherited.stdout)
    assert (following["tier"], following["environment"]) == ("premium", "live")
    assert cli.sql("SELECT tier FROM api_keys WHERE id = ?", following["id"]) == [(None,)]


def text_of(output: str) -> str:
    """Click/Rich wraps error messages in a box; this joins the lines back into one."""
    return " ".join(output.replace("│", " ").split())


def test_workspaces_and_keys_are_listed(cli: Cli, acme: dict[str, Any]) -> None:
    (key,) = create_keys(cli, 1)
    revoked = create_keys(cli, 1)[0]
    cli.run("keys", "revoke", revoked["id"])
    workspaces = [
        json.loads(line) for line in cli.run("workspaces", "list", "--json").stdout.splitlines()
    ]
    mine = next(w for w in workspaces if w["slug"] == "acme")
    active = cli.sql(
        "SELECT count(*) FROM api_keys WHERE workspace_id = ? AND status = 'active'", acme["id"]
    )[0][0]
    assert mine == {"id": acme["id"], "slug": "acme", "name": "acme", "activeKeys": active}
    listed = [
        json.loads(line)
        for line in cli.run("keys", "list", "--workspace", "acme", "--json").stdout.splitlines()
    ]
    by_id = {row["id"]: row for row in listed}
    assert by_id[key["id"]]["status"] == "active"
    assert by_id[revoked["id"]]["status"] == "revoked"
    assert by_id[key["id"]]["maskedKey"].endswith("_********")
    assert all(key["key"] not in json.dumps(row) for row in listed)  # never the secret
    active_only = cli.run("keys", "list", "--workspace", "acme", "--status", "active").stdout
    assert key["id"] in active_only and revoked["id"] not in active_only


def test_key_create_refuses_bad_input(cli: Cli, acme: dict[str, Any]) -> None:
    create = ("keys", "create", "--name", "refused")
    unknown_workspace, unknown_scope, past, missing = cli.run_many(
        [
            (*create, "--workspace", "nope", "--scopes", "leads:read"),
            (*create, "--workspace", "acme", "--scopes", "leads:fly"),
            (*create, "--workspace", "acme", "--scopes", "leads:read", "--expires-in-days", "0"),
            ("keys", "revoke", "key_doesnotexist"),
        ],
        expect=None,
    )
    assert unknown_workspace.returncode == 1
    assert "Workspace 'nope' does not exist." in unknown_workspace.stderr

    assert unknown_scope.returncode != 0
    assert "--scopes: unknown scope(s): leads:fly" in text_of(unknown_scope.stderr)

    assert past.returncode != 0
    assert "--expires-in-days: Input should be greater than or equal to 1" in text_of(past.stderr)

    assert missing.returncode != 0
    assert "API key key_doesnotexist does not exist." in text_of(missing.stderr)

    for result in (unknown_workspace, unknown_scope, past, missing):
        assert "Traceback" not in result.stderr
    assert cli.sql("SELECT count(*) FROM api_keys WHERE name = 'refused'") == [(0,)]


def test_printed_key_works_over_http_until_revoked(cli: Cli, acme: dict[str, Any]) -> None:
    key, other = create_keys(cli, 2)
    headers = {"Authorization": f"Bearer {key['key']}"}
    with cli.server() as base:
        listed = httpx.get(f"{base}/v1/leads", headers=headers, timeout=10)
        assert listed.status_code == 200, listed.text
        assert listed.json()["data"] == []
        assert listed.headers["X-RateLimit-Limit"] == "60"  # the basic tier
        created = httpx.post(f"{base}/v1/leads", headers=headers, json={"name": "Ada"}, timeout=10)
        assert created.status_code == 201, created.text

        revoked = cli.run("keys", "revoke", key["id"])
        assert revoked.stdout.strip() == f"revoked {key['id']}"

        rejected = httpx.get(f"{base}/v1/leads", headers=headers, timeout=10)
        assert rejected.status_code == 401
        assert rejected.json()["error"]["code"] == "UNAUTHORIZED"
        still = httpx.get(
            f"{base}/v1/leads", headers={"Authorization": f"Bearer {other['key']}"}, timeout=10
        )
        assert still.status_code == 200
        assert [lead["name"] for lead in still.json()["data"]] == ["Ada"]

    assert cli.sql("SELECT status FROM api_keys WHERE id = ?", key["id"]) == [("revoked",)]
    # The server flushed its usage records (at the latest on shutdown).
    used = cli.sql(
        "SELECT method, endpoint, status_code FROM usage_logs WHERE key_id = ? ORDER BY id",
        key["id"],
    )
    assert used == [("GET", "/v1/leads", 200), ("POST", "/v1/leads", 201)]
    assert cli.sql("SELECT last_used_at IS NOT NULL FROM api_keys WHERE id = ?", key["id"]) == [
        (1,)
    ]


def test_usage_cleanup_deletes_only_old_logs(cli: Cli) -> None:
    def log(request_id: str, age: timedelta) -> None:
        moment = (datetime.now(UTC) - age).strftime("%Y-%m-%d %H:%M:%S.%f")
        cli.sql(
            "INSERT INTO usage_logs (timestamp, request_id, method, endpoint, status_code,"
            " response_time_ms, request_bytes, response_bytes)"
            " VALUES (?, ?, 'GET', '/v1/leads', 200, 1.0, 0, 10)",
            moment,
            request_id,
        )

    log("cleanup-ancient", timedelta(days=400))
    log("cleanup-old", timedelta(days=91))
    log("cleanup-recent", timedelta(days=89))
    before = cli.sql("SELECT count(*) FROM usage_logs")[0][0]

    result = cli.run("usage", "cleanup", "--older-than-days", "90")
    assert result.stdout.strip() == "deleted 2 usage log(s) older than 90 days"
    remaining = {rid for (rid,) in cli.sql("SELECT request_id FROM usage_logs")}
    assert "cleanup-recent" in remaining
    assert not {"cleanup-ancient", "cleanup-old"} & remaining
    assert cli.sql("SELECT count(*) FROM usage_logs")[0][0] == before - 2

    again, invalid = cli.run_many(
        [
            ("usage", "cleanup", "--older-than-days", "90"),
            ("usage", "cleanup", "--older-than-days", "0"),
        ],
        expect=None,
    )
    assert again.returncode == 0
    assert "deleted 0" in again.stdout
    assert invalid.returncode != 0


def _demo(cwd: Path, env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [HUBWIRE, "serve", "--demo", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _demo_credentials(process: subprocess.Popen[str]) -> tuple[str, str, str]:
    """Reads the start-up lines until the key and the login are printed."""
    assert process.stdout is not None
    key = login = ""
    deadline = time.monotonic() + 60
    while not (key and login):
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            pytest.fail("hubwire serve --demo exited before printing its credentials")
        if time.monotonic() > deadline:
            pytest.fail("hubwire serve --demo printed no credentials within 60 s")
        if "Demo key:" in line:
            key = line.split("Demo key:")[1].strip()
        if "Demo login:" in line:
            login = line.split("Demo login:")[1].strip()
    email, password = (part.strip() for part in login.split(" / "))
    return key, email, password


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(
    base: str, process: subprocess.Popen[Any] | None = None, log: Path | None = None
) -> None:
    """Until the server answers; a server that exits first fails at once, with its log."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{base} exited: {log.read_text() if log else process.returncode}")
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                pytest.fail(f"{base} did not answer within {STARTUP_SECONDS} s")
            time.sleep(0.1)


def test_the_demo_key_and_login_survive_a_restart_and_a_busy_port(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("HUBWIRE_")}
    env.update(
        HUBWIRE_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}", HUBWIRE_LOG_LEVEL="WARNING"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first = _demo(tmp_path, env, port)
    try:
        key, email, password = _demo_credentials(first)
        _wait_until_up(base)
        # A second demo on the same port: refused before it changes anything.
        second = subprocess.run(
            [HUBWIRE, "serve", "--demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
        )
        assert second.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
        assert "Demo key" not in second.stdout
        leads = httpx.get(f"{base}/v1/leads", headers={"Authorization": f"Bearer {key}"})
        assert leads.status_code == 200
    finally:
        _stop(first)
    # Nothing in clear on disk: the kept credentials are sealed.
    kept = (tmp_path / "var" / "demo-credentials").read_text()
    assert key not in kept and password not in kept
    again = _demo(tmp_path, env, port)
    try:
        assert _demo_credentials(again) == (key, email, password)
        _wait_until_up(base)
        leads = httpx.get(f"{base}/v1/leads", headers={"Authorization": f"Bearer {key}"})
        assert leads.status_code == 200
        session = httpx.post(f"{base}/v1/auth/login", json={"email": email, "password": password})
        assert session.status_code == 200, session.text
    finally:
        _stop(again)


def test_partner_and_its_key_are_created_and_the_key_onboards_over_http(cli: Cli) -> None:
    made = cli.run(
        "partners",
        "create",
        "Acme Agency",
        "--contact-email",
        "ops@agency.example",
        "--scopes",
        "agents:read,agents:write",
        "--json",
    )
    partner = json.loads(made.stdout)
    assert partner["id"].startswith("ptn_")
    assert partner["workspaceScopes"] == ["agents:read", "agents:write"]
    refused = cli.run(
        "partners",
        "create",
        "X",
        "--contact-email",
        "x@example.com",
        "--scopes",
        "leads:fly",
        expect=1,
    )
    assert "Unknown scopes" in refused.stderr
    issued = json.loads(
        cli.run("partners", "create-key", "--partner", partner["id"], "--json").stdout
    )
    assert issued["key"].startswith("hwp_live_") and issued["id"].startswith("pkey_")
    # Only a digest is stored.
    assert (
        cli.sql("SELECT secret_hash FROM partner_keys WHERE id = ?", issued["id"])[0][0]
        not in issued["key"]
    )

    headers = {"Authorization": f"Bearer {issued['key']}"}
    with cli.server() as base:
        created = httpx.post(
            f"{base}/v1/partner/workspaces",
            headers=headers,
            json={"name": "Corner Bakery", "contactEmail": "b@example.com"},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        inside = {**headers, "Hubwire-Workspace": created.json()["id"]}
        agent = httpx.post(f"{base}/v1/agents", headers=inside, json={"name": "Sam"}, timeout=10)
        assert agent.status_code == 201, agent.text
