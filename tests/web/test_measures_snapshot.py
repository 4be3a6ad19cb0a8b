"""The snapshot bridge carries measures, check-ins, horizons and dependency agreements to
the engine, in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

from cascade.clock import today
from cascade.db import db
from cascade.findings.analysis import analyse_workspace, analysis_of
from cascade.findings.snapshot import load_snapshot
from cascade.models import Link
from cascade.vocabulary import AgreementState, LinkKind
from tests.factories import make_check_in, make_measure, make_node


def _tree(org):
    ws, units = org.workspace, org.units
    vision = make_node(ws, units["acme"], "vision", horizon="2026")
    pay = make_node(ws, units["payments"], "pay-1", parent=vision, horizon="2026-Q4")
    shop = make_node(ws, units["shop"], "shop-1", parent=vision, horizon="2026-H2")
    return vision, pay, shop


def test_snapshot_carries_measures_check_ins_and_horizons(org):
    _, pay, _ = _tree(org)
    measure = make_measure(pay, start=date(2026, 10, 1), cadence_days=14)
    when = datetime(2026, 10, 20, 9, tzinfo=UTC)
    make_check_in(measure, 12.5, org.people["member"], org.units["checkout"], confidence=8,
                  created_at=when)
    db.session.commit()
    snap = load_snapshot(org.workspace)
    [found] = snap.measures
    assert (found.node, found.key, found.baseline, found.target, found.start, found.due,
            found.cadence_days, found.status) == ("pay-1", "m1", 0, 100, date(2026, 10, 1),
                                                 None, 14, "live")
    [check_in] = found.check_ins
    assert (check_in.value, check_in.confidence, check_in.unit) == (12.5, 8, "checkout")
    assert check_in.created_at.replace(tzinfo=UTC) == when
    assert {n.key: n.horizon for n in snap.nodes}["pay-1"] == "2026-Q4"


def test_snapshot_carries_dependency_states_and_findings_follow(org):
    _, pay, shop = _tree(org)
    made = datetime.now(UTC) - timedelta(days=20)
    db.session.add(Link(workspace_id=org.workspace.id, source=shop, target=pay,
                        kind=LinkKind.DEPENDS_ON, state=AgreementState.REQUESTED,
                        created_at=made))
    db.session.commit()
    [agreement] = load_snapshot(org.workspace).dependencies
    assert (agreement.node, agreement.on, agreement.state) == ("shop-1", "pay-1", "requested")
    codes = [f.code for f in analysis_of(org.workspace, today()).findings]
    assert "UNCONFIRMED_DEPENDENCY" in codes


def test_committed_links_record_no_agreement(org):
    _, pay, shop = _tree(org)
    db.session.add(Link(workspace_id=org.workspace.id, source=shop, target=pay,
                        kind=LinkKind.DEPENDS_ON))
    db.session.commit()
    assert load_snapshot(org.workspace).dependencies == ()


def test_measures_cost_one_query_whatever_their_number(org, count_queries):
    _, pay, shop = _tree(org)
    db.session.commit()
    with count_queries() as none:
        analyse_workspace(org.workspace, today())
    for i in range(5):
        measure = make_measure(pay if i % 2 else shop, key=f"m{i}")
        for value in range(3):
            make_check_in(measure, value)
    db.session.commit()
    with count_queries() as some:
        analyse_workspace(org.workspace, today())
    assert some.count == none.count
