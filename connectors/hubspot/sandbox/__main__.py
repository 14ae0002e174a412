"""``python -m connectors.hubspot.sandbox --port 8100``: serve the sandbox standalone."""

from __future__ import annotations

import argparse

import uvicorn

from connectors.hubspot.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    OAuthApp,
    SandboxConfig,
    create_sandbox,
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the HubSpot sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--client-id", default=DEFAULT_CLIENT_ID)
    parser.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET)
    parser.add_argument("--webhook-url", default=None, help="where to POST webhook events")
    parser.add_argument("--rate-limit", type=int, default=100, help="requests per window")
    parser.add_argument("--rate-window", type=float, default=10.0, help="window in seconds")
    parser.add_argument(
        "--rotate-refresh-tokens", action="store_true", help="make refresh tokens single use"
    )
    args = parser.parse_args(argv)
    config = SandboxConfig(
        apps=(OAuthApp(args.client_id, args.client_secret),),
        webhook_target_url=args.webhook_url,
        rate_limit_max=args.rate_limit,
        rate_limit_interval=args.rate_window,
        rotate_refresh_tokens=args.rotate_refresh_tokens,
    )
    uvicorn.run(create_sandbox(config), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
