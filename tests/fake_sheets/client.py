"""A real gspread client pointed at the fake, the supported way (GOOGLE_FACTS.md): gspread copies its
URL constants at import, so instead of patching them we hand it a `requests.Session` that rewrites
`https://sheets.googleapis.com/` to the fake's URL and adds `Authorization: Bearer <token>`."""

from __future__ import annotations

from typing import Any

import gspread
import requests

SHEETS_ROOT = "https://sheets.googleapis.com/"


class RewritingSession(requests.Session):
    """A Session that sends Sheets API requests to another root with a fixed bearer token."""

    def __init__(self, root: str, token: str) -> None:
        super().__init__()
        self.root = root if root.endswith("/") else root + "/"
        self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Rewrite the Sheets host, then send as usual."""
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith(SHEETS_ROOT):
            text = self.root + text[len(SHEETS_ROOT) :]
        return super().request(method, text, *args, **kwargs)


def gspread_client(fake: Any, token: str, timeout: float | tuple[float, float] = (5, 30)) -> gspread.Client:
    """A `gspread.Client` talking to `fake` (anything with `.url`) as the holder of `token`."""
    client = gspread.Client(auth=None, session=RewritingSession(fake.url, token))  # type: ignore[arg-type]
    client.set_timeout(timeout)
    return client
