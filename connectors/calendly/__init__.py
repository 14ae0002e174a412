"""The Calendly connector (docs/connectors/calendly.md)."""
