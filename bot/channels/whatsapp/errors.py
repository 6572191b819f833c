"""What each Cloud API error code means for us, in one place (sync answers and status webhooks)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    THROTTLED = "throttled"  # slow down and try again soon
    TRANSIENT = "transient"  # Meta's side hiccuped: ordinary backoff
    WINDOW = "window"  # outside the 24-hour customer service window: template + hold
    UNREACHABLE = "unreachable"  # this chat cannot receive messages from us
    TOKEN = "token"  # our access token is bad: nothing works until an operator fixes it
    ACCOUNT = "account"  # the business account is locked or unpaid: nothing works for a while
    PERMANENT = "permanent"  # this message will never go through as it is


OUTSIDE_WINDOW = 131047
THROTTLED = frozenset({
    4, 80007,  # app / WhatsApp Business Account rate limit
    130429,  # Cloud API throughput reached
    131056,  # too many messages to the same recipient
})
TRANSIENT = frozenset({
    1, 2,  # API unknown / service temporarily unavailable
    131000,  # something went wrong (Meta: try again)
    131016,  # service overloaded
    131049,  # Meta chose not to deliver now, for ecosystem health
    133004,  # server temporarily unavailable
})
UNREACHABLE = frozenset({
    131026,  # undeliverable: not on WhatsApp, old client, or terms not accepted
    131021,  # recipient cannot be the sender
    131030,  # recipient not in the allowed list (test numbers)
})
TOKEN = frozenset({0, 190})  # AuthException, access token expired or invalid
ACCOUNT = frozenset({
    3, 10,  # capability / permission not granted
    368,  # temporarily blocked for policy violations
    131031,  # business account locked
    131042,  # payment issue
    131048,  # spam rate limit: messages flagged, sending restricted
})
PERMISSION_RANGE = range(200, 300)


def classify(code: int | None, http_status: int | None = None) -> Action:
    """The action for a Graph error code (None: no Graph error body at all)."""
    if code is None:
        return Action.TRANSIENT
    if code == OUTSIDE_WINDOW:
        return Action.WINDOW
    if code in THROTTLED:
        return Action.THROTTLED
    if code in TRANSIENT:
        return Action.TRANSIENT
    if code in UNREACHABLE:
        return Action.UNREACHABLE
    if code in TOKEN:
        return Action.TOKEN
    if code in ACCOUNT or code in PERMISSION_RANGE:
        return Action.ACCOUNT
    if http_status is not None and http_status >= 500:
        return Action.TRANSIENT
    return Action.PERMANENT
