"""`flask --app cascade …` commands; each calls domain code, commits once and says one line."""

from __future__ import annotations

import json
import sys

import click
import sqlalchemy as sa
from flask import Flask, current_app

from cascade import backup, clock, interchange
from cascade.db import db, without_time_limit
from cascade.findings import listing
from cascade.findings.analysis import analysis_of
from cascade.findings.operations import record_score
from cascade.interchange import reading
from cascade.models import Person, Role, Unit, Workspace
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
@click.argument("file", type=click.File("rb"))
@click.option("--replace", is_flag=True, help="Overwrite a workspace with the same slug.")
def import_command(file, replace):
    """Import a cascade/v1 file; a file with any problem changes nothing. As the operator,
    you enrol everyone in it: an address with no account gets one, without a password,
    and a link (printed here) to choose one."""
    limits = reading.Limits.from_config(current_app.config)
    enrol = interchange.Enrolment(None)
    try:
        doc = reading.read(file.read(limits.bytes + 1), limits)
        without_time_limit(db.session.connection())
        ws = interchange.load(doc, replace=replace, enrol=enrol)
    except interchange.InvalidFile as error:
        db.session.rollback()
        raise click.ClickException(_problems_text(error)) from None
    links = [(p.email, _reset_link(p)) for p in enrol.created]
    db.session.commit()
    click.echo(f"imported workspace {ws.slug!r}")
    if links:
        click.echo(f"created {len(links)} account(s) without a password; each chooses one "
                   "through their link (it works once, for "
                   f"{current_app.config['INVITATION_DAYS']} days):")
        for email, link in links:
            click.echo(f"  {email}  {link}")


def _reset_link(person, minutes: int | None = None) -> str:
    """A link to choose a password, for the operator to hand on (no request to build it
    from: the address comes from SERVER_NAME, or a relative path)."""
    minutes = minutes or current_app.config["INVITATION_DAYS"] * 24 * 60
    token = ops.start_reset(person, minutes)
    path = f"/password/reset/{token}"
    server = current_app.config.get("SERVER_NAME")
    return f"{current_app.config.get('PREFERRED_URL_SCHEME', 'http')}://{server}{path}" \
        if server else path


@click.command("reset-link")
@click.argument("email")
def reset_link_command(email):
    """Print a single-use link with which the person chooses a new password."""
    person = db.session.scalar(sa.select(Person).where(Person.email == email.strip().lower()))
    if person is None or not person.active:
        raise click.ClickException(f"no active account {email!r}")
    link = _reset_link(person, current_app.config["PASSWORD_RESET_MINUTES"])
    db.session.commit()
    click.echo(f"{person.email} chooses a new password at (once, for "
               f"{current_app.config['PASSWORD_RESET_MINUTES']} minutes): {link}")


@click.command("account")
@click.argument("action", type=click.Choice(["disable", "enable"]))
@click.argument("email")
def account_command(action, email):
    """Disable an account (the person cannot sign in; what they wrote stays) or enable it."""
    person = db.session.scalar(sa.select(Person).where(Person.email == email.strip().lower()))
    if person is None:
        raise click.ClickException(f"no account {email!r}")
    try:
        ops.set_active(person, action == "enable", by=None)
    except Refusal as refusal:
        raise click.ClickException(refusal.message) from None
    db.session.commit()
    click.echo(f"{person.email} is {'enabled' if person.active else 'disabled'}")


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


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-",
              help="File to write (standard output by default); a name ending .gz is gzipped.")
@click.option("--workspace", "slug", help="Only this workspace, with the people it names.")
def backup_command(output, slug):
    """Write every row of the database (or of one workspace) to a backup file that
    `restore` brings back into an empty database, on SQLite or PostgreSQL."""
    with db.engine.connect() as connection, _opened(output, "wt") as out:
        backup.consistent_read(connection)
        try:
            for line in backup.write(connection, slug):
                out.write(line)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from None
    if output != "-":
        click.echo(f"backed up {'workspace ' + repr(slug) if slug else 'the instance'} to "
                   f"{output}", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace-unstorable", is_flag=True,
              help="Write U+FFFD for characters the database cannot store (a NUL byte).")
def restore_command(file, replace_unstorable):
    """Restore a backup into an empty database: the schema at the backup's revision, every
    row as it was, then the migrations up to now."""
    from flask_migrate import upgrade

    with _opened(file, "rt") as lines:
        try:
            header, rows = backup.read(lines)
            revision = backup.prepare(header)
            if revision is not None:
                upgrade(revision=revision)
            connection = db.session.connection()
            without_time_limit(connection)
            if not backup.empty(connection):
                raise backup.BackupError("the database already holds data; restore goes "
                                         "into an empty database only")
            counts = backup.restore(connection, rows, replace_unstorable=replace_unstorable)
        except (backup.BackupError, ValueError) as error:
            db.session.rollback()
            raise click.ClickException(f"nothing was restored: {error}") from None
    db.session.commit()
    upgrade()
    click.echo(f"restored {sum(counts.values())} rows into {len(counts)} tables")


def _opened(name: str, mode: str):
    """A file by name, gzipped when it ends in .gz; `-` is standard output or input."""
    import contextlib
    import gzip

    if name == "-":
        return contextlib.nullcontext(sys.stdout if "w" in mode else sys.stdin)
    if name.endswith(".gz"):
        return gzip.open(name, mode, encoding="utf-8")
    return open(name, mode, encoding="utf-8")


@click.command("coherence")
@click.argument("slug")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Analyse as of the end of this day (UTC); default today.")
@click.option("--json", "as_json", is_flag=True, help="The findings JSON instead of a table.")
def coherence_command(slug, as_of, as_json):
    """Print a workspace's coherence findings and score."""
    analysis = analysis_of(_workspace(slug), as_of.date() if as_of else clock.today(),
                           fresh=True)
    if as_json:
        click.echo(json.dumps(analysis.report(), ensure_ascii=False, indent=2))
    else:
        click.echo(listing.as_table(analysis))


@click.command("snapshot")
@click.argument("slug")
def snapshot_command(slug):
    """Record today's coherence score and open findings per code (run it from cron)."""
    ws = _workspace(slug)
    snap = record_score(ws, analysis_of(ws, clock.today(), fresh=True), by=None)
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


@click.command("openapi")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="docs/openapi.json")
def openapi_command(output):
    """Write the API's OpenAPI document (docs/openapi.json is the reviewed copy)."""
    import json

    from flask import current_app

    from cascade.api.spec import document

    with open(output, "w", encoding="utf-8") as out:
        out.write(json.dumps(document(current_app), indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {output}")


@click.group("notify")
def notify_command():
    """Deliver notifications by hand (the background worker does this on its own)."""


@notify_command.command("deliver")
def notify_deliver():
    """Dispatch new events, compose the mails due and send them, once."""
    from cascade.notifications import runs
    click.echo(" ".join(f"{k}={v}" for k, v in runs.deliver().items()))


@notify_command.command("digest")
@click.argument("which", type=click.Choice(["daily", "weekly", "reminders"]))
def notify_digest(which):
    """Compose and send today's daily or weekly digests, or the reminders, now."""
    from cascade.notifications import runs
    click.echo(" ".join(f"{k}={v}" for k, v in runs.digests(force=which).items()))


def register_cli(app: Flask) -> None:
    from cascade.jobs.worker import worker_command

    for command in (worker_command, create_user, demo, import_command, export_command,
                    coherence_command, snapshot_command, reset_link_command, account_command,
                    backup_command, restore_command, openapi_command,
                    notify_command):
        app.cli.add_command(command)
