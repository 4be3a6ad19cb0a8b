"""What the browser journeys share: the demo workspace with passwords that hash cheaply."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.interchange.demo import document
from cascade.models import Person
from tests.factories import _password_hash


@pytest.fixture
def northwind(app):
    """Northwind as `make run` loads it, every demo person with the suite's password."""
    interchange.load(document(datetime.now(UTC)))
    db.session.execute(sa.update(Person).values(password_hash=_password_hash()))
    db.session.commit()
