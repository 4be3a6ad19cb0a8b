"""Horizons read as periods: a hint in forms, a notice for text that names none, and a
filter on the tree, the graph and the findings that takes periods inside the chosen one."""

from cascade.db import db
from tests.factories import make_node


def _nodes(org):
    ws, units = org.workspace, org.units
    root = make_node(ws, units["acme"], "vision", "Vision", horizon="2027")
    make_node(ws, units["checkout"], "spring", "Spring launch", parent=root, horizon="2027-Q2")
    make_node(ws, units["checkout"], "autumn", "Autumn launch", parent=root, horizon="2027-Q4")
    make_node(ws, units["search"], "later", "Later work", parent=root, horizon="someday")
    make_node(ws, units["search"], "loose", "Loose end", horizon="2027-Q4")  # UNALIGNED
    db.session.commit()


def test_forms_hint_and_warn_when_a_horizon_names_no_period(client, login, org):
    login(org.people["leader"])
    page = client.get("/w/acme/nodes/new").get_data(as_text=True)
    assert "A period such as 2027, 2027-H1, 2027-Q3 or 2027-05" in page
    page = client.post("/w/acme/nodes/new", data={
        "unit": org.units["acme"].id, "title": "Big bet", "horizon": "next year"},
        follow_redirects=True).get_data(as_text=True)
    assert "The horizon “next year” is kept as written but names no period" in page
    page = client.post("/w/acme/nodes/new", data={
        "unit": org.units["acme"].id, "title": "Small bet", "horizon": "2027-H1"},
        follow_redirects=True).get_data(as_text=True)
    assert "names no period" not in page


def test_tree_filters_by_horizon_including_periods_inside(client, login, org):
    _nodes(org)
    login(org.people["member"])
    page = client.get("/w/acme/nodes/?horizon=2027-H1").get_data(as_text=True)
    assert "Spring launch" in page and "Autumn launch" not in page
    assert '<option value="2027-Q2">2027-Q2</option>' in page
    page = client.get("/w/acme/nodes/?horizon=someday").get_data(as_text=True)
    assert "Later work" in page and "Spring launch" not in page


def test_graph_and_findings_filter_by_horizon(client, login, org):
    _nodes(org)
    login(org.people["coach"])
    dot = client.get("/w/acme/graph.dot?horizon=2027-Q4").get_data(as_text=True)
    assert "Autumn launch" in dot and "Spring launch" not in dot
    from cascade.clock import today
    from cascade.findings import listing
    from cascade.findings.analysis import analysis_of
    analysis = analysis_of(org.workspace, today())
    spring = listing.selection(analysis, horizon="2027-Q2").findings
    assert spring and all("spring" in f.nodes for f in spring)
    assert len(listing.selection(analysis, horizon="2027").findings) > len(spring)
    page = client.get("/w/acme/findings?horizon=2027-Q2").get_data(as_text=True)
    assert f"{len(spring)} finding" in page or str(len(spring)) in page
    assert client.get("/w/acme/findings?horizon=%00").status_code == 400
