"""The citizen's conversational complaint form and the service that runs it."""
