"""Shared fixtures: a fake Sheets API on loopback, the Flask app wired to it, and seeded spreadsheets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import settings

from demo.workbook import demo_tabs
from service import create_app
from tests.fake_sheets import FakeSheets

# CI replays the same examples every run (a red CI is then a real regression, reproducible here);
# `make fuzz` draws new ones each time and runs many more. Tests set their own example counts.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("fuzz", max_examples=200, deadline=None)
settings.load_profile("fuzz" if os.environ.get("PREMIA_HYPOTHESIS_PROFILE") == "fuzz" else "ci")

AS_OF = date(2026, 11, 23)
OWNER = "owner-token"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSheets]:
    """A fresh fake Sheets API; the Google adapter is pointed at it as Google's SDKs do for emulators.

    Every test that uses it also proves no request failed schema validation.
    """
    with FakeSheets() as server:
        monkeypatch.setenv("PREMIA_SHEETS_API_ROOT", server.url)
        yield server
        assert server.schema_violations == [], server.schema_violations


@pytest.fixture
def app(fake: FakeSheets) -> Any:
    """The service in user mode (the add-on's own token), reaching the fake."""
    return create_app({"TESTING": True, "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": fake.url})


@pytest.fixture
def client(app: Any) -> Any:
    """Flask's test client."""
    return app.test_client()


@pytest.fixture
def clients() -> Iterator[list[Any]]:
    """gspread clients a test makes; their HTTP sessions are closed afterwards (no ResourceWarning)."""
    made: list[Any] = []
    yield made
    for client in made:
        client.http_client.session.close()


def seed_demo(fake: FakeSheets, as_of: date = AS_OF, **access: Any) -> str:
    """Create a spreadsheet holding the demo agency's input tabs (with its percent cell); return its id."""
    demo = demo_tabs(as_of)
    sheet_id = fake.create_spreadsheet("Demo agency", dict(demo.tabs), owner_token=OWNER, **access)
    for (title, row, col), pattern in demo.formats.items():
        if "%" in pattern:
            value = dict(demo.tabs)[title][row][col]
            fake.set_cell(sheet_id, f"'{title}'!{chr(65 + col)}{row + 1}", value,
                          number_format={"type": "PERCENT", "pattern": pattern})
    return sheet_id


def bearer(token: str) -> dict[str, str]:
    """The Authorization header the add-on sends."""
    return {"Authorization": f"Bearer {token}"}
