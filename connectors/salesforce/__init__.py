"""The Salesforce connector (docs/connectors/salesforce.md)."""
