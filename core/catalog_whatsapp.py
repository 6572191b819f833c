"""Texts of the Whatsapp channel (merged into core.catalog.CATALOG)."""

TEXTS: dict[str, tuple[str, str]] = {}
