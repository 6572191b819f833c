"""Deadlines on the working-day calendar, the nudge ladder and the sweeper."""
