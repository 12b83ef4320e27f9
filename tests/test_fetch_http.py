"""The fetcher against a local server on 127.0.0.1: limits, redirects, encodings, robots.txt, addresses.

Every misbehaving answer must end with a clear outcome (a FetchError naming the reason), within the
time-outs set here, and no test reaches any address but 127.0.0.1 (the guard refuses the others before a
connection is attempted; those tests resolve names with a fake resolver).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from fetch_fixtures import PARAGRAPHS, page
from local_http import LocalServer, Reply, drip, endless, gzip_bomb, redirect, slow_headers
from newsweave.fetch import Fetcher, FetchError, FetchOptions, FetchRefused, HostPacer, check_url
from newsweave.fetch.guard import address_kind

LOOPBACK_ONLY = ("127.0.0.1/32",)


def options(**kw: object) -> FetchOptions:
    base: dict[str, object] = {
        "allowed_networks": LOOPBACK_ONLY,
        "host_interval": 0.0,
        "connect_timeout": 2.0,
        "read_timeout": 1.0,
        "total_timeout": 3.0,
        "max_bytes": 1_000_000,
    }
    base.update(kw)
    return FetchOptions(**base)  # type: ignore[arg-type]


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    yield s
    s.close()


def fetch(server: LocalServer, path: str, **kw: object) -> object:
    with Fetcher(options(**kw)) as f:
        return f.fetch(server.url(path))


def test_a_page_is_fetched_with_its_validators_and_a_descriptive_user_agent(server: LocalServer) -> None:
    body = page("Crane collapse", PARAGRAPHS["harbour"])
    server.routes["/a"] = Reply(body, etag='"v1"', last_modified="Tue, 03 Mar 2026 08:00:00 GMT")
    seen: list[str] = []

    def capture(h: object) -> None:
        seen.append(h.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        h._send(Reply(b"", "text/plain", 404))  # type: ignore[attr-defined]

    server.routes["/robots.txt"] = capture
    with Fetcher(options()) as f:
        got = f.fetch(server.url("/a"))
        again = f.fetch(server.url("/a"), etag='"v1"')
    assert got.status == 200 and got.body == body and got.content_type == "text/html"
    assert got.etag == '"v1"' and got.last_modified == "Tue, 03 Mar 2026 08:00:00 GMT"
    assert again.not_modified and again.body == b""
    assert seen and seen[0].startswith("newsweave/") and "robots.txt" in seen[0]
    assert server.count("/robots.txt") == 1  # cached for the origin


def test_slow_headers_time_out(server: LocalServer) -> None:
    server.routes["/slow"] = slow_headers(4.0)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as e:
        fetch(server, "/slow", read_timeout=0.5)
    assert e.value.transient and time.monotonic() - t0 < 3.0


def test_a_dripping_response_is_abandoned_at_the_total_time_limit(server: LocalServer) -> None:
    server.routes["/drip"] = drip(0.1)
    t0 = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1.5 s"):
        fetch(server, "/drip", total_timeout=1.5)
    assert time.monotonic() - t0 < 4.0


def test_an_endless_body_stops_at_the_size_limit(server: LocalServer) -> None:
    server.routes["/endless"] = endless()
    with pytest.raises(FetchError, match="over the size limit of 1000000 bytes") as e:
        fetch(server, "/endless", total_timeout=10.0)
    assert not e.value.transient


def test_a_huge_declared_body_is_refused_before_reading(server: LocalServer) -> None:
    server.routes["/huge"] = Reply(b"<p>" + b"x" * 2_000_000 + b"</p>")
    with pytest.raises(FetchError, match="body of 2000007 bytes is over the size limit"):
        fetch(server, "/huge")


def test_a_gzip_bomb_stops_at_the_size_limit(server: LocalServer) -> None:
    server.routes["/bomb"] = gzip_bomb(50_000_000)
    assert len(server.routes["/bomb"].body) < 100_000  # type: ignore[union-attr]
    with pytest.raises(FetchError, match="decompression bomb"):
        fetch(server, "/bomb")


def test_gzip_within_the_limit_is_decoded(server: LocalServer) -> None:
    import gzip

    body = page("Bridge", PARAGRAPHS["bridge"])
    server.routes["/gz"] = Reply(gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert fetch(server, "/gz").body == body  # type: ignore[attr-defined]


def test_corrupt_and_unknown_encodings_are_refused(server: LocalServer) -> None:
    server.routes["/corrupt"] = Reply(
        b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"}
    )
    server.routes["/br"] = Reply(b"abc", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="corrupt compressed body"):
        fetch(server, "/corrupt")
    with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
        fetch(server, "/br")


def test_redirects_are_followed_and_bounded(server: LocalServer) -> None:
    server.routes["/start"] = redirect("/middle")
    server.routes["/middle"] = redirect(server.url("/end"), 301)
    server.routes["/end"] = Reply(page("Orchard", PARAGRAPHS["orchard"]))
    got = fetch(server, "/start")
    assert got.final_url == server.url("/end") and got.redirects == (
        server.url("/middle"),
        server.url("/end"),
    )  # type: ignore[attr-defined]
    for i in range(8):
        server.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(server, "/r0", max_redirects=3)


def test_a_redirect_loop_is_named(server: LocalServer) -> None:
    server.routes["/x"] = redirect("/y")
    server.routes["/y"] = redirect("/x")
    with pytest.raises(FetchError, match="redirect loop: .*/x -> .*/y -> .*/x"):
        fetch(server, "/x")
    assert server.count("/x") == 1 and server.count("/y") == 1


def test_a_redirect_to_a_private_address_is_refused_before_connecting(server: LocalServer) -> None:
    # 127.0.0.2 is loopback but outside the one network allowed here: refused like any private address
    server.routes["/to-private"] = redirect(f"http://127.0.0.2:{server.port}/secret")
    server.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.2 is a loopback address; refused"):
        fetch(server, "/to-private")
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254 is a link-local address"):
        fetch(server, "/to-metadata")
    assert "/secret" not in server.hits


def test_a_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    server.routes["/to-file"] = redirect("file:///etc/passwd")
    with pytest.raises(FetchRefused, match="redirect target has scheme file:"):
        fetch(server, "/to-file")


def test_status_and_content_type_are_checked(server: LocalServer) -> None:
    server.routes["/gone"] = Reply(b"gone", "text/plain", 410)
    server.routes["/down"] = Reply(b"oops", "text/plain", 503)
    server.routes["/img"] = Reply(b"\x89PNG....", "image/png")
    with pytest.raises(FetchError, match="HTTP 410") as gone:
        fetch(server, "/gone")
    with pytest.raises(FetchError, match="HTTP 503") as down:
        fetch(server, "/down")
    assert not gone.value.transient and down.value.transient
    with pytest.raises(FetchError, match="content type image/png is neither a web page nor a feed"):
        fetch(server, "/img")


def test_robots_txt_is_honoured(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(b"User-agent: newsweave\nDisallow: /private/\n", "text/plain")
    server.routes["/private/a"] = Reply(page("Harbour", PARAGRAPHS["harbour"]))
    server.routes["/public/a"] = Reply(page("Harbour", PARAGRAPHS["harbour"]))
    with pytest.raises(FetchRefused, match="robots.txt disallows"):
        fetch(server, "/private/a")
    assert "/private/a" not in server.hits
    assert fetch(server, "/public/a").status == 200  # type: ignore[attr-defined]
    assert fetch(server, "/private/a", robots=False).status == 200  # type: ignore[attr-defined]


def test_an_unreachable_robots_txt_closes_the_site(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(b"down", "text/plain", 500)
    server.routes["/a"] = Reply(page("Harbour", PARAGRAPHS["harbour"]))
    with pytest.raises(FetchRefused, match=r"robots.txt cannot be read \(HTTP 500"):
        fetch(server, "/a")
    assert "/a" not in server.hits


def test_loopback_is_refused_without_permission(server: LocalServer) -> None:
    server.routes["/a"] = Reply(page("Harbour", PARAGRAPHS["harbour"]))
    with pytest.raises(FetchRefused, match="127.0.0.1 is a loopback address; refused"):
        with Fetcher(FetchOptions(host_interval=0.0)) as f:
            f.fetch(server.url("/a"))
    assert server.hits == []
    with Fetcher(FetchOptions(allow_private=True, host_interval=0.0)) as f:
        assert f.fetch(server.url("/a")).status == 200


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.5", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
        ("100.64.0.1", "reserved"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    import ipaddress

    assert address_kind(ipaddress.ip_address(address)) == kind


def test_names_are_checked_after_resolution_without_any_connection() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return {"news.example": ["93.184.216.34", "10.0.0.5"], "ok.example": ["93.184.216.34"]}[host]

    with pytest.raises(FetchRefused, match=r"news.example \(10.0.0.5\) is a private address"):
        check_url("https://news.example/world", FetchOptions(), resolver)
    target = check_url("https://ok.example:8443/a", FetchOptions(), resolver)
    assert (target.host, target.port, target.address) == ("ok.example", 8443, "93.184.216.34")
    assert (
        check_url("https://news.example/", FetchOptions(allow_private=True), resolver).host == "news.example"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed.xml", "scheme ftp: only http and https"),
        ("file:///etc/passwd", "scheme file: only http and https"),
        ("javascript:alert(1)", "scheme javascript: only http and https"),
        ("http:///nohost", "no host"),
        ("http://user:secret@example.org/", "user name or password"),
    ],
)
def test_bad_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(FetchRefused) as e:
        check_url(url, FetchOptions(), lambda h, p: ["93.184.216.34"])
    assert reason.replace(" only", "; only") in e.value.reason or reason in e.value.reason


def test_the_pacer_keeps_requests_to_one_host_apart() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    pacer = HostPacer(1.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait("a.example")
    pacer.wait("b.example")  # another host: no wait
    pacer.wait("a.example")
    now[0] += 5.0
    pacer.wait("a.example", interval=3.0)  # long after: no wait; a robots.txt crawl delay of 3 s ...
    pacer.wait("a.example")  # ... keeps the next request 3 s away, not 1
    assert slept == [1.0, 3.0]
    pacer.wait("slow.example", interval=120.0)
    with pytest.raises(
        FetchError, match=r"slow.example may be asked again in 120 s \(robots.txt crawl delay\)"
    ) as e:
        pacer.wait("slow.example")  # not slept: left to a later poll
    assert e.value.transient and slept == [1.0, 3.0]


def test_https_connects_to_the_checked_address_and_verifies_the_name() -> None:
    import ssl
    from pathlib import Path

    tls_dir = Path(__file__).parent / "data" / "tls"
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(tls_dir / "news-test.pem", tls_dir / "news-test.key")
    server = LocalServer(tls=server_ctx)
    try:
        server.routes["/a"] = Reply(page("Harbour", PARAGRAPHS["harbour"]))
        client_ctx = ssl.create_default_context(cafile=str(tls_dir / "news-test.pem"))

        names = {"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}
        with Fetcher(options(), resolver=lambda h, p: names[h], verify=client_ctx) as f:
            # the name is only in the certificate and the Host header: no DNS involved
            got = f.fetch(f"https://news.test:{server.port}/a")
            assert got.status == 200 and b"Port Velmar" in got.body
            # the certificate does not name other.test: refused, although the address is the same
            with pytest.raises(FetchError, match="cannot connect"):
                f.fetch(f"https://other.test:{server.port}/a")
    finally:
        server.close()
