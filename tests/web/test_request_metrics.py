"""The benchmark's per-request figures (`REQUEST_METRICS`): off by default, exact when on."""

import pytest
import sqlalchemy as sa

from cascade.db import db
from cascade.models import Person
from tests.web.test_strategy_queries import workspace_doc


def test_responses_carry_no_figures_by_default(client):
    response = client.get("/readyz")
    assert "X-SQL-Statements" not in response.headers
    assert "Server-Timing" not in response.headers


@pytest.fixture
def member(app):
    from cascade import interchange

    interchange.load(workspace_doc("metrics", 20))
    db.session.commit()
    return db.session.scalar(sa.select(Person).where(Person.email == "member@metrics.test"))


@pytest.mark.app_config(REQUEST_METRICS=True)
@pytest.mark.parametrize("path", ["/w/metrics/nodes/", "/w/metrics/inbox", "/readyz"])
def test_the_header_counts_every_statement_the_request_ran(app, client, login, member, path):
    seen, at_headers = [], []

    def count(conn, cursor, statement, *_args):
        seen.append(statement)

    measured = app.wsgi_app

    def outermost(environ, start_response):
        def start(status, headers, exc_info=None):
            at_headers.append(len(seen))
            return start_response(status, headers, exc_info)
        return measured(environ, start)
    app.wsgi_app = outermost
    login(member)
    db.session.expire_all()
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
        app.wsgi_app = measured
    assert response.status_code == 200
    assert int(response.headers["X-SQL-Statements"]) == at_headers[0] > 0
    # after the headers only the request's session ends: a connection rollback in
    # production, a statement here inside the test's transaction
    assert all(s.startswith("ROLLBACK TO SAVEPOINT") for s in seen[at_headers[0]:])
    name, _, duration = response.headers["Server-Timing"].partition(";dur=")
    assert name == "app" and float(duration) > 0
