"""The audits app's options, each with its default, read from Django's settings when used
(so ``settings``/``override_settings`` change them like any other setting)."""

from pathlib import Path

from django.conf import settings

from a11y_tests.config import DEFAULT_BASELINE, BrowserSettings


class AuditsSettings:
    @property
    def AUDIT_PUBLISH_TOKEN(self) -> str:
        """A token a11y-audit may post results with besides those made in the admin."""
        return getattr(settings, "AUDIT_PUBLISH_TOKEN", "")

    @property
    def AUDIT_PUBLISH_MAX_BYTES(self) -> int:
        """The largest request /audits/results/ reads, refused from its Content-Length."""
        return getattr(settings, "AUDIT_PUBLISH_MAX_BYTES", 20 * 1024 * 1024)

    @property
    def AUDIT_HISTORY_LENGTH(self) -> int:
        """Results kept per page (or address) and viewport; older ones are pruned."""
        return getattr(settings, "AUDIT_HISTORY_LENGTH", 10)

    @property
    def AUDIT_BASELINE(self) -> Path | None:
        """Accepted findings applied to audits run on publish: the audit's own baseline.toml."""
        return getattr(settings, "AUDIT_BASELINE", DEFAULT_BASELINE)

    @property
    def AUDIT_BROWSER(self) -> BrowserSettings:
        """The browser audits on publish drive: the audit CLI's defaults (``A11Y_CHROMIUM``,
        ``A11Y_CHROMEDRIVER``, ``A11Y_GRID_URL``) unless AUDIT_CHROMIUM or AUDIT_CHROMEDRIVER
        say otherwise."""
        defaults = BrowserSettings()
        return BrowserSettings(
            chromium_binary=getattr(settings, "AUDIT_CHROMIUM", defaults.chromium_binary),
            chromedriver=getattr(settings, "AUDIT_CHROMEDRIVER", defaults.chromedriver),
            remote_url=defaults.remote_url,
        )

    @property
    def AUDIT_FRONTEND_RETRIES(self) -> int:
        """Attempts at an audit while the frontend does not answer (it may still be starting)."""
        return getattr(settings, "AUDIT_FRONTEND_RETRIES", 3)

    @property
    def AUDIT_FRONTEND_RETRY_DELAY(self) -> float:
        """Seconds between those attempts."""
        return getattr(settings, "AUDIT_FRONTEND_RETRY_DELAY", 5.0)

    @property
    def AUDIT_MOVED_DESCENDANTS_MAX(self) -> int:
        """Pages below a moved page queued for an audit at their new address; a bigger move
        waits for the next whole-site audit."""
        return getattr(settings, "AUDIT_MOVED_DESCENDANTS_MAX", 200)

    @property
    def AUDIT_STATEMENT_MAX_AGE_DAYS(self) -> int:
        """Days after which the accessibility statement no longer trusts a complete audit."""
        return getattr(settings, "AUDIT_STATEMENT_MAX_AGE_DAYS", 30)


audits_settings = AuditsSettings()
