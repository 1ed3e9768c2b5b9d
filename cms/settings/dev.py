"""Local development: DEBUG on, a throwaway secret key, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Serve admin and userbar assets without collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
REVALIDATE_SECRET = os.environ.get("REVALIDATE_SECRET", "dev-only-revalidate-secret")
