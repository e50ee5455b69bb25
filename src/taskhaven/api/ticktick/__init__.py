"""The TickTick protocol family: V1 (Open API) and V2 (web API), sharing ``codes``."""
