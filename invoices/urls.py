from __future__ import annotations

from django.urls import path

from invoices import views

app_name = "invoices"

urlpatterns = [
    path("", views.invoice_list_view, name="list"),
    path("export.csv", views.invoice_export_csv, name="export_csv"),
    path("download.zip", views.invoice_download_zip, name="download_zip"),
    path("<str:number>.pdf", views.invoice_download, name="download"),
    path("<str:number>/", views.invoice_detail_view, name="detail"),
]
