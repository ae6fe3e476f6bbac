"""A small browser for the drill: cookies, CSRF tokens, forms; only the standard library.

It talks to 127.0.0.1 only, to whichever of the app's ports it is given per request, and keeps
one cookie jar for all of them (cookies do not depend on the port), so a session made on one
gunicorn is used on the other.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"


@dataclass
class Response:
    status: int
    location: str
    body: str


class FormParser(HTMLParser):
    """Collects the forms of a page: action, method and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form":
            self._form = {
                "action": attributes.get("action", ""),
                "method": attributes.get("method", "get").lower(),
                "fields": {},
                "options": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    fields[name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "image", "file"):
                fields[name] = attributes.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
            self._form["options"][name] = []
        elif tag == "option" and self._select:
            self._form["options"][self._select].append(attributes.get("value", ""))
            if "selected" in attributes:
                fields[self._select] = attributes.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data


def page_forms(body: str) -> list[dict]:
    parser = FormParser()
    parser.feed(body)
    return parser.forms


def page_links(body: str) -> list[str]:
    parser = FormParser()
    parser.feed(body)
    return parser.links


def post_form(body: str, *, field: str) -> dict | None:
    """The first POST form of the page that has ``field`` (e.g. ``csrfmiddlewaretoken``)."""
    for form in page_forms(body):
        if form["method"] == "post" and field in form["fields"]:
            return form
    return None


class Browser:
    """One person's browser: a cookie jar, used against any of the app's ports."""

    def __init__(self, *, timeout: float) -> None:
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, port: int, path: str, data: dict | None = None
    ) -> tuple[Response | None, str, float, float]:
        """Sends one request; returns (response or None, error, started, ended) with times
        from ``time.monotonic()``. Redirects are not followed: the caller checks them."""
        headers = {"User-Agent": "portal-drill/1", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check compares the Referer's origin on HTTPS only; Origin is checked
            # always when present, so send what a browser sends.
            headers["Origin"] = f"http://{HOST}:{port}"
            headers["Referer"] = f"http://{HOST}:{port}{path}"
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    self._store_cookie(value)
            response = Response(raw.status, raw.getheader("Location", "") or "", text)
            return response, "", started, time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            return None, f"{type(error).__name__}: {error}", started, time.monotonic()
        finally:
            connection.close()

    def _store_cookie(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for key, morsel in cookie.items():
            if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel.value


def location_path(location: str) -> str:
    """The path (with query) of a Location header, absolute or relative."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")
