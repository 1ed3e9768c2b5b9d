"""Settings of one audit run, gathered in one place so the CLI, pytest and the benchmark agree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# WCAG A/AA tags whose violations fail the audit; best-practice rules are run too but only warn.
FAIL_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
WARN_TAGS = ("best-practice",)
# axe marks the data-table header check experimental, so tag selection alone never runs it;
# without it a table with no headers at all passes.
EXTRA_RULES = ("td-has-header",)

DEFAULT_BASELINE = Path(__file__).resolve().parent / "baseline.toml"


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int

    @property
    def label(self) -> str:
        return f"{self.name}-{self.width}x{self.height}"


DESKTOP = Viewport("desktop", 1280, 1024)
MOBILE = Viewport("mobile", 320, 640)
VIEWPORTS = {viewport.name: viewport for viewport in (DESKTOP, MOBILE)}
MIN_VIEWPORT_SIDE, MAX_VIEWPORT_SIDE = 200, 8000


def parse_viewport(text: str) -> Viewport:
    """Accept a known name ("desktop", "mobile") or WIDTHxHEIGHT, so CI can add sizes freely."""
    if text in VIEWPORTS:
        return VIEWPORTS[text]
    width, separator, height = text.lower().partition("x")
    if not separator or not width.isdigit() or not height.isdigit():
        raise ValueError(
            f"viewport {text!r} is neither {' nor '.join(VIEWPORTS)} "
            "nor WIDTHxHEIGHT (e.g. 320x640)"
        )
    # The browser ignores a zero size and renders at its default instead, mislabelled.
    if not (
        MIN_VIEWPORT_SIDE <= int(width) <= MAX_VIEWPORT_SIDE
        and MIN_VIEWPORT_SIDE <= int(height) <= MAX_VIEWPORT_SIDE
    ):
        raise ValueError(
            f"viewport {text!r}: width and height must be {MIN_VIEWPORT_SIDE} to "
            f"{MAX_VIEWPORT_SIDE} CSS pixels"
        )
    return Viewport(f"{int(width)}x{int(height)}", int(width), int(height))


def axe_script_path() -> Path:
    """The npm axe-core pinned in package-lock.json, not the 2018 copy bundled with the library."""
    override = os.environ.get("A11Y_AXE_SCRIPT")
    return Path(override) if override else REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def grid_url_from_environment() -> str | None:
    return os.environ.get("A11Y_GRID_URL") or os.environ.get("A11Y_REMOTE_WEBDRIVER") or None


@dataclass(frozen=True)
class BrowserSettings:
    """Where the browser lives; every path is overridable because CI machines differ."""

    chromium_binary: str = field(
        default_factory=lambda: os.environ.get("A11Y_CHROMIUM", "/usr/bin/chromium")
    )
    chromedriver: str = field(
        default_factory=lambda: os.environ.get("A11Y_CHROMEDRIVER", "/usr/bin/chromedriver")
    )
    # A Selenium Grid (or other remote WebDriver) to start every session on instead; the older
    # variable A11Y_REMOTE_WEBDRIVER still names one.
    remote_url: str | None = field(default_factory=grid_url_from_environment)
    page_load_timeout_s: float = 30.0
    script_timeout_s: float = 60.0


@dataclass(frozen=True)
class AuditSettings:
    """What to check and how strictly."""

    viewports: tuple[Viewport, ...] = (DESKTOP, MOBILE)
    fail_tags: tuple[str, ...] = FAIL_TAGS
    warn_tags: tuple[str, ...] = WARN_TAGS
    extra_rules: tuple[str, ...] = EXTRA_RULES
    best_practice_fails: bool = False
    screenshots: bool = True
    browser: BrowserSettings = field(default_factory=BrowserSettings)

    @property
    def axe_tags(self) -> list[str]:
        # The standard set always runs: narrowing what fails turns the rest into warnings
        # instead of hiding it.
        return list(dict.fromkeys(FAIL_TAGS + self.fail_tags + self.warn_tags))
