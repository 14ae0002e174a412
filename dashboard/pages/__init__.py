"""The dashboard's pages, one module each, every one with its own ``router``
(``dashboard.plugin`` serves them all); what they share is in ``common``."""
