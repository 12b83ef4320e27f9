"""A throwaway PostgreSQL 15 server for the tests: ``initdb`` on a temporary data directory, the server on a
Unix socket only (no TCP port), stopped and removed at the end of the session.

initdb and the server refuse to run as root: as root they run as the ``postgres`` user (``runuser``).
Debian's ``postgresql`` package provides them (``make test`` installs it); a missing server is a test
failure naming the package, not a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin() -> Path:
    """Debian's server binaries (the newest installed version), else initdb on the PATH."""
    for d in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    ):
        if (d / "initdb").is_file():
            return d
    found = shutil.which("initdb")
    assert found, (
        "PostgreSQL's initdb not found: install Debian's postgresql package (make test does, as root)"
    )
    return Path(found).parent


class PgServer:
    """One running server; :meth:`new_database` gives each test its own database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.socket = root / "sock"
        self.bin = pg_bin()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        self.socket.mkdir(parents=True)
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket, "postgres")
        # C locale: text sorts by code point, as in DuckDB, so both backends list rows in the same order
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-locale", "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-c listen_addresses='' -k {self.socket} -c fsync=off -c max_connections=60"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.socket}&user=postgres"

    def new_database(self) -> str:
        import psycopg

        name = f"nw_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.split("?")[0].rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def running_server() -> Iterator[PgServer]:
    root = Path(tempfile.mkdtemp(prefix="nw-pg-"))
    server = PgServer(root)
    try:
        server.start()
        yield server
    except subprocess.CalledProcessError as e:
        log = root / "server.log"
        raise AssertionError(
            f"cannot start PostgreSQL: {e.stderr or e.stdout}\n{log.read_text() if log.exists() else ''}"
        ) from e
    finally:
        server.stop()
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)
