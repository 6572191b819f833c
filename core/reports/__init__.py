"""Reports: the domain model, who may act on them, and the lifecycle use cases."""
