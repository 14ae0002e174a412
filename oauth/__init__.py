"""The OAuth 2.0 authorization server and provider consent flows. See DESIGN.md §2."""
