"""Open311 GeoReport v2: the city's categories as services and its reports as service
requests, for city apps, FixMyStreet-style clients and researchers (`routes.py`)."""
