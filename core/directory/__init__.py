"""The city's directory: OPDs, categories, synonyms, kelurahan, SLA tiers; loaded and validated."""
