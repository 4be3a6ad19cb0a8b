"""The suite's own isolation (tests/conftest.py): a test's commits are savepoints in an outer
transaction rolled back after it; `committed` tests really commit and are emptied after;
caches, counters and settings start clean; the developer's instance folder is not read.

The tests here run in pairs, the second checking what the first left behind, so they rely
on running in file order in one process (as pytest and `--dist loadfile` run them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from cascade.db import db
from cascade.models import Workspace
from tests.factories import make_workspace

LEFT: dict[str, str] = {}  # backend -> what the first test of a pair wrote


def _backend(app) -> str:
    return db.engine.dialect.name


def _seen_elsewhere(url: str, slug: str) -> int:
    other = sa.create_engine(url, poolclass=NullPool)
    try:
        with other.connect() as connection:
            return connection.scalar(sa.select(sa.func.count()).select_from(Workspace.__table__)
                                     .where(Workspace.__table__.c.slug == slug))
    finally:
        other.dispose()


def test_a_commit_is_seen_by_requests_but_by_no_other_connection(app, database_url):
    make_workspace("probe", "Probe")
    db.session.commit()
    LEFT[_backend(app)] = "probe"
    with app.app_context():  # as each request does: a session of its own
        assert db.session.scalar(sa.select(Workspace.name)) == "Probe"
    assert _seen_elsewhere(database_url, "probe") == 0


def test_the_previous_test_left_no_row(app):
    assert LEFT.get(_backend(app)) == "probe", "runs after the test above"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workspace)) == 0


def test_the_codes_own_rollback_keeps_what_came_before(app):
    make_workspace("kept", "Kept")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        make_workspace("kept", "Again")
    db.session.rollback()
    assert [w.name for w in db.session.scalars(sa.select(Workspace))] == ["Kept"]


@pytest.mark.committed
def test_a_committed_test_really_commits(app, database_url):
    make_workspace("committed-probe", "Probe")
    db.session.commit()
    LEFT[_backend(app) + "-committed"] = "committed-probe"
    assert _seen_elsewhere(database_url, "committed-probe") == 1


def test_a_committed_test_is_emptied_after(app, database_url):
    assert LEFT.get(_backend(app) + "-committed") == "committed-probe", "runs after the above"
    assert _seen_elsewhere(database_url, "committed-probe") == 0


def test_caches_counters_and_settings_are_filled(app):
    app.extensions["cascade_analyses"].put("key", "an analysis")
    app.extensions["cascade_graph_cache"].set("key", b"a drawing")
    app.config["GRAPH_NODE_BUDGET"] = 1
    app.extensions["cascade.throttle"].memory.storage.incr("a-count", 60)


def test_caches_counters_and_settings_start_clean(app):
    assert app.extensions["cascade_analyses"].get("key") is None
    assert app.extensions["cascade_graph_cache"].get("key") is None
    assert app.config["GRAPH_NODE_BUDGET"] == 300
    assert app.extensions["cascade.throttle"].memory.storage.get("a-count") == 0


@pytest.mark.app_config(GRAPH_NODE_BUDGET=7)
def test_app_config_builds_an_app_of_its_own(app, shared_app):
    assert app is not shared_app and app.config["GRAPH_NODE_BUDGET"] == 7
    make_workspace("own", "Own")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workspace)) == 1


def test_fresh_apps_see_what_the_test_wrote(app, fresh_app):
    make_workspace("shared", "Shared")
    db.session.commit()
    other = fresh_app(GRAPH_NODE_BUDGET=9)
    with other.app_context():
        assert db.session.scalar(sa.select(Workspace.name)) == "Shared"


def test_the_developers_instance_folder_is_not_read(app):
    repository = Path(__file__).resolve().parent.parent
    assert Path(app.instance_path) == Path(os.environ["CASCADE_INSTANCE_PATH"])
    assert not Path(app.instance_path).is_relative_to(repository)
    assert not (Path(app.instance_path) / "config.py").exists()
