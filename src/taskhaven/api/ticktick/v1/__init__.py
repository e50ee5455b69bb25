"""The TickTick V1 (Open API) adapter under ``/open/v1/``: OAuth2 bearer tokens."""
