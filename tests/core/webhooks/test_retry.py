from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from core.webhooks.addresses import AddressPolicy
from core.webhooks.retry import (
    MAX_DELAY_SECONDS,
    next_delay,
    parse_retry_after,
    policy_for,
)

SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]


def test_default_schedule_without_retry_config() -> None:
    policy = policy_for(None, schedule=SCHEDULE, timeout=10)
    assert policy.delays == tuple(float(d) for d in SCHEDULE)
    assert policy.max_attempts == 10
    assert policy.timeout == 10


def test_retry_config_builds_exponential_backoff_capped_at_a_day() -> None:
    config = {"maxRetries": 4, "retryDelay": 60, "backoffMultiplier": 3, "timeout": 2.5}
    policy = policy_for(config, schedule=SCHEDULE, timeout=10)
    assert policy.delays == (60, 180, 540, 1620)
    assert policy.timeout == 2.5
    huge = policy_for(
        {"maxRetries": 20, "retryDelay": 86400, "backoffMultiplier": 10}, schedule=[], timeout=10
    )
    assert max(huge.delays) == MAX_DELAY_SECONDS
    assert huge.timeout == 10


def test_next_delay_walks_the_schedule_then_stops() -> None:
    policy = policy_for(
        {"maxRetries": 2, "retryDelay": 1, "backoffMultiplier": 2}, schedule=[], timeout=1
    )
    assert next_delay(policy, 1, jitter=0) == 1
    assert next_delay(policy, 2, jitter=0) == 2
    assert next_delay(policy, 3, jitter=0) is None
    assert next_delay(policy_for({"maxRetries": 0}, schedule=[], timeout=1), 1, jitter=0) is None


def test_jitter_stays_within_its_band_and_varies() -> None:
    policy = policy_for(None, schedule=[100], timeout=1)
    rng = random.Random(7)
    delays = {next_delay(policy, 1, jitter=0.1, rng=rng) for _ in range(200)}
    assert all(d is not None and 90 <= d <= 110 for d in delays)
    assert len(delays) > 100


def test_retry_after_is_a_floor_not_a_ceiling() -> None:
    policy = policy_for(None, schedule=[5, 300], timeout=1)
    assert next_delay(policy, 1, jitter=0, retry_after=30) == 30
    assert next_delay(policy, 2, jitter=0, retry_after=30) == 300
    assert next_delay(policy, 1, jitter=0, retry_after=10**9) == MAX_DELAY_SECONDS


def test_parse_retry_after_seconds_and_http_dates() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "240.0.0.1",
    ],
)
def test_policy_refuses_non_public_addresses(address: str) -> None:
    assert not AddressPolicy(allow_private=False).allows(address)
    assert AddressPolicy(allow_private=True).allows(address)


def test_policy_allows_public_addresses_and_operator_networks() -> None:
    policy = AddressPolicy(allow_private=False, allowed_networks=["10.0.0.0/8"])
    assert policy.allows("93.184.216.34")
    assert policy.allows("2606:2800:220:1:248:1893:25c8:1946")
    assert policy.allows("10.20.30.40")
    assert not policy.allows("192.168.0.1")
    assert not policy.allows("not-an-ip")


async def test_save_time_check_resolves_names_and_reads_literals() -> None:
    policy = AddressPolicy(allow_private=False)
    refusal = await policy.check_url("http://localhost:9/hook")
    assert refusal is not None and "localhost resolves to" in refusal
    assert await policy.check_url("http://[::1]/hook") is not None
    assert await policy.check_url("https://93.184.216.34/hook") is None
