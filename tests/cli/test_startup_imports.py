"""`aduan serve` answers its first webhook without loading what only some paths need: the
spreadsheet export (openpyxl), S3 (boto3), the n-gram model (numpy, which loads once the server
answers; scikit-learn and scipy, which load only in the child process that fits it, never in the
server), photos (Pillow), migrations (Alembic, when the
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

bot.app.NGRAM_FIT_DELAY_SECONDS = 3600  # the fit loads numpy, later
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


# The same with the n-gram fit started at once and waited for, then a typed text scored.
SERVE_WITH_FITTED_MODEL = SERVE_UNTIL_FIRST_WEBHOOK.replace(
    "bot.app.NGRAM_FIT_DELAY_SECONDS = 3600", "bot.app.NGRAM_FIT_DELAY_SECONDS = 0"
).replace("asyncio.run(first_webhook())", """asyncio.run(first_webhook())
city = app.state.container.city()
city.matcher.ngrams.prepare()  # waits for the background fit (or fits as it would)
assert city.matcher.ngrams.probabilities("jalannya bolong-bolong parah"), "no model"
""")


def serve(script: str, db_url: str, tmp_path: Path) -> set[str]:
    """Every module loaded by the time `script` ends."""
    env = {**os.environ, "DATABASE_URL": db_url, "DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(REPO), "LOG_LEVEL": "ERROR", "TELEGRAM_BOT_TOKEN": "123:ABC",
           # Nothing listens there: the channel's set-up calls fail and retry in the background.
           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9", "TELEGRAM_MODE": "webhook",
           "TELEGRAM_WEBHOOK_SECRET": "s3cret", "PUBLIC_BASE_URL": "http://127.0.0.1:8000"}
    done = subprocess.run([sys.executable, "-c", script], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    assert {"fastapi", "telegram"} <= modules  # it did run the server's path
    return modules


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_serving_a_first_webhook_loads_none_of_the_optional_heavy_modules(
        db_url: str, tmp_path: Path) -> None:
    modules = serve(SERVE_UNTIL_FIRST_WEBHOOK, db_url, tmp_path)
    assert top_level(modules).isdisjoint(LAZY), sorted(top_level(modules) & set(LAZY))
    assert modules.isdisjoint(DEFERRED), sorted(modules & set(DEFERRED))


def test_the_server_scores_typed_text_without_loading_scikit_learn_or_scipy(
        db_url: str, tmp_path: Path) -> None:
    loaded = top_level(serve(SERVE_WITH_FITTED_MODEL, db_url, tmp_path))
    assert "numpy" in loaded  # the model is fitted and in use
    assert loaded.isdisjoint({"sklearn", "scipy", "joblib", "threadpoolctl"}), sorted(loaded)
