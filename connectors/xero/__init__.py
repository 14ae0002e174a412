"""The Xero connector: the books kept from Hubwire payments (docs/connectors/xero.md)."""
