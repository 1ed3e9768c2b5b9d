"""Document uploads through the real admin: only the types a council publishes, and only
files whose content matches their extension; documents are served safely."""

import importlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, URLResolver, reverse
from django.urls.resolvers import RegexPattern
from wagtail.documents import get_document_model

from pages.demo_pdf import build_pdf

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_package(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


ODT = zip_package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
DOCX = zip_package({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"})
XLSX = zip_package({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"})

ACCEPTED = [
    ("report.pdf", "pdf"),
    ("report.docx", DOCX),
    ("report.odt", ODT),
    ("figures.xlsx", XLSX),
    ("figures.ods", zip_package({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
    ("figures.csv", b"year,reviews\n2017,1\n"),
    ("notes.txt", "Notes with a pound sign: \u00a3".encode("cp1252")),
]

REFUSED = [
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "File extension"),
    ("page.html", HTML, "File extension"),
    ("logo.svg", SVG, "File extension"),
    ("report.pdf", HTML, "not a real .pdf file: it does not start like a PDF"),
    ("report.docx", b"%PDF-1.7 not a zip", "not a real .docx file: office documents are zip"),
    ("report.docx", ODT, "not a real .docx file: its package has no document part"),
    ("report.odt", DOCX, "not a real .odt file: the package is damaged"),
    ("report.odt", zip_package({"mimetype": "text/html"}), "its package says it is text/html"),
    ("notes.txt", HTML, "not a real .txt file: it is a web page or image"),
    ("figures.csv", b"a,b\x00\x00\x01", "not a real .csv file: it contains binary data"),
]


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def upload(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), ACCEPTED, ids=[name for name, _ in ACCEPTED])
def test_council_document_types_upload(editor_client, name, content):
    if content == "pdf":
        content = build_pdf("Report", [["A line of text."]])
    response = upload(editor_client, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert get_document_model().objects.filter(title=name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"), REFUSED, ids=[f"{n}-{r[:20]}" for n, _, r in REFUSED]
)
def test_unsafe_or_mislabelled_uploads_are_refused_with_the_reason(
    editor_client, name, content, reason
):
    response = upload(editor_client, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(reason in error for error in errors), errors
    assert not get_document_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [("report.pdf", "pdf", "inline"), ("report.docx", DOCX, "attachment")],
)
def test_documents_are_served_with_a_sandbox_and_no_sniffing(
    editor_client, client, name, content, disposition
):
    if content == "pdf":
        content = build_pdf("Report", [["A line of text."]])
    upload(editor_client, name, content)
    document = get_document_model().objects.get(title=name)
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.get("Content-Disposition", "inline").startswith(disposition)


def test_no_url_serves_the_media_folder_raw_even_in_development(settings):
    """Private-collection files must only go out through Wagtail's view, which checks privacy."""
    settings.DEBUG = True  # as under `make run`
    urls = importlib.reload(importlib.import_module("cms.urls"))
    resolver = URLResolver(RegexPattern(r"^/"), urls.urlpatterns)
    with pytest.raises(Resolver404):
        resolver.resolve("/media/documents/report.pdf")
