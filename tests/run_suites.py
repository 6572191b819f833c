"""`make test`: the whole suite on SQLite, then every database test again on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_reachable(url: str) -> str | None:
    """None when a connection works, else the reason."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                               connect_args={"connect_timeout": 5})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def pytest(backend: str, extra: list[str]) -> int:
    env = {**os.environ, "TEST_BACKEND": backend}
    print(f"\n=== tests on {backend} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", "-q", *extra], env=env)


def main() -> int:
    args = sys.argv[1:]
    status = pytest("sqlite", args)
    url = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG)
    problem = postgres_reachable(url)
    if problem is None:
        os.environ["TEST_POSTGRES_URL"] = url
        pg_status = pytest("postgresql", ["-m", "db", *args])
        status = status or pg_status
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        print(f"PostgreSQL is required but unreachable at {url}: {problem}", file=sys.stderr)
        return 1
    else:
        print(f"\nPostgreSQL unreachable ({problem}); database tests ran on SQLite only. "
              "Set REQUIRE_POSTGRES=1 to make this an error.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
