"""Crawling the workspace's pages as a signed-in person: every form (with each field's
current value) and every query parameter a link or a GET form uses. The fuzz and the
CSRF check take what to send from here, so a new form or parameter is covered unlisted."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

NEVER = ("/sign-out", "/exchange")  # signs the crawler out; file uploads are tested apart


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _Page(HTMLParser):
    """The forms (with each field's current value) and links of one page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.links = url, [], []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form((a.get("method") or "get").upper(),
                              urljoin(self.url, a.get("action") or self.url))
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.setdefault(a["name"], "")
            else:
                self._form.fields[a["name"]] = a.get("value") or ""
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields[a["name"]] = None
        elif tag == "option" and self._select and self._form is not None:
            if self._form.fields[self._select] is None or "selected" in a:
                self._form.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def crawl(client, start: str, most: int = 80) -> tuple[list[Form], dict[str, set[str]]]:
    """Forms and query parameters reachable from `start`, inside the workspace."""
    seen, queue, forms, params = set(), [start], [], {}
    while queue and len(seen) < most:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or not path.startswith("/w/acme") or any(n in path for n in NEVER):
            continue
        seen.add(url)
        response = client.get(url)
        if "text/html" not in response.content_type:
            continue
        page = _Page(url)
        page.feed(response.get_data(as_text=True))
        for form in page.forms:
            if not any(n in urlsplit(form.action).path for n in NEVER):
                forms.append(form)
        for link in page.links:
            parts = urlsplit(link)
            for name, _ in parse_qsl(parts.query, keep_blank_values=True):
                params.setdefault(parts.path, set()).add(name)
            queue.append(parts._replace(scheme="", netloc="", fragment="").geturl())
    for form in forms:
        if form.method == "GET":
            params.setdefault(urlsplit(form.action).path, set()).update(form.fields)
    return [f for f in forms if f.method == "POST"], params
