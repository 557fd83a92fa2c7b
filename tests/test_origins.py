"""The origin rules: `url_problem` decides; `outside_pattern` picks which requests the browser routes
to Python for that decision. A URL the pattern lets through unrouted must be one `url_problem` allows,
whatever the URL looks like (property test), or a navigation off the site could go unjudged."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.profiles.origins import outside_pattern, url_problem

ORIGINS = ["http://127.0.0.1:*", "https://m.example.com", "https://api.example.com:8443"]
PATTERN = outside_pattern(ORIGINS)

hosts = st.sampled_from(["127.0.0.1", "localhost", "m.example.com", "M.Example.COM", "api.example.com",
                         "m.example.com.evil.net", "evil.net", "example.com", "127.0.0.1.nip.io", "[::1]"])
schemes = st.sampled_from(["http", "https", "HTTPS", "data", "javascript", "file", "ftp", "blob"])
ports = st.sampled_from(["", ":80", ":443", ":444", ":8443", ":8000", ":0"])
users = st.sampled_from(["", "user@", "user:pw@", "127.0.0.1@", "m.example.com@"])
tails = st.sampled_from(["", "/", "/login", "?q=1", "#x", "/a/b?c#d", "@evil.net/", ".evil.net/", ":@x/"])


@settings(max_examples=400, deadline=None)
@given(schemes, users, hosts, ports, tails)
def test_every_url_with_a_problem_is_routed(scheme, user, host, port, tail):
    url = f"{scheme}://{user}{host}{port}{tail}"
    if url_problem(url, ORIGINS) is not None:
        assert PATTERN.search(url), url


def test_the_sites_own_requests_go_unrouted():
    for url in ("http://127.0.0.1:8000/login", "http://127.0.0.1/", "https://m.example.com/a?b#c",
                "https://m.example.com:443/x", "https://api.example.com:8443/v1", "https://M.EXAMPLE.COM"):
        assert url_problem(url, ORIGINS) is None
        assert not PATTERN.search(url), url


def test_look_alikes_are_routed():
    for url in ("http://127.0.0.1.evil.com/", "http://user@127.0.0.1:80/", "https://m.example.com:444/",
                "https://m.example.com.evil/", "https://api.example.com/x", "http://m.example.com/",
                "data:text/html,hi", "javascript:alert(1)"):
        assert PATTERN.search(url), url


def test_no_declared_origin_routes_everything():
    assert outside_pattern([]).search("http://127.0.0.1:8000/")
