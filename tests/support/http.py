"""HTTP clients that call the app from their own loopback address.

Failed authentication is rate limited per client IP, so tests that provoke 401s each use
their own address (inside 127.0.0.0/8) and cannot push one another over that limit.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


def fresh_loopback_ip() -> str:
    return "127.{}.{}.{}".format(*(secrets.randbelow(254) + 1 for _ in range(3)))


@asynccontextmanager
async def client_from(app: FastAPI, ip: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(ip or fresh_loopback_ip(), 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://hubwire.test") as client:
        yield client
