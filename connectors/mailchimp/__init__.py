"""The Mailchimp connector (docs/connectors/mailchimp.md)."""
