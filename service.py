"""Premia's Flask service and its ``flask --app service premia …`` command line.

Only wiring lives here: adapters in ``sheets_sync`` read and write spreadsheets, ``formulas`` computes.
Nothing is built at import time (Flask tutorial's ``create_app``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify

from sheets_sync.cli import premia_cli


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: configuration, routes and the ``premia`` command group."""
    app = Flask(__name__)
    app.config.from_mapping(MAX_CONTENT_LENGTH=64 * 1024)
    app.config.from_prefixed_env("PREMIA")
    if test_config:
        app.config.update(test_config)

    @app.get("/healthz")
    def healthz() -> Any:
        """Liveness probe for App Engine and load balancers."""
        return jsonify({"status": "ok"})

    app.cli.add_command(premia_cli)
    return app
