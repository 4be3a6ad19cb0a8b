"""Issue 14, problem 4: hostile import files are refused quickly, in bounded memory, with a
readable number of problems, on the web and the CLI; the files that crashed the importer
list problems with their JSON paths instead."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from cascade import interchange
from cascade.db import db
from cascade.interchange.validate import MAX_PROBLEMS
from cascade.models import Workspace
from tests.documents import small_document


def _upload(client, data: bytes):
    """A multipart upload encoded here: werkzeug's test encoder spools large bodies to a
    temporary file it never closes (a ResourceWarning, an error under this suite)."""
    boundary = "cascade-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"w.json\"\r\nContent-Type: application/json\r\n\r\n").encode() \
        + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/w/acme/exchange", input_stream=io.BytesIO(body),
                       content_length=len(body),
                       content_type=f"multipart/form-data; boundary={boundary}")


def _head(slug="hostile") -> str:
    return '{"format": "cascade/v1", "workspace": {"slug": "' + slug + '", "name": "H"}, '


HOSTILE = {
    "a million empty nodes": (_head() + '"nodes": [' + ", ".join(["{}"] * 1_000_000)
                              + "]}").encode(),
    "a million integers": (_head() + '"nodes": [' + ",".join(map(str, range(1_000_000)))
                           + "]}").encode(),
    "5,000 levels of nesting": (_head() + '"units": ' + "[" * 5000 + "]" * 5000
                                + "}").encode(),
    "300,000 objects of problems": (_head() + '"units": [' + ", ".join(
        [f'{{"key": "{n}"}}' for n in range(300_000)]) + "]}").encode(),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_upload_is_refused_quickly_with_a_short_list(client, login, org, name):
    login(org.people["admin"])
    started = time.process_time()  # CPU, not wall time: a busy machine must not fail this
    response = _upload(client, HOSTILE[name])
    spent = time.process_time() - started
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert spent < 3, f"{name}: {spent:.1f} s of CPU (it was 36 s before the limits)"
    assert len(page) < 100_000, f"{name}: a page of {len(page):,} characters"
    assert page.count("<li") <= MAX_PROBLEMS + 20
    assert db.session.scalar(sa.select(Workspace).where(Workspace.slug == "hostile")) is None


def test_problems_stop_at_a_readable_number(app):
    doc = small_document("many")
    doc["units"] += [{"key": f"u{n}"} for n in range(5000)]  # each lacks a name
    found = interchange.problems(doc)
    assert len(found) == MAX_PROBLEMS + 1
    assert found[-1][0] == "$" and "more problems follow" in found[-1][1]


# A small interpreter that runs the command and writes its peak memory and CPU seconds to a
# file. Measured from the suite itself, a child's peak would include the suite's own: the
# kernel counts the memory a child had between fork (or vfork) and exec, and that is a copy
# of the parent's. CPU rather than wall time, which a busy machine inflates several times.
MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "open(sys.argv[1], 'w').write(f'{u.ru_maxrss} {u.ru_utime + u.ru_stime}'); "
           "sys.exit(code)")


def _cli_import(database_url, tmp_path, data: bytes, name="file.json"):
    """The CLI in a process of its own, so its CPU time and peak memory are its own."""
    path = tmp_path / name
    path.write_bytes(data)
    peak = tmp_path / "peak"
    env = dict(os.environ, CASCADE_DATABASE_URL=database_url, CASCADE_SECRET_KEY="test",
               FLASK_DEBUG="1")
    result = subprocess.run([sys.executable, "-c", MEASURE, str(peak), sys.executable, "-m",
                             "flask", "--app", "cascade", "import", str(path)],
                            capture_output=True, text=True, env=env, timeout=120)
    peak_kib, cpu = peak.read_text().split()
    return result, float(cpu), int(peak_kib)


@pytest.mark.committed  # the import runs in another process
@pytest.mark.parametrize("name", ["a million empty nodes", "5,000 levels of nesting"])
def test_the_cli_has_the_same_limits(app, database_url, tmp_path, name):
    result, cpu, peak_kib = _cli_import(database_url, tmp_path, HOSTILE[name])
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "the file was not imported" in result.stderr
    assert len(result.stderr.splitlines()) <= MAX_PROBLEMS + 5
    assert cpu < 10, f"{cpu:.1f} s of CPU"  # a fresh interpreter and app included
    assert peak_kib < 400 * 1024, f"peak {peak_kib // 1024} MB"


def test_the_cli_refuses_a_file_over_the_size_limit(app, runner, tmp_path):
    app.config["IMPORT_MAX_BYTES"] = 1000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(small_document("big") | {"padding": "x" * 2000}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "larger than" in result.output


@pytest.mark.parametrize("data, words", [
    (b'{"format": "cascade/v1", "name": "caf\xe9"}', "not valid UTF-8 text"),
    (b"\xff\xfe" + '{"a": "'.encode("utf-16-le") + b"\x00\xd8" + '"}'.encode("utf-16-le"),
     "not valid UTF-16 text"),
    (b"\xff\xfe{\x00\x00", "not valid UTF-16 text"),  # a byte short
    (b"\x00\x01\x02", "not valid JSON"),
])
def test_invalid_text_is_a_clear_cli_error(app, runner, tmp_path, data, words):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_utf16_file_with_a_byte_order_mark_imports(app, runner, tmp_path):
    path = tmp_path / "utf16.json"
    path.write_bytes(json.dumps(small_document("wide"), ensure_ascii=False).encode("utf-16"))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output


def _doc_with(change) -> str:
    doc = small_document("crash")
    change(doc)
    return json.dumps(doc)


CRASHERS = {
    "$.pulses[0].units[0]": _doc_with(lambda d: d["pulses"][0].update(units=[["payments"]])),
    "$.nodes[0].revision": _doc_with(lambda d: d["nodes"][0].update(revision=0)).replace(
        '"revision": 0', '"revision": ' + "7" * 5000, 1),
    "$.notes[0].created_at": _doc_with(
        lambda d: d["notes"][0].update(created_at="9999-12-31T23:59:59-14:00")),
    "$.notes[0].created_at ": _doc_with(
        lambda d: d["notes"][0].update(created_at="0001-01-01T00:00:00+14:00")),
    "$.units[1].name": _doc_with(lambda d: d["units"][1].update(name="\ud800")),
    "$.nodes[0].title": _doc_with(lambda d: d["nodes"][0].update(title="Vision \x00")),
    "$.people[0].name": _doc_with(lambda d: d["people"][0].update(name="Lea \ufffe")),
    "$.nodes[1].depends_on[0]": _doc_with(lambda d: d["nodes"][1].update(depends_on=[["x"]])),
}


@pytest.mark.parametrize("path", CRASHERS)
def test_files_that_crashed_the_importer_list_problems_with_paths(client, login, org, runner,
                                                                  tmp_path, path):
    text = CRASHERS[path]
    login(org.people["admin"])
    response = _upload(client, text.encode("utf-8", "surrogatepass"))
    assert response.status_code == 422
    assert path.strip() in response.get_data(as_text=True)
    file = tmp_path / "crash.json"
    file.write_bytes(text.encode("utf-8", "surrogatepass"))  # json.dumps escapes \ud800
    result = runner.invoke(args=["import", str(file)])
    assert result.exit_code == 1 and path.strip() in result.output, result.output
    assert db.session.scalar(sa.select(Workspace).where(Workspace.slug == "crash")) is None
