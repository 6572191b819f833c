"""`/dasbor`: a one-time link that signs an enrolled admin in to the web dashboard.

The secret is random and shown only in the admin's own chat; the database keeps its hash
(`secret_hash`). The link works once, within `LINK_VALID` (the dashboard redeems it).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.reports.actors import secret_hash
from core.work.turn import Turn

LINK_VALID = timedelta(minutes=10)
LOGIN_PATH = "/dashboard/masuk/"


def login_link(turn: Turn, dashboard_base: str) -> Turn:
    """Answer `/dasbor`: store a fresh link for the chat's admin and send it to them."""
    admin = turn.admin
    if admin is None:
        return turn.say("work.not_admin", command="dasbor")
    secret = secrets.token_urlsafe(32)
    now = turn.ctx.now
    turn.uow.admins.add_login_link(admin.id, secret_hash(secret), now, now + LINK_VALID)
    url = f"{dashboard_base.rstrip('/')}{LOGIN_PATH}{secret}"
    return turn.say("work.dasbor.link", url=url,
                    minutes=int(LINK_VALID.total_seconds() // 60))
