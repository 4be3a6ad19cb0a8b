"""Markdown in, safe HTML out; previews as plain words."""

from hypothesis import given
from hypothesis import strategies as st

from cascade.text.markdown import excerpt, render


def test_render_keeps_formatting_and_drops_script_and_unsafe_links():
    html = str(render("**bold** [ok](https://x.test) [bad](javascript:alert(1)) "
                      "<script>x</script>"))
    assert "<strong>bold</strong>" in html and 'href="https://x.test"' in html
    assert 'href="javascript' not in html and "<script" not in html


def test_excerpt_drops_markup_and_cuts_at_a_word():
    text = "We read this as *speed of the whole journey*, not only delivery."
    assert excerpt(text, 40) == "We read this as speed of the whole…"
    assert excerpt("short") == "short"


@given(st.text(), st.integers(min_value=5, max_value=200))
def test_excerpt_is_never_much_longer_than_asked(text, length):
    assert len(excerpt(text, length)) <= length + 1
