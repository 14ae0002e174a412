"""`GET /v1/zapier/me`: the connection test and label for any credential."""
