"""Connections: a workspace's link to one provider account through a connector."""
