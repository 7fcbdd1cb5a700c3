"""The inspector over HTTP: list filters and paging, escaped documents, refused paths, headers."""

import html
import http.client
import json
import os
import re
from urllib.parse import urlsplit
from urllib.request import urlopen



def get(base, path, headers=None):
    """Raw GET (the path is sent exactly as given, without client-side normalisation)."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.putrequest("GET", path, skip_host=headers is not None and "Host" in headers)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), body.decode("utf-8", "replace")


def doc_rows(page):
    return re.findall(r'<tr class="doc-row" data-href="([^"]+)" data-id="([^"]*)"', page)


def test_list_and_filters(server, builder):
    base, app = server
    code, headers, page = get(base, "/")
    assert code == 200 and "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert len(doc_rows(page)) == 11  # 10 records and the unreadable line
    _, _, page = get(base, "/?reason=duplicate")
    assert [html.unescape(i) for _, i in doc_rows(page)] == [builder.DUP_ID]
    _, _, page = get(base, "/?status=rejected")
    assert len(doc_rows(page)) == 3
    _, _, page = get(base, "/?q=iskander&text=1")
    assert {html.unescape(i) for _, i in doc_rows(page)} == {builder.EXAMPLE_ID, builder.DUP_ID}
    # ticking "in full text" searches the text as well as the id, URL and title (it lost the id matches)
    _, _, page = get(base, f"/?q={builder.EXAMPLE_ID}&text=1")
    assert html.unescape(doc_rows(page)[0][1]) == builder.EXAMPLE_ID
    _, _, page = get(base, "/?language=fr&host=aoc.media")
    assert len(doc_rows(page)) == 1
    _, _, page = get(base, "/?page=7")
    assert "No document matches." in page


def test_paging(tmp_path, builder, monkeypatch):
    import threading

    from sito.inspect import server as srvmod

    monkeypatch.setattr(srvmod, "PAGE_SIZE", 4)
    srv, app = srvmod.make_server(builder.build_out(tmp_path / "out"), "127.0.0.1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_address[1]
    try:
        seen = []
        for p in range(3):
            _, _, page = get(base, f"/?page={p}")
            seen += [i for _, i in doc_rows(page)]
            assert ('id="next-page"' in page) == (p < 2)
        assert len(seen) == 10 == len(set(seen))
        # document view: next/previous walk the same list
        _, _, page = get(base, "/doc/4?pos=4")
        assert 'href="/doc/5?pos=5"' in page and 'href="/doc/3?pos=3"' in page and 'href="/?page=1"' in page
    finally:
        srv.shutdown()
        srv.server_close()


def test_document_view_lines_and_fields(server, builder):
    base, app = server
    row = int(app.index.select(q=builder.EXAMPLE_ID)[0])
    code, _, page = get(base, f"/doc/{row}")
    assert code == 200
    removed = re.findall(r'<li class="line role-recommendations removed" data-role="recommendations" '
                         r'data-index="\d+" title="([^"]*)">', page)
    assert len(removed) == 25
    assert set(map(html.unescape, removed)) == {"recommendation block after the cue 'Wybrane dla Ciebie'"}
    # blank separator lines are not counted as removed (as in the report and stats.json)
    rec = app.record(row)
    n_removed = sum(1 for ln in rec["lines"] if not ln["keep"] and ln["text"].strip())
    assert f'{len(rec["lines"]):,} lines, {n_removed:,} removed' in page
    assert app.index.row(row)["removed"] == n_removed
    assert '<span class="speaker">— dowódca białoruskiej jednostki</span>' in page
    for field in ("lead", "quotes", "headings", "captions", "credits", "related"):
        assert f'<section class="field {field}">' in page


def test_script_in_a_document_is_text(server, builder):
    base, app = server
    row = int(app.index.select(q=builder.SCRIPT_ID)[0])
    _, _, page = get(base, f"/doc/{row}")
    assert page.count("<script") == 1  # only the inspector's own /static/inspect.js
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "<img" not in page
    assert 'title="share &lt;buttons&gt;"' in page
    assert "<b>me</b>" not in page and "&lt;b&gt;me&lt;/b&gt;" in page
    # its URL is shown, not linked to anything but http(s)
    _, _, listing = get(base, "/?q=script")
    assert "<script>" not in listing


def test_only_output_folder_files_are_served(server, out_dir, tmp_path):
    base, _ = server
    code, _, body = get(base, "/files/stats.json")
    assert code == 200 and json.loads(body)["read"] == 10
    code, headers, body = get(base, "/files/report.html")
    assert code == 200 and headers["Content-Type"].startswith("text/html") and "sito report" in body
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    rel_secret = os.path.relpath(secret, out_dir)
    (out_dir / "link-out").symlink_to(secret)
    for path in ["/files/../stats.json", "/files/%2e%2e/%2e%2e/etc/passwd", "/files/kept/../../etc/passwd",
                 f"/files/{rel_secret}", "/files/..%2f..%2fetc%2fpasswd", "/files//etc/passwd",
                 "/files/link-out", "/static/../server.py", "/static/%2e%2e/__init__.py", "/../../etc/passwd",
                 "/files/kept%5c..%5c..%5cetc%5cpasswd"]:
        code, _, body = get(base, path)
        assert code in (403, 404), path
        assert "TOP-SECRET" not in body and "root:" not in body and "make_handler" not in body
    assert get(base, "/files/../stats.json")[0] == 403
    assert get(base, "/static/inspect.js")[0] == 200


def test_api_record_and_bad_requests(server):
    base, app = server
    with urlopen(base + "/api/record/0") as r:
        rec = json.loads(r.read())
    assert rec["id"] == app.index.row(0)["id"]
    assert get(base, "/doc/999999")[0] == 404
    assert get(base, "/doc/-1")[0] == 404
    assert get(base, "/doc/abc")[0] == 404
    assert get(base, "/doc/%C2%B2")[0] == 404   # ("²" is a digit to str.isdigit: it gave HTTP 500)
    assert get(base, "/doc/" + "1" * 5000)[0] == 404
    assert get(base, "/?page=abc")[0] == 200
    # the unreadable line is listed and its view says so
    bad = int(app.index.select(reason="unreadable")[0])
    code, _, page = get(base, f"/doc/{bad}")
    assert code == 200 and 'id="unreadable"' in page


def test_foreign_host_header_refused(server):
    base, _ = server
    port = urlsplit(base).port
    assert get(base, "/", {"Host": f"attacker.example:{port}"})[0] == 403
    assert get(base, "/", {"Host": f"localhost:{port}"})[0] == 200


def test_serves_on_ipv6_loopback(tmp_path, builder):
    """`--host ::1` failed with "Address family for hostname not supported" (the server was IPv4 only)."""
    import socket
    import threading

    import pytest

    from sito.inspect.server import make_server

    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    srv, _ = make_server(builder.build_out(tmp_path / "out"), "::1", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        conn = http.client.HTTPConnection("::1", srv.server_address[1], timeout=30)
        conn.request("GET", "/")
        r = conn.getresponse()
        assert r.status == 200 and b"doc-row" in r.read()
    finally:
        srv.shutdown()
        srv.server_close()
