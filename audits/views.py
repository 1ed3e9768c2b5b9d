"""``POST /audits/results/``: where ``a11y-audit --publish-to`` posts a site audit.

Authenticated by a bearer token (one made in the admin, or ``AUDIT_PUBLISH_TOKEN``), so no
CSRF token is asked for. The request is refused by its Content-Length before a byte is read;
the body is either ``results.json`` itself (``application/json``) or ``multipart/form-data``
with a ``results`` part and, optionally, a ``screenshots`` zip of the images its rows name.
Everything is stored in one transaction or nothing is; every refusal is problem+json saying why.
"""

import hmac
import json
import zipfile

from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v3.errors import problem_response

from .conf import audits_settings
from .importing import DocumentRejected, import_document
from .models import AuditPublishToken, AuditRun

JSON = "application/json"
MULTIPART = "multipart/form-data"


@csrf_exempt
def receive_results(request):
    if request.method != "POST":
        problem = problem_response(status=405, detail="Post results.json here.")
        problem["Allow"] = "POST"
        return problem
    if not _authorised(request):
        problem = problem_response(
            status=401,
            detail="Send a publishing token made in the CMS admin: Authorization: Bearer <token>.",
        )
        problem["WWW-Authenticate"] = 'Bearer realm="audits"'
        return problem
    refusal = _size_refusal(request.META.get("CONTENT_LENGTH"))
    if refusal:
        return refusal
    try:
        document, screenshots = _read_body(request)
        run = import_document(document, screenshots, source=AuditRun.Source.CLI_PUBLISH)
    except DocumentRejected as rejected:
        return problem_response(
            status=rejected.status,
            detail=rejected.detail,
            errors=[{"detail": error} for error in rejected.errors] or None,
        )
    return JsonResponse(
        {"run": run.pk, "results": run.result_count, "complete": run.complete}, status=201
    )


def _authorised(request) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return False
    configured = audits_settings.AUDIT_PUBLISH_TOKEN
    if configured and hmac.compare_digest(token.encode(), configured.encode()):
        return True
    # Looked up by hash: the database never holds anything a caller could present.
    return bool(
        AuditPublishToken.objects.filter(token_hash=AuditPublishToken.hash_of(token)).update(
            last_used_at=timezone.now()
        )
    )


def _size_refusal(content_length: str | None):
    if not content_length or not content_length.isdigit():
        return problem_response(status=411, detail="Send the body with a Content-Length.")
    limit = audits_settings.AUDIT_PUBLISH_MAX_BYTES
    if int(content_length) > limit:
        return problem_response(
            status=413,
            detail=f"The body is {int(content_length)} bytes; this CMS takes at most {limit} "
            "(AUDIT_PUBLISH_MAX_BYTES). Audit with --no-screenshots to send less.",
        )
    return None


def _read_body(request) -> tuple[object, dict[str, bytes]]:
    if request.content_type == JSON:
        return _parse(request.read()), {}
    if request.content_type != MULTIPART:
        raise DocumentRejected(
            f"Send {JSON} (results.json) or {MULTIPART} (results and screenshots), "
            f"not {request.content_type or 'no content type'}.",
            status=415,
        )
    try:
        results = request.FILES.get("results")
        archive = request.FILES.get("screenshots")
    except MultiPartParserError as error:
        raise DocumentRejected(f"The multipart body cannot be read: {error}", status=400) from error
    if results is None:
        raise DocumentRejected("The multipart body has no results part (results.json).")
    return _parse(results.read()), _unzip(archive)


def _parse(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise DocumentRejected(
            f"results.json is not JSON (cut short, or not the file?): {error}", status=400
        ) from error


def _unzip(archive) -> dict[str, bytes]:
    if archive is None:
        return {}
    try:
        with zipfile.ZipFile(archive) as screenshots:
            members = [member for member in screenshots.infolist() if not member.is_dir()]
            # Sizes as declared: reading never unpacks more than that.
            unpacked = sum(member.file_size for member in members)
            if unpacked > audits_settings.AUDIT_PUBLISH_MAX_BYTES:
                raise DocumentRejected(
                    f"The screenshots unpack to {unpacked} bytes, more than this CMS takes.",
                    status=413,
                )
            return {member.filename: screenshots.read(member) for member in members}
    except zipfile.BadZipFile as error:
        raise DocumentRejected(f"screenshots is not a zip archive: {error}", status=400) from error
