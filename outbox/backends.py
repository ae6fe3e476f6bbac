"""A console mail backend for development that prints mails readably.

Django's console backend prints the MIME source: with non-ASCII text (Dutch "één") the body is
quoted-printable, which breaks long links over lines with "=" soft breaks. This one prints the
headers and the plain-text body as they are, so the demo's links can be followed.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class ReadableConsoleBackend(ConsoleEmailBackend):
    def write_message(self, message) -> None:
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            "",
            message.body,
        ]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
