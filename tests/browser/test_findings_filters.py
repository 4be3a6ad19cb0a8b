"""In a workspace of more than 60 units the findings page's unit filter is a typed field
that suggests units from the units' search as one types (static/js/picker.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_strategy import sign_in, type_a_unit

pytestmark = pytest.mark.browser


def test_a_large_workspace_filters_findings_by_a_unit_typed_with_suggestions(page, squads):
    sign_in(page, squads.people["coach"].email)
    page.goto("/w/acme/findings")
    type_a_unit(page, "unit-choices")
    page.wait_for_url("**unit=squad-47**")
    expect(page.get_by_label("Unit")).to_have_value("squad-47")
    expect(page.get_by_text("Squad aim 47").first).to_be_visible()
    expect(page.get_by_text("Squad aim 46")).to_have_count(0)
