"""Connector plugins (pluggy). Built in a later step; see DESIGN.md §5."""
