"""One way to print a table: a rich table on a terminal, tab-separated lines when piped.

A terminal gets the aligned table; a pipe or a file gets every value whole (rich would cut
them to an 80-column width), one row a line, tabs and line breaks inside a value as spaces.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click


def print_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None,
                header: bool = True) -> None:
    """Print ``rows`` under ``columns``: on a terminal as a table, else as tab-separated lines."""
    if not sys.stdout.isatty():
        if header:
            click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(" ".join(str(value).split()) for value in row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, title=title, show_header=header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
