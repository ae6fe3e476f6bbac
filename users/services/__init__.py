"""The one write path for access (R13-R20): the portal, Django admin, the demo and commands
call these. Each rule is written once, in the module named for it:

- ``access``: giving access and changing it (``membership_add``, ``membership_update``);
- ``removal``: ending it (``membership_remove``, ``contact_deactivate``), with the removal
  record staff keep;
- ``last_admin``: never fewer than one Admin per organisation (R17), counted under the locks
  that make the count exact;
- ``contacts``: a contact's details (R14, R15, R19), set, checked and logged one way, and
  their login address (R15: ``contact_email_set``, under step 1's rules);
- ``welcome``: the welcome mail (R2) and its limits;
- ``notices``: what a person is told about their own access: new access given to someone
  who has an account, a changed login address (issue 17), and their limits;
- ``csm``: the CSM's mail about a removal (R16) and its limit;
- ``staff``: what only staff do, in admin (block, unblock, their edits in the log).

Invariants kept here (and, where a database can, in the database too):
- one membership per (person, organisation, kind), Mijn support for one organisation only, a
  person's access only within their own customer (constraints and triggers on Membership);
- an e-mail address belongs to one customer (unique index on the lower-cased address);
- never fewer than one Admin per organisation (R17): see ``last_admin``.

Locks are always taken in one order: the organisations' Admin memberships
(``last_admin.lock_admins``), then the person, then the person's memberships, and last the
Admin who sends a welcome mail (``welcome.welcome_send``). Two writers taking them in opposite
orders would deadlock; every service here follows this order, whatever it locks of it.

Mails are limited wherever they are sent (issue 15): a welcome mail only through
``welcome_send`` (one per person per ``WELCOME_MAIL_INTERVAL``, at most
``settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR`` per Admin), the CSM's removal mail one per person
and organisation per ``CSM_MAIL_INTERVAL``, a notice of new access one per person per
``ACCESS_NOTICE_INTERVAL`` and an address change (two notices) one per person per
``EMAIL_CHANGE_INTERVAL``. All are read from stored
data under row locks, so they hold across processes and against parallel requests.

Callers import from ``users.services``; the modules are how the rules are kept apart.
"""

from __future__ import annotations

from users.services.access import AccessAdded, AccessUpdated, membership_add, membership_update
from users.services.contacts import (
    CONTACT_FIELDS,
    EMAIL_CHANGE_INTERVAL,
    EmailChange,
    contact_email_check,
    contact_email_set,
)
from users.services.csm import CSM_DEFAULT_LANGUAGE, CSM_MAIL_INTERVAL, csm_language
from users.services.notices import ACCESS_NOTICE_INTERVAL, access_notice_send
from users.services.removal import contact_deactivate, membership_remove
from users.services.staff import (
    STAFF_CONTACT_FIELDS,
    contact_block,
    contact_changes_record,
    contact_unblock,
)
from users.services.welcome import (
    WELCOME_MAIL_INTERVAL,
    WELCOME_SENDER_WINDOW,
    WelcomeLimit,
    WelcomeResult,
    welcome_refusal,
    welcome_resend,
    welcome_send,
)

__all__ = [
    "ACCESS_NOTICE_INTERVAL",
    "CONTACT_FIELDS",
    "CSM_DEFAULT_LANGUAGE",
    "CSM_MAIL_INTERVAL",
    "EMAIL_CHANGE_INTERVAL",
    "STAFF_CONTACT_FIELDS",
    "WELCOME_MAIL_INTERVAL",
    "WELCOME_SENDER_WINDOW",
    "AccessAdded",
    "AccessUpdated",
    "EmailChange",
    "WelcomeLimit",
    "WelcomeResult",
    "access_notice_send",
    "contact_block",
    "contact_changes_record",
    "contact_deactivate",
    "contact_email_check",
    "contact_email_set",
    "contact_unblock",
    "csm_language",
    "membership_add",
    "membership_remove",
    "membership_update",
    "welcome_refusal",
    "welcome_resend",
    "welcome_send",
]
