"""The HubSpot connector (DESIGN.md §5). Its local fake of HubSpot lives in ``.sandbox``."""
