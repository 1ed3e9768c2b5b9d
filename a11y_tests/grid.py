"""A Selenium Grid 4 as the audit's browsers: whether it answers, and how many sessions it can
start right now (its ``/status``), so a run uses as many workers as the Grid has free slots."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

STATUS_TIMEOUT_S = 10
# What the audit's ChromeOptions ask the Grid for (Chromium's nodes offer it under this name).
BROWSER_NAME = "chrome"


class GridUnavailable(RuntimeError):
    """The Grid does not answer, or has no node that could start a browser."""


@dataclass(frozen=True)
class GridStatus:
    url: str
    nodes: int  # nodes that are up
    slots: int  # their session slots for Chrome/Chromium
    free_slots: int  # of those, the ones with no session now


def grid_status(grid_url: str) -> GridStatus:
    """Ask the Grid's ``/status``; raises GridUnavailable with what to fix.

    A plain remote WebDriver server (e.g. a chromedriver) answers ``/status`` without nodes:
    it counts as one slot.
    """
    if urlsplit(grid_url).scheme not in ("http", "https"):
        raise GridUnavailable(f"the Selenium Grid URL {grid_url!r} is not an http(s) URL")
    status_url = grid_url.rstrip("/") + "/status"
    try:
        response = httpx.get(status_url, timeout=STATUS_TIMEOUT_S)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise GridUnavailable(
            f"Selenium Grid not reachable at {grid_url} ({status_url}: {error}); start it, "
            "or fix --grid / A11Y_GRID_URL"
        ) from error
    try:
        value = response.json()["value"]
        ready = bool(value["ready"])
    except (ValueError, KeyError, TypeError) as error:
        raise GridUnavailable(
            f"{grid_url} does not answer as a Selenium Grid ({status_url} has no "
            "value.ready); fix --grid / A11Y_GRID_URL"
        ) from error
    if "nodes" in value:
        up = [node for node in value["nodes"] if node.get("availability") == "UP"]
        slots = [
            slot
            for node in up
            for slot in node.get("slots", [])
            if (slot.get("stereotype") or {}).get("browserName") == BROWSER_NAME
        ]
        status = GridStatus(
            url=grid_url,
            nodes=len(up),
            slots=len(slots),
            free_slots=sum(1 for slot in slots if slot.get("session") is None),
        )
    else:  # a single WebDriver server, ready for one session or not
        status = GridStatus(url=grid_url, nodes=int(ready), slots=int(ready), free_slots=int(ready))
    if not status.slots:
        raise GridUnavailable(
            f"the Selenium Grid at {grid_url} has no Chrome/Chromium node up "
            f"({value.get('message') or 'not ready'}); start one"
        )
    return status
