"""The ``premia`` console script (PRODUCT.md section 6): the same commands as ``flask --app service premia``.

Installed with the project (``pip install -e .``, which ``make setup`` does), so ``premia recalc …``
works from any folder without Flask's ``--app`` option.
"""

from __future__ import annotations

from service import create_app


def main() -> None:
    """Run the ``premia`` command group inside the service's app context (as Flask's CLI would)."""
    from entrypoints.commands import premia_cli

    app = create_app()
    with app.app_context():
        premia_cli.main(prog_name="premia")
