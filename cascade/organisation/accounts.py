"""Accounts: creating one with a good password, and changing a password."""

from __future__ import annotations

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Person
from cascade.organisation.passwords import hash_password, password_problem, verify_password
from cascade.refusals import Refusal


def create_account(email: str, name: str, password: str) -> Person:
    """A new person who can sign in; the e-mail address must be free."""
    email = email.strip().lower()
    if db.session.scalar(sa.select(Person.id).where(Person.email == email)):
        raise Refusal("email", "An account with this e-mail address exists; sign in instead.")
    if problem := password_problem(password):
        raise Refusal("password", problem)
    person = Person(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(person)
    db.session.flush()
    return person


def change_password(person: Person, current: str, new: str) -> None:
    """Needs the current password; ends every other session by rotating the session token."""
    if not verify_password(person.password_hash, current):
        raise Refusal("current_password", "That is not your current password.")
    if problem := password_problem(new):
        raise Refusal("new_password", problem)
    if new == current:
        raise Refusal("new_password", "Choose a password different from the current one.")
    person.password_hash = hash_password(new)
    person.end_sessions()
