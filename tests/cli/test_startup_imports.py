"""`aduan serve` answers its first webhook without loading what only some paths need: the
spreadsheet export (openpyxl), S3 (boto3), the n-gram fit (scikit-learn, numpy, scipy, which load
in its own thread once the server answers), photos (Pillow), migrations (Alembic, when the
database is already at the newest revision), the API, Open311, the dashboard and the web chat's
API (built on their first request or a few seconds after start-up, bot/deferred_routes.py, with
the dashboard's templates: jinja2), public holidays (the first SLA sweep, a few seconds after
start-up). No timing: what is imported is the cause, and the next change that makes one of them
eager at start-up fails here (bench/startup.py times it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LAZY = ("openpyxl", "boto3", "botocore", "sklearn", "numpy", "scipy", "PIL", "alembic", "mako",
        "jinja2", "holidays")
DEFERRED = ("bot.api.router", "bot.api.actions", "bot.api.models", "bot.open311.routes",
            "bot.open311.models", "bot.dashboard.router", "bot.dashboard.web",
            "pydantic.v1")  # FastAPI loads it to check the first route with a model

# What `aduan serve` runs up to its first webhook, in one interpreter: the CLI's start-up
# (migration check, directory), the app the uvicorn factory builds, its lifespan, `/healthz`,
# and a citizen's /start through the Telegram webhook.
SERVE_UNTIL_FIRST_WEBHOOK = """
import asyncio, datetime, json, sys
import httpx
import bot.app, bot.scheduler
from bot.cli import commands
from bot.settings import Settings
from tests.fake_platforms.telegram_updates import TgUser

bot.app.NGRAM_FIT_DELAY_SECONDS = 3600  # the fit's own thread loads scikit-learn, later
bot.app.DEFERRED_ROUTES_DELAY_SECONDS = 3600  # and the API, Open311 and dashboard are built
bot.scheduler.SWEEP_AFTER_START = datetime.timedelta(hours=1)  # the first sweep: holidays
commands.prepared_engine(Settings()).dispose()
app = bot.app.create_app_from_env()

async def first_webhook():
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            assert (await client.get("/healthz")).status_code == 200
            answer = await client.post("/webhook/telegram", json=TgUser(42).command("/start"),
                                       headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            assert answer.status_code == 200, answer.text

asyncio.run(first_webhook())
print(json.dumps(sorted(sys.modules)))
"""


def test_serving_a_first_webhook_loads_none_of_the_optional_heavy_modules(
        db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(REPO), "LOG_LEVEL": "ERROR", "TELEGRAM_BOT_TOKEN": "123:ABC",
           # Nothing listens there: the channel's set-up calls fail and retry in the background.
           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9", "TELEGRAM_MODE": "webhook",
           "TELEGRAM_WEBHOOK_SECRET": "s3cret", "PUBLIC_BASE_URL": "http://127.0.0.1:8000"}
    done = subprocess.run([sys.executable, "-c", SERVE_UNTIL_FIRST_WEBHOOK], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    loaded = {name.split(".")[0] for name in modules}
    assert "fastapi" in loaded and "telegram" in loaded  # it did run the server's path
    assert loaded.isdisjoint(LAZY), sorted(loaded & set(LAZY))
    assert modules.isdisjoint(DEFERRED), sorted(modules & set(DEFERRED))
