"""In a workspace of more than 60 units the findings page's unit filter is a typed field
that suggests units from the units' search as one types (static/js/picker.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cascade.db import db
from tests.browser.test_strategy import sign_in
from tests.factories import make_node, make_unit

pytestmark = pytest.mark.browser


def test_a_large_workspace_filters_findings_by_a_unit_typed_with_suggestions(page, org):
    for i in range(70):
        unit = make_unit(org.workspace, f"squad-{i:02}", f"Squad {i:02}", parent=org.units["shop"])
        make_node(org.workspace, unit, f"aim-{i:02}", title=f"Squad aim {i:02}")
    db.session.commit()
    sign_in(page, org.people["coach"].email)
    page.goto("/w/acme/findings")
    field = page.get_by_label("Unit")
    expect(field).to_have_attribute("type", "search")
    field.fill("squad 4")
    options = page.locator("#unit-choices option")
    expect(options).to_have_count(10)  # Squad 40 to 49, from the units' search
    expect(options.first).to_have_attribute("value", "squad-40")
    field.fill("squad-47")
    field.press("Enter")
    page.wait_for_url("**unit=squad-47**")
    expect(page.get_by_label("Unit")).to_have_value("squad-47")
    expect(page.get_by_text("Squad aim 47").first).to_be_visible()
    expect(page.get_by_text("Squad aim 46")).to_have_count(0)
