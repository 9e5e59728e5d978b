"""URL identity: the canonical form used for dedup, and the host key used for politeness."""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

WEB_SCHEMES = ("http", "https")


class UrlError(ValueError):
    """A URL that cannot be collected; ``reason`` is ``bad_scheme`` or ``invalid_url``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def canonical_url(url: str) -> str:
    """The form of ``url`` used as its identity.

    Scheme and host lower-cased, default port, ``.``/``..`` segments and doubled slashes removed, query sorted,
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``...) dropped (courlan), fragment dropped.

    Raises:
        UrlError: the URL is not http(s) (``bad_scheme``) or has no host (``invalid_url``).
    """
    text = "".join(url.split())
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises on a malformed port
    except ValueError as exc:
        raise UrlError("invalid_url", f"{url!r}: {exc}") from exc
    if parts.scheme.lower() not in WEB_SCHEMES:
        raise UrlError("bad_scheme", f"{url!r}: scheme {parts.scheme or '(none)'!r} is not http(s)")
    if not parts.hostname:
        raise UrlError("invalid_url", f"{url!r}: no host")
    try:
        normal = normalize_url(text, strict=False)
    except ValueError as exc:
        raise UrlError("invalid_url", f"{url!r}: {exc}") from exc
    cleaned = urlsplit(normal)
    path = urlsplit(urljoin("http://h/", cleaned.path or "/")).path  # RFC 3986 dot-segment removal
    return urlunsplit((cleaned.scheme, cleaned.netloc, path, cleaned.query, ""))


def host_key(url: str) -> str:
    """``scheme://host:port``: the unit of robots.txt, delays and concurrency."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def url_hash(url: str) -> str:
    """SHA-1 of a URL: the record ``id`` and the name of its saved HTML."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()
