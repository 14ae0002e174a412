"""Prometheus metrics for deployers (docs/operations/metrics.md)."""
