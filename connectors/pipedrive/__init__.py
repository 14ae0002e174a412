"""The Pipedrive connector (docs/connectors/pipedrive.md)."""
