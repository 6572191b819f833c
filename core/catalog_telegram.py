"""Texts of the Telegram channel (merged into core.catalog.CATALOG)."""

TEXTS: dict[str, tuple[str, str]] = {}
