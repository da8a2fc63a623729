"""Real processes for the tests of failures: a private redis-server that a test stops,
starts again or freezes, and Celery worker nodes (`celery -A relcrm worker`) that a test
starts and kills, both on the test database and the test's own queue."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from relcrm.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class PrivateRedis:
    """A redis-server of the test's own on a free port, without persistence."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


class WorkerNode:
    """`celery -A relcrm worker` in a session of its own, so the node (main and pool
    processes) can be killed as a whole."""

    def __init__(self, name: str, *, broker_url: str, queue: str, concurrency: int, env: dict):
        self.name = f"{name}-{os.getpid()}@localhost"
        self.log = Path(tempfile.mkstemp(prefix=f"relcrm-worker-{name}-", suffix=".log")[1])
        command = [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "relcrm",
            "worker",
            "--hostname",
            self.name,
            "--queues",
            queue,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        environment = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **env,
        }
        environment.pop("RELCRM_TEST_WALL_CLOCK", None)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited:\n{self.output()[-3000:]}")
            time.sleep(0.1)
        pytest.fail(f"worker {self.name} not ready in {timeout} s:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the main process and every pool process: the node dies as a machine
        would, acknowledging nothing."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)


class WorkerNodes:
    """Worker nodes on the broker the test process sends to (a private one if the test
    switched to it) and on the test's queue."""

    def __init__(self) -> None:
        self.nodes: list[WorkerNode] = []

    def start(self, name: str, *, concurrency: int = 2, ready: bool = True, **env: str):
        node = WorkerNode(
            name,
            broker_url=celery_app.conf.broker_url,
            queue=celery_app.conf.task_default_queue,
            concurrency=concurrency,
            env=env,
        )
        self.nodes.append(node)
        if ready:
            node.wait_ready()
        return node

    def stop_all(self) -> None:
        for node in self.nodes:
            node.stop()
