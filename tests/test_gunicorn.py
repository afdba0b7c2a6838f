"""app.yaml's entrypoint really serves: run exactly that gunicorn command on a free port, GET /healthz.

App Engine expands ``$PORT`` and runs the entrypoint as a shell would; here ``$PORT`` is replaced by
a free loopback port and the line is split with shell rules (no shell, so the process we stop is
gunicorn's own master). PyYAML is not a dependency: the few keys checked are read as text.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET_WORDS = ("SECRET", "PASSWORD", "TOKEN", "KEY", "CREDENTIALS")


def top_level(text: str, key: str) -> str:
    """The value of a top-level ``key: value`` line of app.yaml, without quotes or comment."""
    match = re.search(rf"^{re.escape(key)}:[ \t]*(.+?)[ \t]*(#.*)?$", text, re.MULTILINE)
    assert match, f"app.yaml has no {key}"
    return match.group(1).strip()


def block(text: str, key: str) -> dict[str, str]:
    """The indented ``name: value`` lines under a top-level ``key:`` (values unquoted, comments dropped)."""
    lines = text.split("\n")
    start = lines.index(f"{key}:") + 1
    out: dict[str, str] = {}
    for line in lines[start:]:
        if line and not line[0].isspace():
            break
        name, _, value = line.split("#")[0].strip().partition(":")
        if name:
            out[name] = value.strip().strip('"')
    return out


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_app_yaml_settings() -> None:
    text = (ROOT / "app.yaml").read_text()
    assert re.fullmatch(r"python3(1[1-9]|[2-9]\d)", top_level(text, "runtime"))  # 3.11+ like the code
    scaling = block(text, "automatic_scaling")
    assert {"target_cpu_utilization", "min_instances", "max_instances", "max_concurrent_requests"} <= set(scaling)
    assert scaling["min_instances"] == "0"
    entry = top_level(text, "entrypoint")
    workers = int(re.search(r"--workers (\d+)", entry).group(1))  # type: ignore[union-attr]
    threads = int(re.search(r"--threads (\d+)", entry).group(1))  # type: ignore[union-attr]
    assert int(scaling["max_concurrent_requests"]) == workers * threads
    env = block(text, "env_variables")
    assert env["PREMIA_AUTH_MODE"] == "user"
    assert not [name for name in env if any(word in name.upper() for word in SECRET_WORDS)]


@pytest.mark.slow
def test_the_entrypoint_serves_healthz() -> None:
    port = free_port()
    command = shlex.split(top_level((ROOT / "app.yaml").read_text(), "entrypoint").replace("$PORT", str(port)))
    assert command[0] == "gunicorn"
    bin_dir = str(Path(sys.executable).parent)  # the virtualenv's gunicorn, as pip installs it on App Engine
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "PORT": str(port)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        answer = _wait_for_health(f"http://127.0.0.1:{port}/healthz", server)
        assert answer == (200, {"status": "ok"})
    finally:
        server.terminate()  # SIGTERM: gunicorn's graceful shutdown of its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        assert server.stdout is not None
        server.stdout.close()


def _wait_for_health(url: str, server: subprocess.Popen[bytes], limit: float = 60.0) -> tuple[int, object]:
    """(status, JSON) of the first answer from ``url``; fails if gunicorn exits or nothing answers in time."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            assert server.stdout is not None
            pytest.fail(f"gunicorn exited with {server.returncode}: {server.stdout.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url} within {limit:.0f} s")
