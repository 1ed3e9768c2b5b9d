"""Checks the CMS's signed "these paths changed" calls (docs/api.md, Revalidation)."""

import hashlib
import hmac
import time


class SignatureMissing(Exception):
    """No signature or timestamp: the caller did not even try (401)."""


class SignatureRejected(Exception):
    """A wrong signature, or one made too long ago or in the future (403)."""


def sign_revalidation(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Revalidate-Signature value: HMAC-SHA256 over "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signing_time(timestamp: str | None, signature: str | None, max_age: int, now=None) -> int:
    """When the call was signed (unix seconds), if it says it was signed recently; raise if it
    carries no signature, or one made too long ago or in the future.

    Needs only the headers, so calls that fail it are refused before their body is read.
    """
    if not timestamp or not signature:
        raise SignatureMissing("X-Revalidate-Timestamp and X-Revalidate-Signature are required")
    try:
        signed_at = int(timestamp)
    except ValueError as error:
        raise SignatureRejected("X-Revalidate-Timestamp must be unix seconds") from error
    now = time.time() if now is None else now
    if abs(now - signed_at) > max_age:
        raise SignatureRejected("the signature is too old or from the future")
    return signed_at


def verify(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, max_age: int, now=None
) -> None:
    """Raise unless ``signature`` is HMAC-SHA256 over "<timestamp>.<body>" made recently."""
    signing_time(timestamp, signature, max_age, now)
    if not secret or not hmac.compare_digest(sign_revalidation(secret, timestamp, body), signature):
        raise SignatureRejected("the signature does not match")
