"""Subcommand groups shared by several modules (``tumbuh report ...``, ``tumbuh db ...``).

A module adds a command to a group with ``@report_app.command("trend")``; the group is
registered on the root ``app`` here, once.
"""

import typer

from tumbuh.cli import app

db_app = typer.Typer(help="Create, migrate and recompute the database.", no_args_is_help=True)
demo_app = typer.Typer(help="The synthetic demo city.", no_args_is_help=True)
report_app = typer.Typer(help="Figures and reports from the database.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import files into the database, and review the imports made.", no_args_is_help=True
)
export_app = typer.Typer(help="Export records to files.", no_args_is_help=True)
user_app = typer.Typer(help="Users of the web application.", no_args_is_help=True)
cases_app = typer.Typer(
    help="Cases: children followed from referral to the end of their problem.",
    no_args_is_help=True,
)
kitchen_app = typer.Typer(
    help="PMT kitchens: their funding, their daily serving log and the monthly report.",
    no_args_is_help=True,
)
pmt_app = typer.Typer(
    help="PMT lokal: who may be fed this month, enrolments at a kitchen, and their end.",
    no_args_is_help=True,
)
asuh_app = typer.Typer(
    help="Bapak Asuh Anak Stunting: sponsors, their money through Baznas, the statement.",
    no_args_is_help=True,
)

app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(report_app, name="report")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")
app.add_typer(cases_app, name="cases")
app.add_typer(kitchen_app, name="kitchen")
app.add_typer(pmt_app, name="pmt")
app.add_typer(asuh_app, name="asuh")
