"""Celery app, sync engine and webhook delivery. See DESIGN.md §1 and §4."""
