"""The naive baseline of bench/webhook_throughput.py: one Celery task per HTTP delivery,
each signing its message (Standard Webhooks) and sending it with ``requests.post``.

Run by the bench as ``python -m celery -A naive_celery worker --pool=threads`` with this
folder on ``PYTHONPATH``; configured from ``NAIVE_BROKER_URL`` and ``NAIVE_PREFIX``."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import requests
from celery import Celery
from standardwebhooks.webhooks import Webhook

QUEUE = "naive"
TASK = "naive.deliver"

broker = os.environ.get("NAIVE_BROKER_URL", "redis://127.0.0.1:6379/8")
app = Celery("naive", broker=broker, set_as_current=False)
app.conf.update(
    task_default_queue=QUEUE,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"global_keyprefix": os.environ.get("NAIVE_PREFIX", "naive:")},
)


@app.task(name=TASK)
def deliver(url: str, message_id: str, body: str, secret: str, event_type: str) -> int:
    timestamp = datetime.now(UTC)
    signature = Webhook(secret).sign(message_id, timestamp, body)
    response = requests.post(
        url,
        data=body.encode(),
        headers={
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": signature,
            "X-Hubwire-Event": event_type,
            "X-Webhook-Attempt": "1",
        },
        timeout=10,
    )
    return response.status_code
