"""The outgoing e-mail queue: every mail the portal sends is a row here first."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One e-mail, rendered in its recipient's language, waiting for or done with delivery.

    The row is written in the same transaction as the change that causes the mail, so a
    rolled-back change leaves no mail behind; the delivery task is enqueued only after commit.
    The worker sends it, retries a failure with back-off a bounded number of times and then
    marks it failed, where staff see it in admin and can send it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64, help_text=_("Which mail this is."))
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    contains_secret = models.BooleanField(
        _("contains a one-time link"),
        default=False,
        help_text=_(
            "An activation or password-reset link: the text is never shown in admin and is "
            "erased once the mail has been sent."
        ),
    )
    from_email = models.CharField(_("from"), max_length=254)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    ERASED = "[erased after delivery: the mail contained a one-time link]"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            from_email=self.from_email or settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
            headers={"X-Portal-Mail": self.kind},
        )
        if self.body_html:
            message.attach_alternative(self.body_html, "text/html")
        return message
