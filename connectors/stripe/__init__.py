"""The Stripe connector: payments from Stripe (docs/connectors/stripe.md)."""
