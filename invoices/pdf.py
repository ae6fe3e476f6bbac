"""Invoice PDFs for the demo data and tests, drawn with fpdf2.

Real invoices come from the billing system (``import_invoices``); the portal never renders
them. The document is always Dutch: the interface language never changes an invoice (R8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fpdf import FPDF

if TYPE_CHECKING:
    from invoices.models import Invoice

KIND_TITLES = {"invoice": "Factuur", "credit": "Creditfactuur", "correction": "Correctiefactuur"}


def _money(value) -> str:
    text = f"{value:,.2f}"
    return "EUR " + text.replace(",", "X").replace(".", ",").replace("X", ".")


def _new_document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creator("Mijn organisatie (demo)")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    return pdf


def render_invoice_pdf(invoice: Invoice) -> bytes:
    pdf = _new_document()
    pdf.set_title(f"{KIND_TITLES[invoice.kind]} {invoice.number}")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(text="HR & Payroll Software B.V.", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.cell(text="Voorbeeldstraat 1, 3511 AA Utrecht - demo", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", size=11)
    for line in invoice.billing_address_lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(text=f"{KIND_TITLES[invoice.kind]} {invoice.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    rows = [
        ("Factuurdatum", invoice.invoice_date.strftime("%d-%m-%Y")),
        ("Vervaldatum", invoice.due_date.strftime("%d-%m-%Y")),
        ("Debiteurnummer", invoice.organisation.debtor_number),
    ]
    if invoice.corrects_id:
        rows.append(("Correctie op factuur", invoice.corrects.number))
    for label, value in rows:
        pdf.cell(50, 7, label)
        pdf.cell(text=value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    sign = -1 if invoice.kind == "credit" else 1
    for label, value in [
        ("Bedrag excl. btw", invoice.amount_excl_vat),
        ("Btw 21%", invoice.vat_amount),
        ("Totaal incl. btw", invoice.amount_incl_vat),
    ]:
        pdf.cell(50, 7, label)
        pdf.cell(40, 7, _money(sign * value), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", size=9)
    # Plain cells, not multi_cell: line breaking costs more than the whole rest of the page.
    pdf.cell(
        text=f"Vermeld bij betaling het factuurnummer {invoice.number}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(text="Dit is een voorbeeldfactuur uit de demogegevens van Mijn organisatie.")
    return bytes(pdf.output())
