"""One address, one spelling (issue 15, item 1): addresses are stored in one canonical form,
the database holds it, and every lookup, budget and lock follows from that one spelling."""

from __future__ import annotations

import unicodedata
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accounts.emails import canonical_email, canonical_email_or_none, canonical_plan
from accounts.models import User
from audit.models import AuditEvent
from outbox.models import OutgoingEmail
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "julia.bos@example.com"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def julia(viewer):
    viewer.email = ADDRESS
    viewer.save(update_fields=["email"])
    return viewer


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# Other spellings of julia.bos@example.com that a database or Unicode folds onto it.
VARIANTS = {
    "dotless i (U+0131)": "julıa.bos@example.com",
    "long s (U+017F)": "julia.boſ@example.com",
    "dotted capital I (U+0130)": "julİa.bos@example.com",
    "full-width letters": fullwidth("julia") + ".bos@example.com",
    "full-width domain": "julia.bos@" + fullwidth("example") + ".com",
    "combining accent (NFD)": "julia.bos@exa\u0301mple.com",
    "decomposed domain letter": "julia.bos@" + unicodedata.normalize("NFD", "éxample.com"),
    "full-width at sign": "julia.bos\uff20example.com",
}


# --- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("julia.bos@example.com", "julia.bos@example.com"),
        ("  Julia.Bos@Example.COM\t", "julia.bos@example.com"),
        ("JULIA.BOS@EXAMPLE.COM", "julia.bos@example.com"),
        ("x@Bäcker.NL", "x@xn--bcker-gra.nl"),
        ("x@bäcker.nl", "x@xn--bcker-gra.nl"),
        ("x@XN--BCKER-GRA.nl", "x@xn--bcker-gra.nl"),
        ("o'brien+invoices@sub.example.co.uk", "o'brien+invoices@sub.example.co.uk"),
    ],
)
def test_the_canonical_form(typed, canonical):
    assert canonical_email(typed) == canonical


@pytest.mark.parametrize("typed", list(VARIANTS.values()), ids=list(VARIANTS))
def test_other_spellings_have_no_canonical_form(typed):
    with pytest.raises(ValidationError):
        canonical_email(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "julia",
        "@example.com",
        "julia@",
        "ju lia@example.com",
        "julia\x00@example.com",
        "julia@example..com",
        "julia@straße.de",
        "julia@ςigma.gr",
    ],
)
def test_text_that_is_no_address_has_no_canonical_form(typed):
    assert canonical_email_or_none(typed) is None


HYPOTHESIS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Characters that case mapping or Unicode normalisation relate to ASCII letters.
CONFUSABLE = {"s": ["ſ", "S"], "i": ["ı", "İ", "I"], "k": ["\u212a", "K"], "e": ["é", "E"]}
any_address = st.one_of(
    st.emails(),
    st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(min_size=1, max_size=20),
        st.text(min_size=1, max_size=20),
    ),
)


@st.composite
def spelling_of(draw, address: str) -> str:
    """Another spelling of an address: each letter as it is, in the other case, a confusable
    letter, its full-width form or followed by a combining accent."""
    out = []
    for character in address:
        options = [character, character.upper(), character.lower(), fullwidth(character)]
        options += CONFUSABLE.get(character.lower(), [])
        options.append(character + "\u0301")
        out.append(draw(st.sampled_from(options)))
    return "".join(out)


@HYPOTHESIS
@given(address=any_address)
def test_canonical_is_idempotent(address):
    canonical = canonical_email_or_none(address)
    if canonical is not None:
        assert canonical_email(canonical) == canonical
        assert canonical.isascii() and canonical == canonical.lower() == canonical.strip()


@HYPOTHESIS
@given(data=st.data(), address=st.emails())
def test_what_the_database_treats_as_one_address_has_one_canonical_form(data, address):
    """The database's own case-insensitive comparisons (UPPER, as ``iexact`` did on
    PostgreSQL, and LOWER, as the old unique constraint did) never find two addresses alike
    that the canonical form keeps apart: one is refused, or both have the same form."""
    other = data.draw(spelling_of(address))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT UPPER(%s) = UPPER(%s), LOWER(%s) = LOWER(%s)",
            [address, other, address, other],
        )
        same_upper, same_lower = cursor.fetchone()
    first, second = canonical_email_or_none(address), canonical_email_or_none(other)
    assume(first is not None and second is not None)
    if same_upper or same_lower:
        assert first == second, (address, other)


def test_the_database_keeps_one_canonical_spelling(julia):
    for spelling in ("Julia.Bos@example.com", " julia.bos@example.com", "julıa.bos@example.com"):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=julia.pk).update(email=spelling)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email=ADDRESS, customer=julia.customer)])


def test_the_model_stores_the_canonical_form_and_refuses_other_spellings(julia):
    other = UserFactory(customer=julia.customer, email="  Anne@EXAMPLE.com ")
    other.refresh_from_db()
    assert other.email == "anne@example.com"
    duplicate = User(email="JULIA.BOS@Example.com", customer=julia.customer)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean(exclude=["password"])
    assert error.value.message_dict == {
        "email": ["Er bestaat al een gebruiker met dit e-mailadres."]
    }
    variant = User(email="julıa.bos@example.com", customer=julia.customer)
    with pytest.raises(ValidationError) as error:
        variant.full_clean(exclude=["password"])
    assert "Voer een geldig e-mailadres in." in error.value.message_dict["email"]


def test_the_manager_finds_people_by_any_case_and_nobody_by_a_variant(julia):
    assert User.objects.get_by_natural_key("JULIA.BOS@EXAMPLE.COM") == julia
    assert list(User.objects.by_email(" Julia.Bos@Example.com ")) == [julia]
    for variant in VARIANTS.values():
        assert not User.objects.by_email(variant).exists()
        with pytest.raises(User.DoesNotExist):
            User.objects.get_by_natural_key(variant)
    with pytest.raises(ValidationError):
        User.objects.create_user("julia.boſ@example.com", PASSWORD)


# --- login --------------------------------------------------------------------------------


def _login(client, login, password, ip="198.51.100.20"):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize("variant", list(VARIANTS.values()), ids=list(VARIANTS))
def test_another_spelling_with_the_right_password_does_not_log_in(julia, variant):
    client = Client()
    response = _login(client, variant, PASSWORD)
    assert response.status_code == HTTPStatus.OK
    assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # No password was checked for it, so it has no failure budget of its own either.
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).exists()


def test_the_kelvin_sign_is_no_k(julia):
    """allauth's field lower-cases first, and ``"\u212a".lower() == "k"``: the canonical rule
    sees the typed text, so this spelling of kees.kok@… does not log in as Kees."""
    kees = UserFactory(customer=julia.customer, email="kees.kok@example.com")
    for variant in ("\u212aees.kok@example.com", "kees.\u212aok@example.com"):
        client = Client()
        response = _login(client, variant, PASSWORD)
        assert "Voer een geldig e-mailadres in." in response.content.decode()
        assert "_auth_user_id" not in client.session
    client = Client()
    assert _login(client, "KEES.KOK@example.com", PASSWORD).status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(kees.pk)


def test_another_spelling_gets_no_budget_of_its_own(julia):
    """The issue's attack: 105 guesses as julia.boſ@…, 100 of them ordinary failures. Now
    none is a password check, and the five ordinary guesses lock every spelling."""
    guesser = Client()
    for attempt in range(20):
        variant = list(VARIANTS.values())[attempt % len(VARIANTS)]
        response = _login(guesser, variant, f"guess-{attempt}")
        assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).exists()
    for spelling in (
        "JULIA.BOS@EXAMPLE.COM",
        " julia.bos@example.com",
        "Julia.Bos@Example.com",
        "julia.bos@EXAMPLE.COM",
        "julia.bos@example.com",
    ):
        response = _login(guesser, spelling, "wrong")
        assert "niet correct" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).count() == 5
    # Locked for this client in every spelling, the right password included.
    for spelling in ("julia.bos@example.com", "JULIA.BOS@example.com"):
        page = _login(guesser, spelling, PASSWORD).content.decode()
        assert "Te veel mislukte inlogpogingen. Probeer het opnieuw na" in page
    for variant in VARIANTS.values():
        _login(guesser, variant, PASSWORD)
        assert "_auth_user_id" not in guesser.session


def test_the_account_wide_ceiling_counts_every_spelling_together(julia, settings):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "10/h/key"
    spellings = ["julia.bos@example.com", "JULIA.BOS@EXAMPLE.COM", "Julia.Bos@example.COM"]
    for attempt in range(10):
        _login(Client(), spellings[attempt % 3], "wrong", ip=f"203.0.113.{attempt + 1}")
    page = _login(Client(), "JuLiA.bOs@example.com", PASSWORD, ip="203.0.113.99")
    assert "Te veel mislukte inlogpogingen voor dit account" in page.content.decode()


def test_any_case_of_the_address_logs_in(julia):
    client = Client()
    response = _login(client, "  JULIA.Bos@Example.COM ", PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(julia.pk)


# --- the other lookups --------------------------------------------------------------------


def test_the_password_reset_finds_the_person_by_any_case_and_nobody_by_a_variant(julia):
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "JULIA.BOS@Example.com"})
    mail = OutgoingEmail.objects.get()
    assert (mail.to, mail.kind) == (ADDRESS, "password_reset_key")

    response = client.post(
        reverse("account_reset_password"), {"email": VARIANTS["long s (U+017F)"]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert OutgoingEmail.objects.count() == 1


def test_the_add_wizard_knows_the_address_in_any_case_and_refuses_a_variant(admin, julia):
    from tests.conftest import logged_in

    client = logged_in(admin)
    url = reverse("users:add")
    response = client.post(url, {"email": "JULIA.BOS@EXAMPLE.COM"})
    assert response.status_code == HTTPStatus.OK
    assert "Deze persoon heeft al toegang tot Mijn organisatie voor" in response.content.decode()
    response = client.post(url, {"email": VARIANTS["dotless i (U+0131)"]})
    assert response.status_code == HTTPStatus.OK
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_the_admin_refuses_another_spelling_of_a_known_address(julia, staff):
    from tests.conftest import logged_in

    client = logged_in(staff)
    url = reverse("admin:accounts_user_add")
    for spelling, message in [
        ("Julia.Bos@Example.com", "Er bestaat al een gebruiker met dit e-mailadres."),
        ("julia.boſ@example.com", "Voer een geldig e-mailadres in."),
    ]:
        response = client.post(
            url, {"email": spelling, "language": "nl", "usable_password": "false"}
        )
        assert response.status_code == HTTPStatus.OK
        assert message in response.content.decode()
    assert User.objects.filter(email__startswith="julia").count() == 1


# --- existing rows: the migration's plan ---------------------------------------------------


def test_the_plan_rewrites_other_spellings_and_reports_collisions_without_merging():
    plan = canonical_plan(
        [
            (1, "julia.bos@example.com"),
            (2, "Anne@Example.com"),
            (3, "x@bäcker.nl"),
            (4, "X@xn--bcker-gra.NL"),
            (5, "julıa.bos@example.com"),
        ]
    )
    assert plan.updates == {2: "anne@example.com"}
    assert plan.problems == [
        "user 5: 'julıa.bos@example.com' has no canonical form (accounts/emails.py)",
        "'x@xn--bcker-gra.nl' is the address of several users: "
        "user 3 'x@bäcker.nl', user 4 'X@xn--bcker-gra.NL'",
    ]


BEFORE = [("accounts", "0007_sessions_use_portal_backends")]
AFTER = [("accounts", "0008_user_email_canonical")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_existing_rows_and_stops_at_a_collision(capsys):
    old = _migrate(BEFORE).get_model("accounts", "User")
    try:
        anne = old.objects.create(email="Anne@Example.COM", password="!")
        baecker = old.objects.create(email="x@Bäcker.nl", password="!")
        new = _migrate(AFTER).get_model("accounts", "User")
        assert new.objects.get(pk=anne.pk).email == "anne@example.com"
        assert new.objects.get(pk=baecker.pk).email == "x@xn--bcker-gra.nl"

        old = _migrate(BEFORE).get_model("accounts", "User")
        other = old.objects.create(email="X@XN--BCKER-GRA.NL.", password="!")
        old.objects.filter(pk=other.pk).update(email="x@bäcker.nl")
        old.objects.filter(pk=baecker.pk).update(email="X@xn--bcker-gra.nl")
        # Before the upgrade, staff can list what stands in its way ...
        with pytest.raises(CommandError):
            call_command("email_addresses_check")
        listed = capsys.readouterr().out
        assert f"'x@xn--bcker-gra.nl' is the address of several users: user {baecker.pk}" in listed
        # ... and the migration refuses to merge the two accounts: nothing is rewritten.
        with pytest.raises(RuntimeError, match="is the address of several users"):
            _migrate(AFTER)
        assert set(old.objects.values_list("email", flat=True)) == {
            "anne@example.com",
            "X@xn--bcker-gra.nl",
            "x@bäcker.nl",
        }
        old.objects.filter(pk=other.pk).delete()
        new = _migrate(AFTER).get_model("accounts", "User")
        assert new.objects.get(pk=baecker.pk).email == "x@xn--bcker-gra.nl"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
