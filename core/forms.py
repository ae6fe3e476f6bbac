"""What the apps' forms share: where the keyboard focus lands when a form page opens."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class FocusFirstErrorMixin:
    """Puts ``autofocus`` on the first field with an error, so a keyboard user lands on it.

    Errors come from field validation, from the model's validation (a ModelForm) and, later,
    from a service's ValidationError added by the view; all pass through ``add_error``. An
    unbound form puts the focus on ``initial_focus``, if named.
    """

    initial_focus: str | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.initial_focus in self.fields:
            self.fields[self.initial_focus].widget.attrs["autofocus"] = True

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        first = next((name for name in self.fields if name in self._errors), None)
        for name, bound_field in self.fields.items():
            bound_field.widget.attrs.pop("autofocus", None)
            if name == first:
                bound_field.widget.attrs["autofocus"] = True

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError on the form: errors of the form's own fields there, the
        rest (other fields of the model, or none) above the form, so nothing is lost."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = field if field in self.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            self.add_error(target, errors)
