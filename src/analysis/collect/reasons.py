"""The fixed set of reasons a URL (or a feed/sitemap) is not collected, and which are retried.

A *retryable* reason is tried again on the next run, up to ``max_attempts`` runs in all; a
*permanent* one never is. ``http_error`` is retryable only for statuses that say "try later"
(408, 429 and 5xx).
"""

from __future__ import annotations

ROBOTS_DISALLOWED = "robots_disallowed"
ROBOTS_UNAVAILABLE = "robots_unavailable"
HTTP_ERROR = "http_error"
TIMEOUT = "timeout"
CONNECTION_ERROR = "connection_error"
TOO_LARGE = "too_large"
NOT_HTML = "not_html"
UNDECODABLE = "undecodable"
EXTRACTION_EMPTY = "extraction_empty"
BAD_SCHEME = "bad_scheme"
INVALID_URL = "invalid_url"
TOO_MANY_REDIRECTS = "too_many_redirects"
DUPLICATE_CANONICAL = "duplicate_canonical"
UNPARSEABLE = "unparseable"
SITEMAP_LIMIT = "sitemap_limit"

#: Every reason with the one line the README and the summary show for it.
REASONS: dict[str, str] = {
    ROBOTS_DISALLOWED: "robots.txt of the host disallows the URL for our user agent",
    ROBOTS_UNAVAILABLE: "robots.txt answered 5xx or could not be fetched: the host is off limits for this run",
    HTTP_ERROR: "the server answered an HTTP error status (kept in http_status) after retries",
    TIMEOUT: "no complete answer within the timeout",
    CONNECTION_ERROR: "connection refused/reset, DNS failure or a malformed HTTP answer, after retries",
    TOO_LARGE: "the page is larger than max_page_mb (announced or while streaming)",
    NOT_HTML: "the content type is not text/html or application/xhtml+xml",
    UNDECODABLE: "the page's bytes are not text in any encoding we can tell",
    EXTRACTION_EMPTY: "trafilatura found no article text on the page",
    BAD_SCHEME: "the URL (or a redirect) is not http or https",
    INVALID_URL: "the URL cannot be parsed or has no host",
    TOO_MANY_REDIRECTS: "more than max_redirects redirects",
    DUPLICATE_CANONICAL: "the page's canonical URL is already collected under another URL",
    UNPARSEABLE: "a feed or sitemap that is neither RSS/Atom nor sitemap XML (discovery only)",
    SITEMAP_LIMIT: "sitemap index recursion stopped at sitemap_depth or sitemap_max_documents (discovery only)",
}

_RETRY_STATUSES = frozenset({408, 429})
_RETRYABLE = frozenset({ROBOTS_UNAVAILABLE, TIMEOUT, CONNECTION_ERROR})


def retryable_status(status: int | None) -> bool:
    """Whether an HTTP status means "try again later" (408, 429, 5xx)."""
    return status is not None and (status in _RETRY_STATUSES or 500 <= status <= 599)


def is_retryable(reason: str | None, http_status: int | None = None) -> bool:
    """Whether a URL that failed for ``reason`` is tried again on the next run."""
    if reason == HTTP_ERROR:
        return retryable_status(http_status)
    return reason in _RETRYABLE
