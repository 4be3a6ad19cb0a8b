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


@pytest.fixture
def squads(org):
    """Acme with 70 squads under Shopping, one aim each: more units than a select shows, so
    unit filters become typed fields with suggestions."""
    from tests.factories import make_node, make_unit

    for i in range(70):
        unit = make_unit(org.workspace, f"squad-{i:02}", f"Squad {i:02}", parent=org.units["shop"])
        make_node(org.workspace, unit, f"aim-{i:02}", title=f"Squad aim {i:02}")
    db.session.commit()
    return org

