"""Free text to categories and agencies (rapidfuzz), and duplicate detection."""
