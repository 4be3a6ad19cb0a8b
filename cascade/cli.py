"""`flask --app cascade …` commands; each calls domain code, commits once and says one line."""

from __future__ import annotations

import json
import sys

import click
import sqlalchemy as sa
from flask import Flask, current_app

from cascade import clock, interchange
from cascade.db import db
from cascade.findings import listing
from cascade.findings.analysis import analysis_of
from cascade.findings.operations import record_score
from cascade.models import Role, Unit, Workspace
from cascade.organisation import operations as ops
from cascade.organisation.passwords import hash_password
from cascade.refusals import Refusal
from cascade.vocabulary import ROLES


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
@click.option("--workspace", "slug", help="Workspace slug to join.")
@click.option("--unit", "unit_key", help="Unit key in that workspace.")
@click.option("--role", type=click.Choice(ROLES), default="member")
def create_user(email, name, password, slug, unit_key, role):
    """Create a person who can sign in, optionally with a role in a workspace's unit."""
    unit = None
    if slug:
        unit = db.session.scalar(sa.select(Unit).join(Workspace).where(
            Workspace.slug == slug, Unit.key == (unit_key or slug)))
        if unit is None:
            raise click.ClickException(f"no unit {unit_key or slug!r} in workspace {slug!r}")
    try:
        person = ops.create_account(email, name, password)
        if unit is not None:
            ops.grant(unit.workspace, person, unit, Role(role), by=None)
    except Refusal as refusal:
        raise click.ClickException(refusal.message) from None
    db.session.commit()
    click.echo(f"created {person.email}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no workspace yet.")
@click.option("--replace", is_flag=True, help="Replace an existing demo workspace.")
def demo(if_empty, replace):
    """Load the Northwind Digital demo workspace and print its sign-ins."""
    from cascade.interchange.demo import DOMAIN, PEOPLE, install

    if if_empty and db.session.scalar(sa.select(sa.func.count(Workspace.id))):
        click.echo("database already holds workspaces; demo not loaded")
        return
    password = current_app.config["DEMO_PASSWORD"]
    try:
        ws = install(hash_password(password), clock.now(), replace=replace)
    except interchange.InvalidFile as error:
        raise click.ClickException(_problems_text(error)) from None
    db.session.commit()
    click.echo(f"loaded demo workspace {ws.name!r}; sign in with password {password!r} as:")
    for local, name, roles in PEOPLE:
        where = ", ".join(f"{role} of {unit}" for unit, role in roles)
        click.echo(f"  {local + '@' + DOMAIN:<22} {name:<14} {where}")


@click.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--replace", is_flag=True, help="Overwrite a workspace with the same slug.")
def import_command(file, replace):
    """Import a cascade/v1 file; a file with any problem changes nothing."""
    try:
        doc = json.load(file)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"$: not valid JSON ({error})") from None
    try:
        ws = interchange.load(doc, replace=replace)
    except interchange.InvalidFile as error:
        db.session.rollback()
        raise click.ClickException(_problems_text(error)) from None
    db.session.commit()
    click.echo(f"imported workspace {ws.slug!r}")


@click.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def export_command(slug, output):
    """Write a workspace as a cascade/v1 file (to standard output by default)."""
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == slug))
    if ws is None:
        raise click.ClickException(f"no workspace {slug!r}")
    json.dump(interchange.dump(ws), output, ensure_ascii=False, indent=2)
    output.write("\n")
    if output is not sys.stdout:
        click.echo(f"exported workspace {slug!r}", err=True)


@click.command("coherence")
@click.argument("slug")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Analyse as of the end of this day (UTC); default today.")
@click.option("--json", "as_json", is_flag=True, help="The findings JSON instead of a table.")
def coherence_command(slug, as_of, as_json):
    """Print a workspace's coherence findings and score."""
    analysis = analysis_of(_workspace(slug), as_of.date() if as_of else clock.today())
    if as_json:
        click.echo(json.dumps(analysis.report(), ensure_ascii=False, indent=2))
    else:
        click.echo(listing.as_table(analysis))


@click.command("snapshot")
@click.argument("slug")
def snapshot_command(slug):
    """Record today's coherence score and open findings per code (run it from cron)."""
    ws = _workspace(slug)
    snap = record_score(ws, analysis_of(ws, clock.today()), by=None)
    db.session.commit()
    click.echo(f"recorded score {snap.score} for {slug!r} as of {snap.as_of.isoformat()}")


def _workspace(slug: str) -> Workspace:
    ws = db.session.scalar(sa.select(Workspace).where(Workspace.slug == slug))
    if ws is None:
        raise click.ClickException(f"no workspace {slug!r}")
    return ws


def _problems_text(error: interchange.InvalidFile) -> str:
    lines = [f"the file was not imported; {len(error.problems)} problem(s):"]
    lines += [f"  {path}: {message}" for path, message in error.problems]
    return "\n".join(lines)


def register_cli(app: Flask) -> None:
    for command in (create_user, demo, import_command, export_command, coherence_command,
                    snapshot_command):
        app.cli.add_command(command)
