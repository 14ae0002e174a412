"""Per-endpoint gates of the delivery engine: isolation between endpoints inside one worker
process (docs/webhooks.md, "Isolation").

Every delivery the engine holds passes its endpoint's gate before it takes a sender slot:
at most ``max_concurrency`` requests in flight to one subscription (and never all the
process's senders), and no faster than its ``max_rate``. A delivery its gate does
not admit yet is parked with the gate, holding no slot; the gate hands it back to the send
queue when a request to that endpoint finishes or its rate allows the next one. How many
deliveries of one endpoint the engine holds at all is bounded by the claim and the
hand-over (``HOLD_FACTOR`` x its concurrency); the rest wait in the database. Job callbacks
(no subscription) pass ungated."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from sync.pipeline.recorder import HeldDelivery
from sync.pipeline.repository import HOLD_FACTOR, SendingInfo

# Pacing spaces starts 5 % wider than 1/rate: timers fire late, never early, but jitter
# (the network, a busy receiver) can bring requests closer at the receiver than they left;
# with 1 % a loaded machine's receiver saw 21 in one sliding second at a rate of 20.
RATE_MARGIN = 1.05


class Endpoint:
    __slots__ = ("cap", "held", "inflight", "interval", "next_at", "open", "parked", "timer")

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.interval = 0.0  # seconds between starts; 0: no throttle
        self.open = False  # the circuit: new deliveries are not handed over
        self.held = 0  # held by the engine (parked, queued or on the wire)
        self.inflight = 0  # admitted: queued for a sender or on the wire
        self.next_at = 0.0  # loop time of the earliest next start (throttle)
        self.parked: deque[HeldDelivery] = deque()
        self.timer: asyncio.TimerHandle | None = None


class EndpointGates:
    """``dispatch`` puts an admitted delivery on the send queue."""

    def __init__(
        self,
        default_concurrency: int,
        dispatch: Callable[[HeldDelivery], None],
        *,
        most: int | None = None,
    ) -> None:
        # ``most``: no endpoint gets more requests in flight than this, whatever its
        # maxConcurrency (the engine keeps a tenth of its senders from it): one that hangs
        # must leave senders for the others.
        self.most = most
        self.default_concurrency = default_concurrency
        self._dispatch = dispatch
        self._endpoints: dict[str, Endpoint] = {}
        self._admitted: set[str] = set()  # delivery ids admitted from the park
        # Called when an endpoint's holding fell to half its budget: the database may hold
        # more of its deliveries, which the last claim left there.
        self.on_room: Callable[[], None] = lambda: None
        # The most requests ever in flight to one endpoint at once (for tests and logs).
        self.peak: dict[str, int] = {}

    def configure(self, hook: SendingInfo) -> None:
        """Takes a subscription's current limits and circuit state (every claim and
        hand-over reads them)."""
        endpoint = self._endpoint(hook.id)
        cap = hook.max_concurrency or self.default_concurrency
        endpoint.cap = cap if self.most is None else min(cap, self.most)
        endpoint.interval = RATE_MARGIN / hook.max_rate if hook.max_rate else 0.0
        endpoint.open = hook.circuit_state == "open"

    def budget(self, hook: SendingInfo) -> int:
        """How many more deliveries of this subscription the engine may hold now."""
        self.configure(hook)
        endpoint = self._endpoints[hook.id]
        if endpoint.open:
            return 0
        return max(0, endpoint.cap * HOLD_FACTOR - endpoint.held)

    def held(self, webhook_id: str) -> int:
        endpoint = self._endpoints.get(webhook_id)
        return endpoint.held if endpoint else 0

    def hold(self, job: HeldDelivery) -> None:
        if job.webhook_id is not None:
            self._endpoint(job.webhook_id).held += 1

    def admit(self, job: HeldDelivery) -> bool:
        """True: send it now. False: parked, it comes back through ``dispatch``."""
        if job.webhook_id is None:
            return True
        if self._admitted:
            try:
                self._admitted.remove(job.delivery_id)
            except KeyError:
                pass
            else:
                return True
        endpoint = self._endpoint(job.webhook_id)
        if endpoint.parked or not self._may_start(endpoint):
            endpoint.parked.append(job)
            self._schedule(job.webhook_id, endpoint)
            return False
        self._start(job.webhook_id, endpoint)
        return True

    def done(self, job: HeldDelivery) -> None:
        """The request finished (or was dropped): its slot and holding are free."""
        if job.webhook_id is None:
            return
        endpoint = self._endpoints.get(job.webhook_id)
        if endpoint is None:
            return
        endpoint.inflight -= 1
        endpoint.held -= 1
        self._release(job.webhook_id, endpoint)
        if endpoint.held == endpoint.cap * HOLD_FACTOR // 2:
            self.on_room()
        if endpoint.held == 0 and endpoint.timer is None:
            self._forget(job.webhook_id, endpoint)

    def shut(self, webhook_ids: set[str]) -> list[HeldDelivery]:
        """Circuits that opened: their parked deliveries are handed back (not to be sent);
        requests on the wire finish."""
        out: list[HeldDelivery] = []
        for webhook_id in webhook_ids:
            endpoint = self._endpoints.get(webhook_id)
            if endpoint is None:
                continue
            endpoint.open = True
            out.extend(endpoint.parked)
            endpoint.held -= len(endpoint.parked)
            endpoint.parked.clear()
        return out

    def drain(self) -> list[HeldDelivery]:
        """Everything parked (shutting down): handed back to be released."""
        out: list[HeldDelivery] = []
        for endpoint in self._endpoints.values():
            out.extend(endpoint.parked)
            endpoint.held -= len(endpoint.parked)
            endpoint.parked.clear()
            if endpoint.timer is not None:
                endpoint.timer.cancel()
                endpoint.timer = None
        return out

    # --- inside -----------------------------------------------------------------------

    def _endpoint(self, webhook_id: str) -> Endpoint:
        endpoint = self._endpoints.get(webhook_id)
        if endpoint is None:
            endpoint = self._endpoints[webhook_id] = Endpoint(self.default_concurrency)
        return endpoint

    def _may_start(self, endpoint: Endpoint) -> bool:
        if endpoint.inflight >= endpoint.cap:
            return False
        return not endpoint.interval or asyncio.get_running_loop().time() >= endpoint.next_at

    def _start(self, webhook_id: str, endpoint: Endpoint) -> None:
        endpoint.inflight += 1
        if endpoint.inflight > self.peak.get(webhook_id, 0):
            self.peak[webhook_id] = endpoint.inflight
        if endpoint.interval:
            now = asyncio.get_running_loop().time()
            endpoint.next_at = max(now, endpoint.next_at) + endpoint.interval

    def _release(self, webhook_id: str, endpoint: Endpoint) -> None:
        while endpoint.parked and self._may_start(endpoint):
            job = endpoint.parked.popleft()
            self._start(webhook_id, endpoint)
            self._admitted.add(job.delivery_id)
            self._dispatch(job)
        self._schedule(webhook_id, endpoint)

    def _schedule(self, webhook_id: str, endpoint: Endpoint) -> None:
        """A timer for the throttle's next start, when that is what holds the park."""
        if (
            not endpoint.parked
            or not endpoint.interval
            or endpoint.timer is not None
            or endpoint.inflight >= endpoint.cap
        ):
            return
        loop = asyncio.get_running_loop()
        endpoint.timer = loop.call_at(endpoint.next_at, self._timed, webhook_id)

    def _timed(self, webhook_id: str) -> None:
        endpoint = self._endpoints.get(webhook_id)
        if endpoint is None:
            return
        endpoint.timer = None
        self._release(webhook_id, endpoint)
        if endpoint.held == 0:
            self._forget(webhook_id, endpoint)

    def _forget(self, webhook_id: str, endpoint: Endpoint) -> None:
        """Drops an idle endpoint's state, unless its throttle still counts."""
        if not endpoint.interval or asyncio.get_running_loop().time() >= endpoint.next_at:
            del self._endpoints[webhook_id]
