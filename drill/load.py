"""The drill's load: logged-in demo users reading and changing things, each in its own thread.

Every request is recorded (``drill.analysis.Request``); every mutation the portal
acknowledged (the redirect a successful save answers with) is recorded with something the
verification can look up afterwards: the city written, the address added or removed, the
address a password reset was asked for.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from drill.analysis import Request
from drill.client import Browser, Response, location_path, page_links, post_form

PASSWORD = "demo-portal-2026"  # noqa: S105 (the published password of every demo account)
CSRF = "csrfmiddlewaretoken"


class StepFailed(Exception):
    """A request of the step failed; the step is abandoned and tried afresh later."""


@dataclass
class Recorder:
    """What the load saw, shared by its threads."""

    clock_start: float
    requests: list[Request] = field(default_factory=list)
    probes: list[Request] = field(default_factory=list)
    acknowledged: dict[str, list[dict]] = field(
        default_factory=lambda: {"billing": [], "added": [], "removed": [], "reset": []}
    )
    outcomes: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.clock_start

    def record(self, request: Request, *, probe: bool = False) -> None:
        with self.lock:
            (self.probes if probe else self.requests).append(request)

    def acknowledge(self, kind: str, **details) -> None:
        with self.lock:
            self.acknowledged[kind].append({**details, "at": round(self.now(), 3)})
            self.outcomes[f"{kind} acknowledged"] += 1

    def count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1

    def note(self, text: str) -> None:
        with self.lock:
            if len(self.notes) < 50:
                self.notes.append(f"{self.now():7.2f} s  {text}")


class Actor(threading.Thread):
    """One simulated person: a browser, logged in (or not), alternating between the ports."""

    pause = 0.5  # seconds between steps: the load stays modest on a shared machine

    def __init__(
        self,
        name: str,
        *,
        ports: list[int],
        recorder: Recorder,
        stop: threading.Event,
        email: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.ports = itertools.cycle(ports)
        self.recorder = recorder
        self.stop = stop
        self.email = email
        self.browser = Browser(timeout=timeout)
        self.logged_in = email is None
        self.counter = itertools.count(1)

    # --- requests ----------------------------------------------------------------------

    def call(
        self,
        action: str,
        method: str,
        path: str,
        data: dict | None = None,
        *,
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        port = next(self.ports)
        response, error, started, ended = self.browser.request(method, port, path, data)
        status = response.status if response is not None else None
        failed = status is None or status >= 500 or status not in expect
        if status == 302 and "/login/" in response.location and not action.endswith("login"):
            failed = True  # a redirect to the login page is never what a step expects
        base = self.recorder.clock_start
        self.recorder.record(
            Request(
                actor=self.name,
                action=action,
                port=port,
                started=started - base,
                ended=ended - base,
                status=status,
                failed=failed,
                error=error,
            )
        )
        if failed:
            if response is not None and response.status == 302 and "/login/" in response.location:
                self.logged_in = False  # the session is gone: log in again
                self.recorder.note(f"{self.name}: sent to the login page by {action}")
            elif response is not None and response.status < 500:
                self.recorder.note(f"{self.name}: {action} answered {response.status}")
            raise StepFailed(action)
        return response

    def form(self, response: Response, action: str, field: str) -> dict:
        """The page's POST form that has ``field`` (pages also carry the language switcher)."""
        form = post_form(response.body, field=field)
        if form is not None and CSRF not in form["fields"]:
            form = None
        if form is None:
            self.recorder.note(f"{self.name}: no form on the page of {action}")
            raise StepFailed(action)
        return form

    # --- the loop ----------------------------------------------------------------------

    def login(self) -> None:
        page = self.call("GET login", "GET", "/accounts/login/")
        fields = self.form(page, "GET login", "login")["fields"]
        fields.update(login=self.email, password=PASSWORD)
        answer = self.call("POST login", "POST", "/accounts/login/", fields, expect=(302,))
        if "/login" in answer.location:
            raise StepFailed("POST login")
        self.logged_in = True

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                if not self.logged_in:
                    self.login()
                self.step()
            except StepFailed:
                self.stop.wait(self.pause)
            except Exception as error:  # a bug of the drill: say so, keep the load going
                self.recorder.note(f"{self.name}: {type(error).__name__}: {error}")
                self.stop.wait(self.pause)
            self.stop.wait(self.pause)

    def step(self) -> None:
        raise NotImplementedError


class Reader(Actor):
    """Reads the pages a person of the organisation looks at."""

    pages = (
        ("GET home", "/"),  # one tile only: Home sends the person on (302)
        ("GET invoices", "/invoices/"),
        ("GET billing address", "/organisation/billing-address/"),
        ("GET users", "/organisation/users/"),
    )

    def step(self) -> None:
        action, path = self.pages[next(self.counter) % len(self.pages)]
        self.call(action, "GET", path, expect=(200, 302) if path == "/" else (200,))


class BillingEditor(Actor):
    """An Admin editing the billing address: a new city each time, from the form's version."""

    path = "/organisation/billing-address/edit/"

    def __init__(self, *args, run_id: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.run_id = run_id

    def step(self) -> None:
        page = self.call("GET billing edit", "GET", self.path)
        fields = self.form(page, "GET billing edit", "version")["fields"]
        city = f"Drillstad {self.run_id} {self.name} {next(self.counter)}"
        fields["city"] = city
        answer = self.call("POST billing edit", "POST", self.path, fields, expect=(200, 302))
        if answer.status == 302 and location_path(answer.location) == (
            "/organisation/billing-address/"
        ):
            self.recorder.acknowledge("billing", city=city, by=self.email)
        elif answer.status == 200 and 'name="version"' in answer.body:
            self.recorder.count("billing refused (the other Admin saved first)")
        else:
            self.recorder.count("billing refused (other)")
            self.recorder.note(f"{self.name}: billing save answered {answer.status}")


DELETE_LINK = re.compile(r"^/organisation/users/(\d+)/delete/$")


class UserManager(Actor):
    """An Admin adding people through the *Gebruikers* wizard and removing them again."""

    def __init__(self, *args, run_id: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.run_id = run_id
        self.added: list[str] = []

    def step(self) -> None:
        if self.added and (len(self.added) > 1 or next(self.counter) % 2 == 0):
            self.remove(self.added[0])
        else:
            self.add()

    def add(self) -> None:
        number = next(self.counter)
        email = f"drill-{self.run_id}-{self.name}-{number}@example.com".lower()
        page = self.call("GET user add", "GET", "/organisation/users/add/")
        fields = self.form(page, "GET user add", "email")["fields"]
        fields["email"] = email
        answer = self.call(
            "POST user add (e-mail)", "POST", "/organisation/users/add/", fields, expect=(302,)
        )
        details = location_path(answer.location)
        if not details.startswith("/organisation/users/add/details/"):
            self.recorder.note(f"{self.name}: step 1 went to {details}")
            raise StepFailed("POST user add (e-mail)")
        page = self.call("GET user add (details)", "GET", details)
        form = self.form(page, "GET user add (details)", "first_name")
        fields = form["fields"]
        functions = [value for value in form["options"].get("job_function", []) if value]
        fields.update(
            first_name="Drill",
            last_name=f"{self.name} {number}",
            role="viewer",
            job_function=functions[number % len(functions)] if functions else "",
        )
        answer = self.call("POST user add (details)", "POST", details, fields, expect=(200, 302))
        if answer.status == 302 and location_path(answer.location) == "/organisation/users/":
            self.recorder.acknowledge("added", email=email, by=self.email)
            self.added.append(email)
        else:
            self.recorder.count("user add refused")
            self.recorder.note(f"{self.name}: adding {email} answered {answer.status}")

    def remove(self, email: str) -> None:
        page = self.call("GET users (search)", "GET", f"/organisation/users/?q={email}")
        ids = {
            match.group(1)
            for link in page_links(page.body)
            if (match := DELETE_LINK.match(link.split("?")[0]))
        }
        if len(ids) != 1:
            self.recorder.count("user remove: not found in the list")
            self.recorder.note(f"{self.name}: {email} found {len(ids)} times in the list")
            self.added.remove(email)
            return
        path = f"/organisation/users/{ids.pop()}/delete/"
        page = self.call("GET user delete", "GET", path)
        fields = self.form(page, "GET user delete", "reason")["fields"]
        reason = f"Drill {self.run_id}: {email} leaves"
        fields["reason"] = reason
        fields.pop("deactivate", None)
        answer = self.call("POST user delete", "POST", path, fields, expect=(200, 302))
        if answer.status == 302 and location_path(answer.location) == "/organisation/users/":
            self.recorder.acknowledge("removed", email=email, reason=reason, by=self.email)
            self.added.remove(email)
        else:
            self.recorder.count("user remove refused")
            self.recorder.note(f"{self.name}: removing {email} answered {answer.status}")


class PasswordResetter(Actor):
    """Someone who forgot their password, asking for a reset link (anonymous)."""

    pause = 1.5

    def __init__(self, *args, addresses: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.addresses = addresses

    def step(self) -> None:
        email = self.addresses[next(self.counter) % len(self.addresses)]
        page = self.call("GET password reset", "GET", "/accounts/password/reset/")
        fields = self.form(page, "GET password reset", "email")["fields"]
        fields["email"] = email
        answer = self.call(
            "POST password reset", "POST", "/accounts/password/reset/", fields, expect=(200, 302)
        )
        if answer.status == 302 and location_path(answer.location) == (
            "/accounts/password/reset/done/"
        ):
            self.recorder.acknowledge("reset", email=email)
        else:
            self.recorder.count("password reset refused")
            self.recorder.note(f"{self.name}: reset for {email} answered {answer.status}")


class Probe(threading.Thread):
    """The load balancer's view: the health check (and liveness) every quarter second."""

    def __init__(
        self, *, ports: list[int], paths: list[str], recorder: Recorder, stop: threading.Event
    ) -> None:
        super().__init__(name="probe", daemon=True)
        self.targets = itertools.cycle([(port, path) for path in paths for port in ports])
        self.recorder = recorder
        self.stop = stop
        self.browser = Browser(timeout=10.0)

    def run(self) -> None:
        base = self.recorder.clock_start
        while not self.stop.is_set():
            port, path = next(self.targets)
            response, error, started, ended = self.browser.request("GET", port, path)
            status = response.status if response is not None else None
            self.recorder.record(
                Request(
                    actor="probe",
                    action=f"GET {path}",
                    port=port,
                    started=started - base,
                    ended=ended - base,
                    status=status,
                    failed=status != 200,
                    error=error,
                ),
                probe=True,
            )
            self.stop.wait(0.25)
