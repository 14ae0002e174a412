"""The OAuth 2.0 authorization server and provider consent flows (docs/architecture.md,
"Packages and layers")."""
