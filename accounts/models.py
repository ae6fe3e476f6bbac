"""Who the portal serves: customers, their organisations, their contacts and their access."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from accounts.emails import canonical_email, canonical_email_or_none, validate_canonical_email
from accounts.validators import DEBTOR_NUMBER_HELP, debtor_number_check, validate_debtor_number


class Customer(models.Model):
    """A customer of the vendor (*klant*): owns one or more organisations and their contacts."""

    name = models.CharField(_("name"), max_length=200)
    csm_email = models.EmailField(
        _("Customer Success Manager e-mail"),
        help_text=_("Told when a user of this customer is removed."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A legal entity of a customer that receives invoices and has its own billing address."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("customer"),
    )
    name = models.CharField(_("name"), max_length=200)
    # The billing system's key (the invoice import finds organisations by it) and part of
    # download names: its characters are limited (accounts.validators), here and in the
    # database.
    debtor_number = models.CharField(
        _("debtor number"),
        max_length=20,
        unique=True,
        validators=[validate_debtor_number],
        help_text=DEBTOR_NUMBER_HELP,
    )
    # How many invoices the organisation has, so the unfiltered *Facturen* list needs no
    # COUNT(*). Kept by database triggers on invoices_invoice (migration invoices/0007), which
    # also see bulk_create, imports and raw SQL; ``manage.py ledger_check`` compares it with
    # the invoices and ``--repair`` recounts.
    invoice_count = models.PositiveBigIntegerField(_("invoices"), default=0, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=debtor_number_check(),
                name="accounts_organisation_debtor_number_charset",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The triggers own ``invoice_count``: saving an organisation read before an invoice
        # was added must not write its stale count back (a lost update), so an update writes
        # every other column unless the caller names the fields.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "invoice_count"
            ]
        super().save(*args, **kwargs)


class UserQuerySet(models.QuerySet["User"]):
    def by_email(self, email: object) -> UserQuerySet:
        """The person with this address, however it was typed: an exact match on the
        canonical form (accounts/emails.py); nobody when the text has no canonical form."""
        canonical = canonical_email_or_none(email)
        return self.none() if canonical is None else self.filter(email=canonical)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=canonical_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.by_email(username).get()


class User(AbstractBaseUser, PermissionsMixin):
    """A contact person of a customer, or a member of the vendor's staff.

    One e-mail address belongs to at most one customer: it is stored in its canonical form
    (accounts/emails.py), which the database checks and keeps unique. Staff users have no
    customer.
    """

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        validators=[validate_canonical_email],
        error_messages={"unique": _("A user with this e-mail address already exists.")},
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="contacts",
        null=True,
        blank=True,
        verbose_name=_("customer"),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    job_function = models.ForeignKey(
        "users.JobFunction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("function"),
    )
    job_title = models.CharField(
        _("business card title"),
        max_length=150,
        blank=True,
        help_text=_("The person's formal title (Functie visitekaart)."),
    )
    # R19: at most two numbers, validated and stored as E.164.
    phone = PhoneNumberField(_("phone number"), blank=True)
    mobile = PhoneNumberField(_("mobile phone number"), blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the Django admin."),
    )

    class InactiveReason(models.TextChoices):
        # Why a contact cannot log in decides who may give the login back: an Admin re-adds a
        # person who left (R16); only staff lift their own block (a compromised account).
        DEACTIVATED = "deactivated", _("Deactivated through a removal")
        BLOCKED = "blocked", _("Blocked by staff")

    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive contact cannot log in."),
    )
    # NULL exactly when the contact is active (a check constraint holds this).
    inactive_reason = models.CharField(  # noqa: DJ001
        _("why inactive"),
        max_length=16,
        choices=InactiveReason.choices,
        null=True,
        blank=True,
        help_text=_(
            "Deactivated through a removal: an Admin may give access again. Blocked by staff: "
            "only staff lift it, with Reactivate."
        ),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    welcome_sent_at = models.DateTimeField(
        _("welcome e-mail sent at"),
        null=True,
        blank=True,
        help_text=_("When the last welcome e-mail with an activation link was queued."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    # A contact's details (R14, R15, R19): what an Admin fills in on the *Gebruikers* pages
    # and staff on the user page in admin. The one list of them: the forms, admin, the users
    # services and the audit log's snapshots all take it from here.
    CONTACT_NAME_FIELDS = ("first_name", "last_name")
    CONTACT_WORK_FIELDS = ("job_function", "job_title", "phone", "mobile")
    CONTACT_FIELDS = (*CONTACT_NAME_FIELDS, *CONTACT_WORK_FIELDS)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            # The stored address is canonical: trimmed, lower-case and ASCII (the domain in its
            # IDNA form), so no other spelling of it can be stored beside it.
            models.CheckConstraint(
                condition=models.Q(email=Lower("email"), email__regex=r"^[!-~]+$"),
                name="accounts_user_email_canonical",
                violation_error_message=_("Enter a valid e-mail address."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(is_active=True, inactive_reason__isnull=True)
                    # "IS NOT NULL" too: IN with a NULL is unknown, which a CHECK lets pass.
                    | models.Q(
                        is_active=False,
                        inactive_reason__isnull=False,
                        inactive_reason__in=["deactivated", "blocked"],
                    )
                ),
                name="accounts_user_inactive_reason_iff_inactive",
                violation_error_message=_(
                    "An inactive contact needs the reason why; an active one has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean_fields(self, exclude=None) -> None:
        # Validated and compared (unique) in the canonical form; an address without one is
        # the field's error.
        if (exclude is None or "email" not in exclude) and self.email:
            canonical = canonical_email_or_none(self.email)
            if canonical is not None:
                self.email = canonical
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs) -> None:
        # Code that saves without full_clean still stores the canonical form; an address that
        # has none is refused by the database's check constraint.
        self.email = canonical_email_or_none(self.email) or self.email
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def contact_details(self) -> dict:
        """The contact's details (``CONTACT_FIELDS``) as the users services take them."""
        return {field: getattr(self, field) for field in self.CONTACT_FIELDS}


class Membership(models.Model):
    """One kind of access of a contact to one organisation.

    *Mijn organisatie* access (kind ORGANISATION) carries a role and may exist for several
    organisations of the contact's customer; *Mijn support* access (kind SUPPORT) has no role
    and exists for at most one organisation. The database enforces both, and (by trigger)
    that the organisation belongs to the contact's own customer.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Mijn organisatie")
        SUPPORT = "support", _("Mijn support")

    class Role(models.TextChoices):
        # Ordered from least to most powerful; see accounts.permissions.
        VIEWER = "viewer", _("Viewer")
        ADMIN = "admin", _("Admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of access"), max_length=16, choices=Kind.choices)
    # NULL, not "": support access has no role, and the check constraint says so.
    role = models.CharField(  # noqa: DJ001
        _("role"), max_length=16, choices=Role.choices, null=True, blank=True
    )
    security_contact = models.BooleanField(_("security/privacy contact"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"],
                name="accounts_membership_unique_access",
                violation_error_message=_("This person already has this access here."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(kind="support"),
                name="accounts_membership_one_support",
                violation_error_message=_("Mijn support access exists for one organisation only."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="organisation", role__isnull=False, role__in=["viewer", "admin"])
                    | models.Q(kind="support", role__isnull=True)
                ),
                name="accounts_membership_role_matches_kind",
                violation_error_message=_(
                    "Mijn organisatie access needs a role; Mijn support access has none."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.role:
            label = f"{label} ({self.get_role_display()})"
        return f"{self.user} – {self.organisation}: {label}"

    def clean(self) -> None:
        super().clean()
        if (
            self.user_id
            and self.organisation_id
            and self.user.customer_id != self.organisation.customer_id
        ):
            raise ValidationError(
                {"organisation": _("The organisation belongs to another customer.")}
            )

    @property
    def is_admin(self) -> bool:
        return self.kind == self.Kind.ORGANISATION and self.role == self.Role.ADMIN


# allauth's own models name themselves in English only ("Authenticators", "User sessions").
# Staff see them in admin through these proxies, named in both languages; no table of their own.
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.usersessions.models import UserSession  # noqa: E402


class TwoFactorMethod(Authenticator):
    """A person's second step of logging in (an authenticator app, or their recovery codes)."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor login method")
        verbose_name_plural = _("two-factor login methods")


class LoginSession(UserSession):
    """A device or browser where a person is logged in (ended by deactivation, R4)."""

    class Meta:
        proxy = True
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
