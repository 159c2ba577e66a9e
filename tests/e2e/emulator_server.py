"""The Node process of the Telegram Bot API emulator, for a session-scoped fixture.

``EmulatorServer`` spawns ``node tests/emulator/server.js --port 0``, waits for its
``READY <port>`` line and exposes ``api_url``; ``emulator.Emulator`` is the client.
"""

from __future__ import annotations

import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EMULATOR_DIR = ROOT / "tests" / "emulator"
SERVER_JS = EMULATOR_DIR / "server.js"


class EmulatorUnavailableError(RuntimeError):
    """Node or the emulator's node_modules is missing, or the process did not start."""


class EmulatorServer:
    """The Node emulator process (synchronous, for a session-scoped fixture)."""

    def __init__(self, *, log_path: Path | None = None, start_timeout: float = 15.0) -> None:
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def api_url(self) -> str:
        if self.port is None:
            raise EmulatorUnavailableError("emulator is not running")
        return f"http://127.0.0.1:{self.port}"

    @staticmethod
    def check_prerequisites() -> str:
        """Return the node executable, or raise with what to do about it."""
        node = shutil.which("node")
        if node is None:
            raise EmulatorUnavailableError(
                "`node` is not on PATH: the Telegram e2e tests need Node.js >= 18 "
                "(CI must install it; these tests are never skipped)."
            )
        if not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
            raise EmulatorUnavailableError(
                f"{EMULATOR_DIR / 'node_modules'} is missing: run `make emulator` "
                "(npm ci in tests/emulator) before pytest."
            )
        return node

    def start(self) -> None:
        node = self.check_prerequisites()
        if self.log_path is not None:
            self._log = self.log_path.open("wb")
        self._proc = subprocess.Popen(
            [node, str(SERVER_JS), "--port", "0", "--exit-on-stdin-close"],
            cwd=EMULATOR_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log if self._log is not None else subprocess.DEVNULL,
        )
        assert self._proc.stdout is not None
        deadline = time.monotonic() + self.start_timeout
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._proc.stdout], [], [], 0.1)
            if ready:
                line = self._proc.stdout.readline()
                break
            if self._proc.poll() is not None:
                break
        if not line.startswith(b"READY "):
            log = self._log_tail()
            self.stop()
            raise EmulatorUnavailableError(
                f"emulator did not print READY within {self.start_timeout}s "
                f"(got {line!r}); stderr:\n{log}"
            )
        self.port = int(line.split()[1])

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        self.port = None
