"""`aduan admin token`: tokens with a role and an OPD, revoked at once, listed without secrets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from fastapi import HTTPException
from sqlalchemy import Engine

from bot.api.auth import TokenAuth
from core.reports.actors import ActorKind, Role
from storage.tokens import SqlTokenStore
from tests.cli.helpers import Cli
from tests.fakes import FakeClock

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def check(engine: Engine, secret: str | None, per_minute: int = 100) -> object:
    return asyncio.run(TokenAuth(SqlTokenStore(engine), FakeClock(NOW), per_minute).check(secret))


def test_an_officer_token_carries_its_opd_and_acts_as_its_name(cli: Cli, engine: Engine) -> None:
    result = cli("admin", "token", "--name", "Aplikasi PUPR", "--opd", "pupr", "--role", "officer")
    assert result.code == 0, result.err
    secret = result.out.strip()
    assert "token id 1" in result.err and "officer of pupr" in result.err
    entry = SqlTokenStore(engine).authenticate(secret, NOW)
    assert entry is not None and (entry.role, entry.opd) == (Role.OFFICER, "pupr")
    actor = entry.actor
    assert (actor.kind, actor.id, actor.name) == (ActorKind.TOKEN, 1, "Aplikasi PUPR")


def test_token_arguments_are_checked_with_one_line_reasons(cli: Cli) -> None:
    officer = cli("admin", "token", "--name", "x", "--role", "officer")
    assert officer.code != 0 and "needs --opd" in officer.err and "Traceback" not in officer.err
    unknown = cli("admin", "token", "--name", "x", "--opd", "nope")
    assert unknown.code != 0 and "unknown OPD 'nope'" in unknown.err
    nameless = cli("admin", "token")
    assert nameless.code != 0 and "--name is required" in nameless.err
    missing = cli("admin", "token", "--revoke", "99")
    assert missing.code != 0 and "no token with id 99" in missing.err


def test_a_revoked_token_is_refused_on_its_next_request(cli: Cli, engine: Engine) -> None:
    secret = cli("admin", "token", "--name", "dasbor").out.strip()
    assert check(engine, secret) is not None
    assert cli("admin", "token", "--revoke", "1").code == 0
    assert check(engine, secret) is None
    again = cli("admin", "token", "--revoke", "1")
    assert again.code != 0 and "already revoked" in again.err


def test_admin_list_tokens_shows_role_opd_and_use_never_the_secret(cli: Cli,
                                                                    engine: Engine) -> None:
    secret = cli("admin", "token", "--name", "Sistem LAPOR").out.strip()
    cli("admin", "token", "--name", "Aplikasi DLH", "--opd", "dlh", "--role", "officer")
    check(engine, secret)
    cli("admin", "token", "--revoke", "2")
    shown = cli("admin", "list", "--tokens").out
    assert "Sistem LAPOR" in shown and "coordinator" in shown and "Aplikasi DLH" not in shown
    assert secret not in shown and secret[4:12] not in shown
    everything = cli("admin", "list", "--tokens", "--all").out
    assert "Aplikasi DLH" in everything and "revoked" in everything


@pytest.mark.parametrize("secret", [None, "", "adu_wrong", "Bearer x", "adu_" + "a" * 500])
def test_unknown_or_malformed_secrets_are_refused(engine: Engine, secret: str | None) -> None:
    SqlTokenStore(engine).create("dasbor", NOW)
    assert check(engine, secret) is None


def test_a_token_over_its_rate_gets_429_with_retry_after(engine: Engine) -> None:
    _, secret = SqlTokenStore(engine).create("skrip", NOW)
    auth = TokenAuth(SqlTokenStore(engine), FakeClock(NOW), per_minute=3)

    async def calls() -> None:
        for _ in range(3):
            assert await auth.check(secret) is not None
        with pytest.raises(HTTPException) as refused:
            await auth.check(secret)
        assert refused.value.status_code == 429
        assert 1 <= int((refused.value.headers or {})["Retry-After"]) <= 60

    asyncio.run(calls())
