"""``make bench``: every page's throughput under load, as ratios within one run.

Against the PostgreSQL server of ``DATABASE_URL`` it creates a throwaway database
(``portal_bench_<pid>``, dropped at the end), seeds it, starts gunicorn with production
settings on 127.0.0.1, logs in through the real login form and loads each page with ``wrk``
for a fixed time and a fixed number of connections. It prints one table per run and writes it
to ``bench/results/latest.md``. See ``bench/README.md``.

Settings (environment): ``BENCH_DURATION`` (seconds per page, 8), ``BENCH_CONNECTIONS`` (8),
``BENCH_THREADS`` (2), ``BENCH_WORKERS`` (gunicorn workers, 4), ``BENCH_PORT`` (8765),
``BENCH_LARGE`` (invoices of the large organisation, 20000), ``BENCH_HUGE`` (100000),
``BENCH_USERS`` (500), ``BENCH_KEEP`` (1: keep the database, named ``portal_bench_keep``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DURATION = int(os.environ.get("BENCH_DURATION", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
LARGE = int(os.environ.get("BENCH_LARGE", "20000"))
HUGE = int(os.environ.get("BENCH_HUGE", "100000"))
SMALL = 1000
USERS = int(os.environ.get("BENCH_USERS", "500"))
# Keep the database afterwards (named portal_bench_keep) to profile against the same data.
KEEP = os.environ.get("BENCH_KEEP", "") not in ("", "0")
PASSWORD = "bench-portal-2026"
BASE = f"http://127.0.0.1:{PORT}"


def log(message: str) -> None:
    print(message, flush=True)  # noqa: T201


def _database_urls() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench needs DATABASE_URL naming a PostgreSQL server, e.g. "
            "postgres://postgres@127.0.0.1:5432/portal"
        )
    server = url.rsplit("/", 1)[0]
    name = "portal_bench_keep" if KEEP else f"portal_bench_{os.getpid()}"
    return f"{server}/postgres", f"{server}/{name}", name


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", "--quiet", url, "-c", sql], check=True, stdout=subprocess.DEVNULL)


# --- seeding -------------------------------------------------------------------------------


def seed_invoices(organisation, prefix: str, count: int, *, with_pdf: bool = False) -> None:
    """``count`` invoices over the last years, a credit on every tenth, and ``count`` bank
    payments: most invoices paid in full, some in part, the newest open; then the ledger."""
    from django.db import connection

    from invoices.ledger import ledger_refresh
    from invoices.models import Invoice, Payment, invoice_storage
    from invoices.visibility import payment_visible_from

    today = date.today()
    start = today - timedelta(days=8 * 365)
    span = (today - start).days
    rows = []
    for n in range(count):
        day = start + timedelta(days=n * span // count)
        excl = Decimal(100 + (n * 37) % 997)
        vat = (excl * Decimal("0.21")).quantize(Decimal("0.01"))
        rows.append(
            Invoice(
                organisation=organisation,
                number=f"{prefix}-{n:06d}",
                invoice_date=day,
                due_date=day + timedelta(days=30),
                amount_excl_vat=excl,
                vat_amount=vat,
                amount_incl_vat=excl + vat,
                ledger_signed=excl + vat,
                billing_organisation_name=organisation.name,
            )
        )
    invoices = Invoice.objects.bulk_create(rows, batch_size=5000)
    credits = Invoice.objects.bulk_create(
        (
            Invoice(
                organisation=organisation,
                number=f"{prefix}-C{n:06d}",
                kind=Invoice.Kind.CREDIT,
                corrects=invoice,
                invoice_date=invoice.invoice_date + timedelta(days=3),
                due_date=invoice.due_date + timedelta(days=3),
                amount_excl_vat=Decimal("10.00"),
                vat_amount=Decimal("2.10"),
                amount_incl_vat=Decimal("12.10"),
                ledger_signed=Decimal("-12.10"),
                billing_organisation_name=organisation.name,
            )
            for n, invoice in enumerate(invoices[::10])
        ),
        batch_size=5000,
    )
    payments = []
    open_from = int(count * 0.95)
    for n, invoice in enumerate(invoices):
        if n >= open_from:
            amount = None if n % 2 else (invoice.amount_incl_vat / 2).quantize(Decimal("0.01"))
        else:
            amount = invoice.amount_incl_vat - (Decimal("12.10") if n % 10 == 0 else 0)
        if amount is None:
            continue
        booked = invoice.invoice_date + timedelta(days=14)
        payments.append(
            Payment(
                bank_reference=f"{prefix}-P{n:06d}",
                booking_date=booked,
                amount=amount,
                remittance_text=f"Factuur {invoice.number}",
                counterparty_name=organisation.name,
                invoice=invoice,
                matched_by=Payment.MatchedBy.IMPORT,
                visible_from=payment_visible_from(booked),
            )
        )
    # Unmatched entries make up the count: the payments table holds ``count`` rows.
    for n in range(count - len(payments)):
        payments.append(
            Payment(
                bank_reference=f"{prefix}-U{n:06d}",
                booking_date=today - timedelta(days=n % 400),
                amount=Decimal("50.00"),
                remittance_text="unknown",
                visible_from=payment_visible_from(today - timedelta(days=n % 400)),
            )
        )
    Payment.objects.bulk_create(payments, batch_size=5000)
    ids = [invoice.pk for invoice in invoices] + [credit.pk for credit in credits]
    for position in range(0, len(ids), 2000):
        ledger_refresh(invoice_ids=ids[position : position + 2000])
    if with_pdf:
        from django.core.files.base import ContentFile

        from invoices.pdf import render_invoice_pdf

        first = invoices[-1]
        first.file.save(f"{first.number}.pdf", ContentFile(render_invoice_pdf(first)), save=False)
        Invoice.objects.filter(pk=first.pk).update(file=first.file.name)
        assert invoice_storage().exists(first.file.name)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE invoices_invoice")
        cursor.execute("VACUUM ANALYZE invoices_payment")


def seed_people(customers, organisations, large) -> None:
    """``USERS`` contacts with *Mijn organisatie* access (a fifth of them also *Mijn
    support*), two fifths of them in the large organisation; and activity in its log."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Membership, User
    from audit.models import AuditEvent
    from audit.services import audit_record

    password = make_password(PASSWORD)
    people = []
    places = []
    for n in range(USERS):
        organisation = large if n % 5 < 2 else organisations[n % len(organisations)]
        people.append(
            User(
                email=f"person{n:05d}@bench.example",
                first_name=f"Persoon{n}",
                last_name=f"Bench{n % 97}",
                customer_id=organisation.customer_id,
                password=password,
            )
        )
        places.append(organisation)
    people = User.objects.bulk_create(people)
    memberships = []
    for n, (user, organisation) in enumerate(zip(people, places, strict=True)):
        memberships.append(
            Membership(
                user=user,
                organisation=organisation,
                kind=Membership.Kind.ORGANISATION,
                role=Membership.Role.ADMIN if n % 7 == 0 else Membership.Role.VIEWER,
            )
        )
        if n % 5 == 0:
            memberships.append(
                Membership(user=user, organisation=organisation, kind=Membership.Kind.SUPPORT)
            )
    Membership.objects.bulk_create(memberships)
    for n, user in enumerate(people[:300]):
        if places[n] == large:
            audit_record(
                action=AuditEvent.Action.ORGANISATION_SWITCHED,
                actor=user,
                organisation=large,
                target=large,
                target_label=large.name,
            )


def bench_user(organisation, email: str):
    from accounts.models import Membership, User

    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        customer=organisation.customer,
        first_name="Bench",
        last_name="Admin",
    )
    Membership.objects.create(
        user=user,
        organisation=organisation,
        kind=Membership.Kind.ORGANISATION,
        role=Membership.Role.ADMIN,
    )
    return user


def seed_base():
    from accounts.models import Customer, Organisation
    from billing_address.models import BillingAddress

    customers = [
        Customer.objects.create(name=f"Klant {n}", csm_email=f"csm{n}@bench.example")
        for n in range(10)
    ]
    organisations = []
    for n in range(50):
        organisations.append(
            Organisation.objects.create(
                customer=customers[n % 10], name=f"Organisatie {n:02d}", debtor_number=f"B{n:05d}"
            )
        )
    for organisation in organisations:
        BillingAddress.objects.create(
            organisation=organisation,
            attention="Crediteurenadministratie",
            organisation_name=organisation.name,
            street="Lange Gracht 16B",
            postcode="1234 AB",
            city="Amsterdam",
            country="NL",
            email="facturen@bench.example",
        )
    large, small = organisations[0], organisations[1]
    for n, organisation in enumerate(organisations[2:], start=2):
        seed_invoices(organisation, f"S{n:02d}", 30)
    seed_invoices(large, "L", LARGE, with_pdf=True)
    seed_invoices(small, "K", SMALL)
    seed_people(customers, organisations, large)
    analyze()
    return large, small, organisations


def analyze() -> None:
    """Statistics for every table just filled: the bench's server may run without autovacuum
    (the development one does), and a planner that believes ``accounts_user`` is empty picks
    a nested loop over a sequential scan for the user search (173 ms instead of 1.5 ms at 500
    users). Production has autovacuum, which analyzes tables after such inserts.

    ``VACUUM`` also sets the visibility map, without which the index-only scans of the list
    visit the table after all, and ``CHECKPOINT`` writes the freshly inserted rows out now
    rather than during a measurement (a run once measured the last page at 100,000 invoices
    20 % slower than page 1, and the same pages alike on a second look)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


# --- load ----------------------------------------------------------------------------------


def login(email: str) -> str:
    """Logs in through the real login form; returns the Cookie header of the session."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(f"{BASE}/accounts/login/") as response:
        page = response.read().decode()
        cookies = _cookies(response.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/accounts/login/",
        data=data,
        headers={"Cookie": _header(cookies), "Referer": f"{BASE}/accounts/login/"},
    )
    try:
        opener.open(request)
        raise SystemExit(f"login of {email} did not redirect: wrong password or form?")
    except urllib.error.HTTPError as response:
        if response.code != 302:
            raise SystemExit(f"login of {email} answered {response.code}") from None
        cookies.update(_cookies(response.headers.get_all("Set-Cookie") or []))
    if "sessionid" not in cookies:
        raise SystemExit(f"login of {email} set no session")
    header = _header(cookies)
    # The first page stores the active organisation in the session.
    with urllib.request.urlopen(
        urllib.request.Request(f"{BASE}/organisation/", headers={"Cookie": header})
    ) as response:
        assert response.status == 200
    return header


def _cookies(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(path: str, cookie: str | None) -> dict:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"{BASE}{path}"], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def sql_per_request(email: str, paths: list[str]) -> dict[str, int]:
    """SQL statements of one request per page, counted in this process with Django's test
    client (gunicorn runs with DEBUG off and counts nothing)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    client.get("/organisation/")
    counts = {}
    for path in paths:
        client.get(path)  # warm: the same as the measured requests under load
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = len(queries)
    return counts


def explain(organisation) -> str:
    """EXPLAIN ANALYZE of what the list asks at this size: which index answers each query,
    and how long it takes in the database."""
    from django.db import connection

    from invoices.selectors import InvoiceFilters, invoice_list

    cases = {
        # The unfiltered list reads the organisation's stored invoice count; a filter counts.
        "count, status Open": InvoiceFilters(status="open"),
        "page 1 keys": InvoiceFilters(),
        "last page keys": InvoiceFilters(),
        "status Open, page 1 keys": InvoiceFilters(status="open"),
        "status Vervallen, page 1 keys": InvoiceFilters(status="overdue"),
        "search, page 1 keys": InvoiceFilters(query="H-0123"),
        "by amount, page 1 keys": InvoiceFilters(sort="-amount"),
    }
    lines = ["```"]
    for title, filters in cases.items():
        invoices = invoice_list(organisation=organisation, filters=filters)
        total = invoices.count()
        if title.startswith("count"):
            sql, params = invoices.order_by().values("pk").query.sql_with_params()
            with connection.cursor() as cursor:
                # The SQL is Django's own, compiled with parameters.
                cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS c", params)  # noqa: S608
                plan = "\n".join(row[0] for row in cursor.fetchall())
        else:
            start = (total - 1) // 25 * 25 if title.startswith("last") else 0
            keys = invoices.values_list("pk", flat=True)[start : start + 25]
            plan = keys.explain(analyze=True)
        lines.append(f"-- {title} ({total} rows)")
        lines += [line for line in plan.splitlines() if line.strip()]
    lines.append("```")
    return "\n".join(lines) + "\n"


def start_gunicorn(env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{BASE}/healthz") as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def table(title: str, rows: list[tuple[str, str, dict, int | None]], health, overview) -> str:
    lines = [
        f"### {title}",
        "",
        "| page | path | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/request "
        "| ÷ /healthz | ÷ overview |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, result, sql in rows:
        lines.append(
            f"| {name} | `{path}` | {result['rps']:.1f} | {result['p50']:.1f} | "
            f"{result['p95']:.1f} | {result['p99']:.1f} | {result['errors']} | "
            f"{'' if sql is None else sql} | {result['rps'] / health:.2f} | "
            f"{result['rps'] / overview:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    admin_url, bench_url, name = _database_urls()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    media = tempfile.mkdtemp(prefix="portal-bench-media-")
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "PORTAL_URL": BASE,
        "SUPPORT_PORTAL_URL": "https://support.example.com/",
        "VENDOR_NAME": "HR & Payroll Software B.V.",
        "VENDOR_IBAN": "NL44RABO0123456789",
        "VENDOR_BIC": "RABONL2U",
        "MEDIA_ROOT": media,
        "EMAIL_CONSOLE": "1",
        "SECURE_COOKIES": "0",
        # gunicorn speaks plain HTTP on 127.0.0.1: no redirect to HTTPS (production has a TLS
        # proxy in front), or every page would measure a 301.
        "SECURE_SSL_REDIRECT": "0",
    }
    os.environ.update(env)
    began = time.monotonic()
    _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    _psql(admin_url, f'CREATE DATABASE "{name}"')
    gunicorn = None
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        log(f"seeding: 50 organisations, {LARGE} and {SMALL} invoices, {USERS} users ...")
        large, small, organisations = seed_base()
        bench_user(large, "bench-large@bench.example")
        bench_user(small, "bench-small@bench.example")
        demo_sized = organisations[2]
        bench_user(demo_sized, "bench-demo@bench.example")
        from invoices.models import Invoice

        pdf = Invoice.objects.filter(organisation=large).exclude(file="").get().number
        # An invoice's page with all it can show: open, paid in part, with a credit set off.
        detail = (
            Invoice.objects.filter(
                organisation=large,
                kind=Invoice.Kind.INVOICE,
                ledger_state="open",
                ledger_paid__gt=0,
                ledger_credited__gt=0,
            )
            .order_by("number")
            .values_list("number", flat=True)
            .first()
        )
        log(f"seeded in {time.monotonic() - began:.0f} s; starting gunicorn ({WORKERS} workers)")
        from django.db import connection

        connection.close()
        gunicorn = start_gunicorn(env)
        cookie = login("bench-large@bench.example")
        large_rows = Invoice.objects.filter(organisation=large).count()
        last = (large_rows - 1) // 25 + 1
        pages = [
            ("/healthz", "/healthz", False),
            ("Overview", "/organisation/", True),
            ("Facturen page 1", "/invoices/", True),
            (f"Facturen page {last} (last)", f"/invoices/?page={last}", True),
            ("Facturen page 400", "/invoices/?page=400", True),
            ("Facturen status Open", "/invoices/?status=open", True),
            ("Facturen status Vervallen", "/invoices/?status=overdue", True),
            ("Facturen status Niet betaald", "/invoices/?status=unpaid", True),
            ("Facturen credit invoices", "/invoices/?kind=credit", True),
            (
                f"Facturen year {date.today().year - 3}",
                f"/invoices/?year={date.today().year - 3}",
                True,
            ),
            ("Facturen search", "/invoices/?q=L-0123", True),
            ("Facturen sort by amount", "/invoices/?sort=-amount", True),
            ("PDF download", f"/invoices/{pdf}.pdf", True),
            ("Factuur (open, paid in part, credit set off)", f"/invoices/{detail}/", True),
            ("CSV export (search)", "/invoices/export.csv?q=L-01", True),
            ("CSV export (all)", "/invoices/export.csv", True),
            ("Factuuradres", "/organisation/billing-address/", True),
            ("Gebruikers", "/organisation/users/", True),
            ("Gebruikers Mijn support", "/organisation/users/support/", True),
            ("Gebruikers search", "/organisation/users/?q=Bench1", True),
            ("Activiteit", "/organisation/activity/", True),
        ]
        sql = sql_per_request("bench-large@bench.example", [p for _, p, a in pages if a])
        results = []
        for title, path, authenticated in pages:
            result = wrk(path, cookie if authenticated else None)
            results.append((title, path, result, sql.get(path)))
            log(f"  {title}: {result['rps']:.1f} req/s, p50 {result['p50']:.1f} ms")
        health = results[0][2]["rps"]
        overview = results[1][2]["rps"]
        report = [
            f"# `make bench` — {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION} s per page; "
            f"gunicorn {WORKERS} workers, DEBUG off, PostgreSQL; {os.cpu_count()} CPU cores "
            "shared with other work, so compare ratios within this run.",
            "",
            table(
                f"All pages: the large organisation ({LARGE} invoices, "
                f"{large_rows - LARGE} credits, {LARGE} payments; {USERS} users)",
                results,
                health,
                overview,
            ),
        ]
        # The same pages at 1,000 and at 100,000 invoices.
        log(f"seeding {HUGE} invoices ...")
        from accounts.models import Organisation

        huge = Organisation.objects.create(
            customer=large.customer, name="Organisatie groot", debtor_number="BHUGE"
        )
        seed_invoices(huge, "H", HUGE)
        bench_user(huge, "bench-huge@bench.example")
        analyze()
        connection.close()
        sizes = []
        for label, organisation, email in (
            ("30 invoices", demo_sized, "bench-demo@bench.example"),
            (f"{SMALL} invoices", small, "bench-small@bench.example"),
            (f"{HUGE} invoices", huge, "bench-huge@bench.example"),
        ):
            rows = Invoice.objects.filter(organisation=organisation).count()
            last = (rows - 1) // 25 + 1
            paths = [
                ("Facturen page 1", "/invoices/"),
                ("Facturen last page", f"/invoices/?page={last}"),
            ]
            counts = sql_per_request(email, [p for _, p in paths])
            connection.close()
            session = login(email)
            for title, path in paths:
                result = wrk(path, session)
                sizes.append((f"{title}, {label}", path, result, counts[path]))
                log(f"  {title}, {label}: {result['rps']:.1f} req/s, p50 {result['p50']:.1f} ms")
        report.append(table("Facturen at 30, 1,000 and 100,000 invoices", sizes, health, overview))
        report.append(f"\n### EXPLAIN ANALYZE at {HUGE} invoices\n")
        report.append(explain(huge))
        p50 = {row[0]: row[2]["p50"] for row in sizes}
        ratios = [
            p50[f"Facturen {page}, {HUGE} invoices"] / p50[f"Facturen {page}, {SMALL} invoices"]
            for page in ("page 1", "last page")
        ]
        report.append(
            f"p50 at {HUGE} ÷ p50 at {SMALL} invoices: page 1 {ratios[0]:.2f}, "
            f"last page {ratios[1]:.2f} (target ≤ 1.3)\n"
        )
        report.append(f"\nWhole run: {time.monotonic() - began:.0f} s.\n")
        text = "\n".join(report)
        log("")
        log(text)
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "latest.md").write_text(text)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110
            pass
        if KEEP:
            log(f"kept the database: {bench_url}")
        else:
            _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
