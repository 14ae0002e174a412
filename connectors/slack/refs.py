"""Where a lead's or call's messages are in Slack, kept as the sync engine's external id
(the id map stores one string per record and hands it back with the next push):

    <hubwire id>|<channel>=<ts>,<channel>=~<ts>|<status>:<Slack user id>

``=<ts>`` is the record's card in that channel (updated in place with ``chat.update``),
``=~<ts>`` a digest that listed it (a later event posts a card instead). The last part,
when present, is the last action taken on the card in Slack: the status a button set and
who pressed it, shown on the card while the lead keeps that status. The hubwire id keeps
the string unique per record, as the id map requires."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

MAX_LENGTH = 200  # the id map's column


@dataclass(frozen=True, slots=True)
class Acted:
    status: str
    user: str


@dataclass(frozen=True, slots=True)
class MessageRefs:
    hubwire_id: str
    cards: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    acted: Acted | None = None

    def encode(self) -> str:
        parts = [f"{c}={ts}" for c, ts in self.cards.items()]
        digests = [f"{c}=~{ts}" for c, ts in self.digests.items() if c not in self.cards]
        acted = f"|{self.acted.status}:{self.acted.user}" if self.acted else ""
        while digests:
            text = f"{self.hubwire_id}|{','.join(parts + digests)}{acted}"
            if len(text) <= MAX_LENGTH:
                return text
            digests.pop()  # a digest entry only says "not a card yet": it can go
        return f"{self.hubwire_id}|{','.join(parts)}{acted}"[:MAX_LENGTH]

    def with_action(self, status: str, user: str) -> MessageRefs:
        return replace(self, acted=Acted(status, user))


def decode(hubwire_id: str, external_id: str | None) -> MessageRefs:
    """The refs of ``external_id`` (none: the record has no message yet)."""
    refs = MessageRefs(hubwire_id)
    if not external_id:
        return refs
    _, _, rest = external_id.partition("|")
    entries, _, acted = rest.partition("|")
    for entry in filter(None, entries.split(",")):
        channel, _, ts = entry.partition("=")
        if ts.startswith("~"):
            refs.digests[channel] = ts[1:]
        elif ts:
            refs.cards[channel] = ts
    if acted:
        status, _, user = acted.partition(":")
        refs = replace(refs, acted=Acted(status, user))
    return refs
