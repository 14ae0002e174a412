"""Waiting for background work from API tests: poll with a deadline, never a fixed sleep."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.conftest import Api

FINISHED = ("succeeded", "failed")


async def wait_for_job(api: Api, job_id: str, within: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        response = await api.get(f"/v1/jobs/{job_id}")
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in FINISHED:
            return job
        assert time.monotonic() < deadline, f"job still {job['status']}: {job}"
        await asyncio.sleep(0.05)
