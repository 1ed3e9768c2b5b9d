"""Tells the frontend which paths changed, so it drops its cached copies at once.

The affected frontend paths (worked out in ``signal_handlers``) are posted to
the frontend's ``/_revalidate``, signed with HMAC-SHA256 over the shared
``REVALIDATE_SECRET`` and a timestamp (docs/api.md, Revalidation). The call is
made after the transaction commits and never fails the editor's action: if the
frontend is down, its caches simply expire on their own.
"""

import hashlib
import hmac
import json
import logging
import time
import uuid

import httpx
from django.db import transaction

from .conf import api_settings

log = logging.getLogger(__name__)


def sign_revalidation(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Revalidate-Signature value: HMAC-SHA256 over "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def post_paths(paths) -> None:
    """Send one signed revalidation call; failures are logged, never raised."""
    paths = sorted({path for path in paths if path})
    secret = api_settings.REVALIDATE_SECRET
    if not paths or not secret:
        return
    # A fresh id makes every call unique: the frontend refuses a signed body it has seen
    # before, and the same paths may well change twice within one timestamp second.
    body = json.dumps({"paths": paths, "id": uuid.uuid4().hex}).encode()
    timestamp = str(int(time.time()))
    try:
        response = httpx.post(
            api_settings.FRONTEND_REVALIDATE_URL,
            content=body,
            headers={
                "Content-Type": "application/json",
                "X-Revalidate-Timestamp": timestamp,
                "X-Revalidate-Signature": sign_revalidation(secret, timestamp, body),
            },
            timeout=api_settings.FRONTEND_REVALIDATE_TIMEOUT,
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        log.warning("Could not revalidate %s on the frontend: %r", ", ".join(paths), error)


def post_paths_after_commit(paths) -> None:
    transaction.on_commit(lambda: post_paths(paths))
