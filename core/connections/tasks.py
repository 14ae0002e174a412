"""The sync tasks core asks for (by name: ``sync`` registers them; core never imports it)."""

from __future__ import annotations

# Pushes a connection's pending sync items (args: connection_id).
PUSH_TASK = "hubwire.sync.push"
# Pulls a connection's changes since its cursors (args: connection_id).
PULL_TASK = "hubwire.sync.pull"
