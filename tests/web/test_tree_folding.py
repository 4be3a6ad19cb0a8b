"""The strategy tree a page at a time: folded nodes say what they hide, open on demand a
page of children at a time, and a search shows a page of matches with the path to each."""

import re

import sqlalchemy as sa

from benchmarks.organisation import document
from cascade import interchange
from cascade.db import db
from cascade.models import Person
from tests.factories import make_node, make_note


def _chain(org):
    """a > b > c (retired) > d: d is orphaned below c, a high finding two levels down."""
    a = make_node(org.workspace, org.units["acme"], "a", title="Alpha")
    b = make_node(org.workspace, org.units["acme"], "b", title="Beta", parent=a)
    c = make_node(org.workspace, org.units["shop"], "c", title="Gamma", parent=b,
                  status="retired")
    d = make_node(org.workspace, org.units["checkout"], "d", title="Delta", parent=c)
    make_node(org.workspace, org.units["checkout"], "e", title="Epsilon", parent=d)
    make_note(d, stance="blocker")
    db.session.commit()
    return a, b, c, d


def _summary(page: str, key: str) -> str:
    """The <summary> of the node `key` on a tree page."""
    found = re.search(r'<summary><span class="node-row[^"]*"><a class="node-title" href="'
                      rf'/w/acme/nodes/{key}">.*?</summary>', page, re.S)
    assert found, key
    return found.group(0)


def test_a_folded_node_says_how_much_it_hides_and_the_worst_finding_below(client, login, org):
    _chain(org)
    login(org.people["member"])
    page = client.get("/w/acme/nodes/").get_data(as_text=True)
    folded = _summary(page, "c")
    assert "1 child · 2 below" in folded
    assert 'class="badge sev-high below-findings" title="Open findings below: 1 high' in folded
    assert "worst high" in folded
    assert "Delta" not in page and "Epsilon" not in page
    # the levels shown are a choice: one level folds everything under the top node
    page = client.get("/w/acme/nodes/?depth=1").get_data(as_text=True)
    assert "Beta" not in page and "1 child · 4 below" in _summary(page, "a")
    assert '<option selected value="1">1</option>' in page
    page = client.get("/w/acme/nodes/?depth=5").get_data(as_text=True)
    assert "Epsilon" in page and "Show its" not in page
    assert "2 blockers" not in page and "1 blocker" in _summary(page, "d")


def test_opening_a_folded_node_loads_only_its_children(client, login, org):
    _chain(org)
    login(org.people["member"])
    fragment = client.get("/w/acme/nodes/c/children?fragment=1")
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith("<li>") and "<html" not in html
    assert "Delta" in html and "Epsilon" not in html and "Gamma" not in html
    assert '<details data-children="/w/acme/nodes/d/children?fragment=1">' in html
    assert "1 child</span>" in html and "1 blocker" in html
    # without script, the same link is a page: the path above, the node, its children
    page = client.get("/w/acme/nodes/c/children").get_data(as_text=True)
    assert re.search(r'<li><a href="/w/acme/nodes/a/children">Alpha</a></li>\s*'
                     r'<li><a href="/w/acme/nodes/b/children">Beta</a></li>\s*'
                     r'<li aria-current="page">Gamma</li>', page)
    assert "Delta" in page and "Epsilon" not in page
    leaf = client.get("/w/acme/nodes/e/children").get_data(as_text=True)
    assert "0 children" in leaf and '<div class="leaf">' in leaf
    assert client.get("/w/acme/nodes/nowhere/children").status_code == 404


def test_a_node_with_many_children_shows_them_a_page_at_a_time(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "root", title="Root")
    for i in range(120):
        make_node(org.workspace, org.units["shop"], f"k{i:03}", title=f"Kid {i:03}", parent=root)
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/").get_data(as_text=True)
    assert page.count("Kid ") == 50 and "Kid 049" in page and "Kid 050" not in page
    assert ('<a href="/w/acme/nodes/root/children?page=2" data-more="/w/acme/nodes/root/'
            'children?page=2&amp;fragment=1">Show 50 more of 120 children</a>') in page
    more = client.get("/w/acme/nodes/root/children?page=2&fragment=1").get_data(as_text=True)
    assert more.count("Kid ") == 50 and "Kid 050" in more and "Kid 099" in more
    assert "Show 20 more of 120 children" in more and "page=3" in more
    last = client.get("/w/acme/nodes/root/children?page=3&fragment=1").get_data(as_text=True)
    assert last.count("Kid ") == 20 and "more of" not in last
    page = client.get("/w/acme/nodes/root/children?page=3").get_data(as_text=True)
    assert "showing 101–120" in page and "Previous 50" in page and "Next" not in page
    for nonsense in ("0", "-3", "x", "99999999999"):
        assert client.get(f"/w/acme/nodes/root/children?page={nonsense}").status_code == 200


def test_a_level_that_would_pass_the_budget_stays_folded(client, login, org, monkeypatch):
    from cascade.strategy import folding

    monkeypatch.setattr(folding, "BUDGET", 30)
    root = make_node(org.workspace, org.units["acme"], "root", title="Root")
    for i in range(6):
        theme = make_node(org.workspace, org.units["shop"], f"t{i}", title=f"Theme {i}",
                          parent=root)
        for j in range(5):
            make_node(org.workspace, org.units["checkout"], f"t{i}-{j}", title=f"Leaf {i}.{j}",
                      parent=theme)
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/").get_data(as_text=True)  # 1 + 6 + 30 rows > 30
    assert "Leaf" not in page and page.count("5 children</span>") == 6
    monkeypatch.setattr(folding, "BUDGET", 37)  # 1 + 6 + 30 rows: room for all of them
    page = client.get("/w/acme/nodes/").get_data(as_text=True)
    assert page.count("Leaf ") == 30 and "Show its" not in page


def test_search_shows_a_page_of_matches_with_the_path_to_each(client, login, org):
    root = make_node(org.workspace, org.units["acme"], "root", title="Root")
    for i in range(3):
        theme = make_node(org.workspace, org.units["shop"], f"t{i}", title=f"Theme {i}",
                          parent=root)
        for j in range(30):
            make_node(org.workspace, org.units["checkout"], f"t{i}-w{j}",
                      title=f"Widget {i}.{j}", parent=theme, horizon="2027-Q2")
    make_node(org.workspace, org.units["search"], "odd", title="100% <b>odd</b>_one",
              parent=root)
    make_node(org.workspace, org.units["search"], "uber", title="Über den Berg", parent=root)
    db.session.commit()
    login(org.people["member"])
    page = client.get("/w/acme/nodes/?q=widget").get_data(as_text=True)
    assert "90 nodes match the filter; showing 1–50, the path to each is shown." in page
    assert page.count('class="node-row match"') == 50
    assert "Theme 0" in page and "Theme 1" in page and "Theme 2" not in page
    assert "Widget 1.19" in page and "Widget 1.20" not in page
    assert "All 30 children" in page  # Theme 1 shows only the matches below it
    assert 'href="/w/acme/nodes/?q=widget&amp;page=2">Next 40</a>' in page
    second = client.get("/w/acme/nodes/?q=widget&page=2").get_data(as_text=True)
    assert "showing 51–90" in second and "Widget 2.29" in second and "Widget 0.0<" not in second
    # LIKE's wildcards are plain text, and titles are escaped
    page = client.get("/w/acme/nodes/?q=%25+%3Cb").get_data(as_text=True)
    assert "1 node matches" in page and "100% &lt;b&gt;odd&lt;/b&gt;_one" in page
    assert "1 node matches" in client.get("/w/acme/nodes/?q=b>_o").get_data(as_text=True)
    assert "No node matches" in client.get("/w/acme/nodes/?q=1_0").get_data(as_text=True)
    assert "No node matches" in client.get("/w/acme/nodes/?q=1%250").get_data(as_text=True)
    for words in ("über", "ÜBER", "uber"):  # every letter's case, on both databases
        page = client.get(f"/w/acme/nodes/?q={words}").get_data(as_text=True)
        assert "1 node matches" in page and "Über den Berg" in page, words
    page = client.get("/w/acme/nodes/?horizon=2027-H1&unit=checkout&q=widget+2"
                      ).get_data(as_text=True)
    assert "30 nodes match" in page and "Theme 0" not in page


def _organisations(login):
    """Generated organisations of 100 and 3,000 nodes, `org100` and `org3000`, signed in
    as their coach."""
    for size in (100, 3000):
        doc = document(size)
        doc["workspace"]["slug"] = f"org{size}"
        interchange.load(doc)
    db.session.commit()
    login(db.session.scalar(sa.select(Person).where(Person.email == "coach@synthetic.test")))


def test_the_tree_page_does_not_grow_with_the_workspace(client, login):
    """Generated organisations of 100 and 3,000 nodes (5 and 150 teams): the tree shows
    the same few top levels, so its page stays under one bound."""
    _organisations(login)
    sizes = {}
    for size in (100, 3000):
        response = client.get(f"/w/org{size}/nodes/")
        assert response.status_code == 200 and "Objective 19" in response.get_data(as_text=True)
        sizes[size] = len(response.data)
    assert sizes[3000] < 60_000 and sizes[3000] < sizes[100] * 1.5, sizes
    # 158 units: the unit filter is a text field with suggestions, not a select of them all
    page = client.get("/w/org3000/nodes/").get_data(as_text=True)
    assert '<input autocomplete="off" data-units="/w/org3000/units/search.json"' in page
    assert page.count("<option") < 80
    by_name = client.get("/w/org3000/nodes/?unit=team+7").get_data(as_text=True)
    assert 'value="t7"' in by_name and by_name.count('class="node-row match"') == 20
    assert "t7 initiative 0" in by_name and "t8 initiative" not in by_name
    unknown = client.get("/w/org3000/nodes/?unit=Team+999").get_data(as_text=True)
    assert "No unit is called “Team 999”: nodes of every unit are shown." in unknown
    found = client.get("/w/org3000/units/search.json?q=team 1").get_json()["units"]
    assert len(found) == 20 and found[0] == {"key": "t1", "name": "Team 1", "archived": False}
    assert all("team 1" in u["name"].lower() for u in found)
    assert client.get("/w/org100/units/search.json?q=nothing").get_json() == {"units": []}


def test_the_overview_lists_the_top_of_a_large_unit_tree(client, login):
    _organisations(login)
    small = client.get("/w/org100/").get_data(as_text=True)
    assert small.count('<li class="unit-row depth-') == 1 + 3 + 5 and "All 9 units" not in small
    big = client.get("/w/org3000/").get_data(as_text=True)
    assert big.count('<li class="unit-row depth-') == 1 + 6  # of 157: the org, its departments
    assert "All 157 units</a>" in big and "25 units below" in big
    assert len(big) < 60_000, len(big)
