"""A second way to compute what the selectors compute, for the tests to hold them equal."""

from invoices.reference import reference_open_balance as invoice_open_balance

__all__ = ["invoice_open_balance"]
