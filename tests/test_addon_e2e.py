"""The add-on's menu, end to end: real add-on code (node) -> real HTTP -> the Flask service -> the fake Sheets.

The service runs in this process on a loopback port (werkzeug's ``make_server``); node runs
``tests/addon/e2e/addon.e2e.js``, whose stubbed ``UrlFetchApp.fetch`` makes real HTTP requests with the
token given here, and which clicks "Set up tabs" and then "Recalculate".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from demo.workbook import demo_tabs
from tests.conftest import AS_OF, OWNER

ROOT = Path(__file__).resolve().parent.parent
E2E = "tests/addon/e2e/addon.e2e.js"
ADDON_TOKEN = "ya29.addon-user-token"


@pytest.fixture
def service_url(app: Any) -> Iterator[str]:
    """The service (wired to the fake by the ``app`` fixture) served on an ephemeral loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.slow
def test_set_up_tabs_then_recalculate_from_the_add_on_menu(fake, service_url: str) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the add-on end-to-end test (see the Makefile's nodetest)"
    tabs = {title: rows for title, rows in demo_tabs(AS_OF).tabs if title != "Payments"}  # setup adds it
    sheet_id = fake.create_spreadsheet("Agency", tabs, owner_token=OWNER, editors=[ADDON_TOKEN])
    env = {**os.environ, "PREMIA_E2E_URL": service_url, "PREMIA_E2E_SPREADSHEET": sheet_id,
           "PREMIA_E2E_TOKEN": ADDON_TOKEN}
    command = [node, "--test", "--test-reporter=tap", E2E]  # TAP: the same summary lines on every node
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 1" in done.stdout and "# fail 0" in done.stdout, done.stdout
    titles = [s.properties["title"] for s in fake.spreadsheet(sheet_id).sheets]
    assert "Payments" in titles and "Summary" in titles
    assert fake.values(sheet_id, "'Payments'!1:1") == [["Deal ID", "Paid on", "Amount", "Contract month",
                                                          "Collector"]]
    writes = fake.calls("batchUpdate")
    assert len(writes) == 2 and {w.token for w in writes} == {ADDON_TOKEN}  # setup, then the recalculation
