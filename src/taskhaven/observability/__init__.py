"""What an operator sees of a running server: health and readiness, Prometheus metrics,
request ids in every log line. Outside core: core only names events (``core.events``)."""
