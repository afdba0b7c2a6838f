"""Every ``premia`` command in one group: the recalculation commands and the month-close ones.

Importing :mod:`entrypoints.cli_months` registers its commands on the group of :mod:`entrypoints.cli`.
"""

from entrypoints import cli_months, cli_whatif
from entrypoints.cli import premia_cli

__all__ = ["cli_months", "cli_whatif", "premia_cli"]
