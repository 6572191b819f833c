"""The coordinator's HTTP API (`/api/v1`) and what it shares with Open311: token auth."""
