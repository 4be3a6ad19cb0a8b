"""A Cascade app served over real HTTP in threads, and a plain HTTP client for it: what the
concurrency and durability tests send their racing requests to."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from cascade import create_app
from cascade.db import db


@dataclass
class Answer:
    status: int
    location: str
    body: str


class Browser:
    """One person's HTTP connection with their session cookie; no redirects followed."""

    def __init__(self, port: int, cookie: str | None = None) -> None:
        self.port, self.cookie = port, cookie

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.getheader("Location") or "",
                          response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)


class _ClosingHandler(WSGIRequestHandler):
    """Closes the response when the client drops the connection mid-way (a browser navigating
    away while a script still loads): werkzeug then skips `close()`, and the open static file
    surfaced later as a ResourceWarning in whichever test ran next."""

    def connection_dropped(self, error, environ=None):
        response = (environ or {}).get("tests.response")
        if hasattr(response, "close"):
            response.close()


def serve_http(app) -> BaseWSGIServer:
    """A threaded werkzeug server for `app` on a free loopback port (not yet serving)."""
    def remembering(environ, start_response):
        environ["tests.response"] = response = app(environ, start_response)
        return response
    return make_server("127.0.0.1", 0, remembering, threaded=True,
                       request_handler=_ClosingHandler)


class Server:
    def __init__(self, app) -> None:
        self.app = app
        self.http = serve_http(app)
        self.port = self.http.server_port
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def browser(self, person=None) -> Browser:
        """A browser signed in as `person` (a session cookie signed as the app signs it)."""
        if person is None:
            return Browser(self.port)
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        cookie = serializer.dumps({"_user_id": person.get_id(), "_fresh": True})
        return Browser(self.port, cookie)

    def stop(self) -> None:
        self.http.shutdown()
        self.thread.join(5)


@pytest.fixture
def served(app) -> Callable[..., Server]:
    """`served(**config)`: an app of its own on the test database, served in threads."""
    started: list[Server] = []

    def serve(**config) -> Server:
        other = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                            "RATELIMIT_ENABLED": False,
                            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            **config})
        started.append(Server(other))
        return started[-1]
    yield serve
    for server in started:
        server.stop()
        with server.app.app_context():
            db.session.remove()
            db.engine.dispose()


def race(*calls: Callable[[], Answer]) -> list[Answer]:
    """Run the calls at the same moment, each in its own thread; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer | BaseException | None] = [None] * len(calls)

    def run(index: int, call) -> None:
        barrier.wait()
        try:
            answers[index] = call()
        except BaseException as error:  # noqa: BLE001 - reported below
            answers[index] = error
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for answer in answers:
        if not isinstance(answer, Answer):
            raise AssertionError(f"a racing request failed: {answer!r}")
    return answers
