"""The Slack connector: lead and call cards in Slack channels (docs/connectors/slack.md)."""
