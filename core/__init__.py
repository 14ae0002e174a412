"""Hubwire core: the app factory, settings, database and the public API domains."""

__version__ = "0.1.0"
