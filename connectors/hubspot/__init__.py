"""The HubSpot connector (docs/connectors/hubspot.md): ``.connector`` holds
``HubSpotConnector``, ``.mapping`` the field mapping, ``.plugin`` the entry point's module;
its local fake of HubSpot lives in ``.sandbox``."""
