"""Read models for the coordinator's API and dashboard: plain SQL shaped for each page.

Apart from the write side (`storage.repositories` and the aggregates the use cases change),
as in cosmicpython's `views.py`: each function takes a `Connection` (a `Session` gives one
with `session.connection()`), reads with SQLAlchemy Core and returns this package's frozen
dataclasses. `reports` lists and counts reports, `detail` shows one, `sla_stats` sums an
OPD's deadlines over a period; `sla_terms` is what those figures count.
"""
