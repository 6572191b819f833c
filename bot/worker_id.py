"""Names a dispatcher by host, process id and a start-up nonce, and tells whether the owner of
a lease is gone: a process on this host that no longer runs (or an earlier life of this very
process id, in a container that restarted). Owners on other hosts are never judged here: their
leases lapse when their heartbeat stops."""

from __future__ import annotations

import os
import secrets
import socket


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def owner_is_gone(owner: str, me: str) -> bool:
    parts = owner.split(":")
    if len(parts) < 3 or owner == me:
        return False
    host, pid_text = ":".join(parts[:-2]), parts[-2]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # this process id, another start-up: that life is over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False
