"""One definition of keys and slugs: what the importer accepts is what the web forms and
the CLI accept, and every key Cascade makes for itself passes both."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cascade import interchange, keys

texts = st.text(st.characters(codec="utf-8"), max_size=90) | st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,85}\n?", fullmatch=True) | st.sampled_from(
    ["new", "panorama", "search.json", "a-", "-a", "a b", "é", "x" * 80, "x" * 81, "pay-1\n"])


def _doc(node_key: str, slug: str = "acme") -> dict:
    return {"format": "cascade/v1", "workspace": {"slug": slug, "name": "Acme"},
            "units": [{"key": "acme", "name": "Acme", "parent": None}],
            "nodes": [{"key": node_key, "title": "T", "unit": "acme"}]}


@given(texts)
def test_the_importer_accepts_exactly_the_keys_the_key_rule_accepts(key):
    refused = any(path == "$.nodes[0].key" for path, _ in interchange.problems(_doc(key)))
    assert refused == (keys.key_problem(key) is not None)


@given(texts)
def test_the_importer_accepts_exactly_the_slugs_the_slug_rule_accepts(slug):
    refused = any(path == "$.workspace.slug" for path, _ in
                  interchange.problems(_doc("k", slug)))
    assert refused == (keys.slug_problem(slug) is not None)


@given(st.text(max_size=200), st.sets(st.text(max_size=90), max_size=5))
def test_made_keys_are_valid_free_and_short_enough(title, taken):
    made = keys.free_key(keys.slugify(title) or "node", taken)
    assert keys.key_problem(made) is None and made not in taken
    slug = keys.slugify(title)
    assert not slug or keys.slug_problem(slug) is None
