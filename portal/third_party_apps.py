"""Third-party apps under names staff can read in both languages (the Django admin)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    # django-tasks-db names itself "Tasks Database Backend", untranslated.
    verbose_name = _("Background tasks")
