"""Accessibility audit of every published page: axe-core in headless Chromium."""
