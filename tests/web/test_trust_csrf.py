"""The earlier figure that must hold: 0 CSRF forgeries accepted. Every POST form the app
shows (found by crawling, as in the fuzz) is sent without its token and with a token from
another session; each is refused with 400 and the database is unchanged."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from cascade.db import db
from cascade.models import Membership, Role
from tests.crawl import crawl
from tests.factories import make_node, make_note, make_pulse


def _rows() -> int:
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(t))
               for t in db.metadata.sorted_tables)


def test_no_form_accepts_a_forgery(csrf_app, login, org):
    ada, units = org.people["admin"], org.units
    for unit, role in ((units["acme"], Role.LEADER), (units["acme"], Role.COACH),
                       (units["checkout"], Role.MEMBER)):
        db.session.add(Membership(workspace_id=org.workspace.id, person=ada, unit=unit,
                                  role=role))
    vision = make_node(org.workspace, units["acme"], "vision", "Vision")
    goal = make_node(org.workspace, units["checkout"], "goal", "Goal", parent=vision)
    make_note(goal, author=ada, unit=units["checkout"])
    make_pulse(org.workspace, [units["checkout"]], node=vision)
    db.session.commit()
    victim, attacker = csrf_app.test_client(), csrf_app.test_client()
    login(ada, on=victim)
    login(org.people["outsider"], on=attacker)
    forms, _ = crawl(victim, "http://localhost/w/acme/")
    assert len(forms) >= 15
    other_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                            attacker.get("/account").get_data(as_text=True)).group(1)
    db.session.rollback()
    before, forgeries = _rows(), 0
    for form in forms:
        for token in (None, other_token):
            data = {k: v or "" for k, v in form.fields.items() if k != "csrf_token"}
            if token:
                data["csrf_token"] = token
            response = victim.post(urlsplit(form.action).path, data=data)
            forgeries += 1
            assert response.status_code == 400, (form.action, response.status_code)
            assert "Form expired" in response.get_data(as_text=True)
    db.session.rollback()
    assert _rows() == before
    print(f"{forgeries} CSRF forgeries over {len(forms)} forms: all refused")
