"""How many recalculations a minute one gunicorn instance (app.yaml's entrypoint) serves, and how fast.

``python -m bench.service_load [--callers 8] [--seconds 20] [--latency 0.15] [--backend fake|replay]``

Everything runs on loopback. Each caller owns a copy of the demo spreadsheet and its own token and
POSTs ``/recalculate`` back to back; after one warm-up round per caller (not counted), requests are
started for ``--seconds`` and the ones in flight are awaited. Printed: recalculations per minute and
p50/p95 latency. The per-caller rate limit is lifted (``PREMIA_RATE_LIMIT``): it is measured elsewhere.

Backends, each adding ``--latency`` seconds to every Google call:

* ``replay`` (default): the fake's answers to one steady-state recalculation (result tabs already
  there), recorded and then replayed as is; the write is read and dropped. Google's own work is then
  only the latency, so the figure is the service's capacity.
* ``fake``: the stateful fake Sheets API of the tests. It validates and applies every request under
  one lock, about 2 s of CPU per recalculation in this process and on the same cores as gunicorn, so
  it caps the figure (a lower bound, and slow to drain); each spreadsheet's first run is counted.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import requests

from tests.fake_sheets.server import LoopbackServer

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


class Replay:
    """A loopback stand-in for Google: records the fake's answers through itself, then replays them."""

    def __init__(self, target: str, latency: float) -> None:
        self.target, self.latency, self.recording = target.rstrip("/"), latency, True
        self.answers: dict[str, tuple[int, bytes]] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, payload = owner.answer(self.command, self.path, body, self.headers.get("Authorization"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = LoopbackServer(Handler, name="bench-stub")
        self.url = self.server.url

    def answer(self, method: str, path: str, body: bytes, authorization: str | None) -> tuple[int, bytes]:
        """Forward and remember while recording; afterwards the remembered answer of the same kind."""
        kind = "write" if ":batchUpdate" in path else "values" if "/values:batchGet" in path else "read"
        if not self.recording:
            time.sleep(self.latency)
            return self.answers[kind]
        request = urllib.request.Request(self.target + path, data=body or None, method=method,
                                         headers={"Authorization": authorization or "",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            self.answers[kind] = (response.status, response.read())
        return self.answers[kind]

    def close(self) -> None:
        """Stop serving."""
        self.server.close()


def entrypoint(port: int) -> list[str]:
    """app.yaml's entrypoint with ``$PORT`` filled in, split as a shell would."""
    text = (ROOT / "app.yaml").read_text()
    line = re.search(r"^entrypoint:\s*(.+)$", text, re.MULTILINE)
    assert line, "app.yaml has no entrypoint"
    return shlex.split(line.group(1).replace("$PORT", str(port)))


def start_gunicorn(sheets_root: str) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn as app.yaml runs it, reaching ``sheets_root``; waits until /healthz answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "PREMIA_SHEETS_API_ROOT": sheets_root, "PREMIA_RATE_LIMIT": "1000000"}
    server = subprocess.Popen(entrypoint(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if requests.get(url + "/healthz", timeout=5).ok:
                return server, url
        except requests.RequestException:  # not listening yet, or workers still booting
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not start within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (graceful), then SIGKILL if gunicorn is still there after 30 s."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def recalc(session: requests.Session, url: str, sheet_id: str, token: str) -> tuple[float, int]:
    """One recalculation through the service: (seconds, HTTP status)."""
    started = time.monotonic()
    answer = session.post(f"{url}/v1/spreadsheets/{sheet_id}/recalculate", json={"as_of": AS_OF},
                          headers={"Authorization": f"Bearer {token}"}, timeout=120)
    return time.monotonic() - started, answer.status_code


def measure(url: str, sheets: list[tuple[str, str]], seconds: float) -> tuple[list[tuple[float, int]], float]:
    """Every caller recalculates its spreadsheet back to back, starting requests for ``seconds``.

    Returns every request's (seconds, status) and the wall time until the last one finished.
    """
    results: list[tuple[float, int]] = []
    started = time.monotonic()
    until = started + seconds

    def caller(sheet_id: str, token: str) -> None:
        with requests.Session() as session:
            while time.monotonic() < until:
                results.append(recalc(session, url, sheet_id, token))  # list.append is atomic

    threads = [threading.Thread(target=caller, args=sheet) for sheet in sheets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def seed(fake: Any, callers: int) -> list[tuple[str, str]]:
    """One demo spreadsheet per caller, each editable by that caller's own token: [(id, token)]."""
    from tests.conftest import seed_demo  # the tests' fake and seeding: a benchmark-only dependency

    sheets = []
    for number in range(callers):
        token = f"caller-{number}-token"
        sheets.append((seed_demo(fake, editors=[token]), token))
    return sheets


def report(backend: str, latency: float, callers: int, results: list[tuple[float, int]], wall: float) -> str:
    """One line: throughput, latency percentiles and failures."""
    times = sorted(seconds for seconds, status in results if status == 200)
    failed = len(results) - len(times)
    if len(times) < 2:
        return f"{backend}: too few successful recalculations ({len(times)}, {failed} failed)"
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    return (f"backend={backend} latency={latency:.2f}s/call callers={callers}: {len(times)} recalculations in "
            f"{wall:.1f} s = {len(times) / wall * 60:.0f}/min; p50 {statistics.median(times):.2f} s, "
            f"p95 {p95:.2f} s; failed {failed}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark once and print its line."""
    from tests.fake_sheets import FakeSheets

    parser = argparse.ArgumentParser(prog="python -m bench.service_load", description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long new requests are started")
    parser.add_argument("--latency", type=float, default=0.15, help="seconds added to every Google call")
    parser.add_argument("--backend", choices=("fake", "replay"), default="replay")
    args = parser.parse_args(argv)
    with FakeSheets(latency=args.latency) as fake:
        sheets = seed(fake, args.callers)
        replay = Replay(fake.url, args.latency) if args.backend == "replay" else None
        server, url = start_gunicorn(replay.url if replay else fake.url)
        try:
            if replay:  # record a second (steady-state) run: the result tabs exist by then
                with requests.Session() as session:
                    for _ in range(2):
                        recalc(session, url, *sheets[0])
                replay.recording = False
            results, wall = measure(url, sheets, args.seconds)
        finally:
            stop(server)
            if replay:
                replay.close()
    print(report(args.backend, args.latency, args.callers, results, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
