"""Settings: the database URL forms platforms hand out, and errors a person can read."""

from __future__ import annotations

import pytest

from core.settings import Settings, SettingsError, load


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+asyncpg://u:p@db.example:5432/app"),
        ("postgresql://u@127.0.0.1/test", "postgresql+asyncpg://u@127.0.0.1/test"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///var/hubwire.db", "sqlite+aiosqlite:///var/hubwire.db"),
        ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
    ],
)
def test_database_url_forms_get_the_async_driver(given: str, used: str) -> None:
    assert load(Settings, _env_file=None, database_url=given).database_url == used


@pytest.mark.parametrize("given", ["mysql://h/db", "postgresql+psycopg2://h/db", "hubwire.db"])
def test_other_database_urls_are_refused_naming_the_accepted_forms(given: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load(Settings, _env_file=None, database_url=given)
    (line,) = raised.value.lines
    assert line.startswith(f"HUBWIRE_DATABASE_URL={given!r}: use postgresql://")
    assert "sqlite:///" in line


def test_a_secret_is_never_echoed() -> None:
    with pytest.raises(SettingsError) as raised:
        load(Settings, _env_file=None, secret_key=["not", "a", "string"])
    assert raised.value.lines == ["HUBWIRE_SECRET_KEY=(hidden): Input should be a valid string"]


def test_every_bad_setting_gets_its_own_line() -> None:
    with pytest.raises(SettingsError) as raised:
        load(Settings, _env_file=None, max_body_bytes=10, log_level="loud")
    assert [line.split("=")[0] for line in raised.value.lines] == [
        "HUBWIRE_MAX_BODY_BYTES",
        "HUBWIRE_LOG_LEVEL",
    ]


def test_log_levels_are_case_insensitive() -> None:
    assert load(Settings, _env_file=None, log_level="debug").log_level == "DEBUG"
