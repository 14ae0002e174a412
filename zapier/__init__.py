"""Endpoints only the Zapier app needs; the app itself lives in zapier/app/."""
