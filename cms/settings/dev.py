"""Local development: DEBUG on, secrets made once per checkout, SQLite unless DATABASE_URL set."""

import os

from cms.dev_secrets import checkout_secret

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or checkout_secret("secret-key")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Serve admin and userbar assets without collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Set but empty (as `make run` does while loading the demo) turns revalidation off.
if "REVALIDATE_SECRET" in os.environ:
    REVALIDATE_SECRET = os.environ["REVALIDATE_SECRET"]
else:
    REVALIDATE_SECRET = checkout_secret("revalidate-secret")
