"""Reading open data over HTTP, politely: one request at a time, spaced (a rate limit), gzip
accepted (fewer bytes for the publisher to send), a User-Agent that names assetmap (ASSETMAP_USER_AGENT names your organisation), a timeout on
every request, and retries with back-off after a dropped connection, a timeout, a body cut
short, 429 or 5xx (Retry-After is honoured). Used by `import URL` (Open Referral UK) and
`sources pull`. Nothing here is called unless the user asked to go online.

Every failure is a FeedError (one line, exit 1) raised before anything is written: callers
read everything first and write in one transaction afterwards.
"""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from assetmap import __version__
from assetmap.errors import FeedError, counted

USER_AGENT = f"assetmap/{__version__} (community asset directory; open data pulled on request)"
# A Retry-After longer than this is not waited out: the run fails and says when to try again.
MAX_WAIT_S = 60.0


def user_agent() -> str:
    return os.environ.get("ASSETMAP_USER_AGENT") or USER_AGENT


class Client:
    """GET (or POST a form) with a rate limit, a timeout and retries. `base` is for get(path):
    the Open Referral API's paths are relative to it; fetch() and json() take whole URLs."""

    def __init__(self, base: str = "", *, timeout: float = 20.0, retries: int = 3,
                 min_interval: float = 0.2, backoff: float = 1.0, progress=None,
                 max_wait: float = MAX_WAIT_S):  # fmt: skip
        self.base = base.rstrip("/")
        self.timeout, self.retries = timeout, retries
        self.min_interval, self.backoff, self.max_wait = min_interval, backoff, max_wait
        self.progress = progress
        self.requests = 0
        self._last = 0.0

    def get(self, path: str, **params) -> dict:
        url = f"{self.base}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return self.json(url)

    def json(self, url: str, *, data: dict | None = None):
        body = self.fetch(url, data=data, accept="application/json")
        try:
            return json.loads(body)
        except ValueError:
            raise FeedError(f"{safe_url(url)} did not answer with JSON; nothing was written") from None  # fmt: skip

    def fetch(self, url: str, *, data: dict | None = None, accept: str = "*/*") -> bytes:
        """The body of one answer, read whole. `data` is sent as a form (POST)."""
        problem = ""
        payload = urllib.parse.urlencode(data).encode() if data is not None else None
        for attempt in range(self.retries + 1):
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            self.requests += 1
            headers = {"User-Agent": user_agent(), "Accept": accept, "Accept-Encoding": "gzip"}
            request = urllib.request.Request(url, data=payload, headers=headers)
            delay = self.backoff * 2**attempt
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                    if (response.headers.get("Content-Encoding") or "").strip().lower() != "gzip":
                        return body
                return gzip.decompress(body)
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    refused = FeedError(f"{safe_url(url)} answered {exc.code} {exc.reason}; nothing was written")  # fmt: skip
                    refused.status = exc.code
                    raise refused from None
                problem = f"{exc.code} {exc.reason}"
                asked = _retry_after(exc.headers.get("Retry-After", "") if exc.headers else "")
                if asked is not None:
                    if asked > self.max_wait:
                        raise FeedError(
                            f"{safe_url(url)} answered {problem} and asks to wait {asked:.0f} s; "
                            "nothing was written (try again later)"
                        ) from None
                    delay = asked
            except (http.client.IncompleteRead, EOFError, gzip.BadGzipFile, zlib.error):
                problem = "the answer was cut short"
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:  # fmt: skip
                reason = getattr(exc, "reason", exc)
                problem = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else str(reason) or type(exc).__name__  # fmt: skip
            if attempt < self.retries:
                time.sleep(min(delay, self.max_wait))
        raise FeedError(
            f"could not read {safe_url(url)} ({problem}) after "
            f"{counted(self.retries + 1, 'try', 'tries')}; nothing was written"
        )


def _retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# A query parameter whose name has one of these is a credential: never shown nor recorded.
_SECRET = ("key", "token", "secret", "pass", "sig", "auth")


def safe_url(url: str) -> str:
    """A URL as messages show it and the catalogue records it: never a user or password, nor a
    query parameter that looks like a key or token (a pull that needed one is given it again
    by hand)."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
             if not any(s in k.lower() for s in _SECRET)]  # fmt: skip
    return urllib.parse.urlunsplit(parts._replace(
        netloc=parts.netloc.rpartition("@")[2], query=urllib.parse.urlencode(query)))  # fmt: skip
