"""The audit's browser-side code: each ``<name>.js`` here declares one function, ``name``.

The files are plain JavaScript (lintable as such); this loader only puts the functions a script
needs in front of the one line that calls them. Scripts run as the body of WebDriver's
``execute_script``/``execute_async_script`` (or of ``DevToolsTab.run_async``, which takes the
same), so the declarations stay local to the script: nothing reaches the page's global scope.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def source(name: str) -> str:
    """The text of ``<name>.js``, read once per process."""
    return resources.files(__name__).joinpath(f"{name}.js").read_text(encoding="utf8")


def declarations(*names: str) -> str:
    return "\n".join(source(name) for name in names)


def call_script(name: str, *helpers: str) -> str:
    """A WebDriver script that calls ``name`` with its arguments and returns its value."""
    return f"{declarations(*helpers, name)}\nreturn {name}(...arguments);\n"


def async_call_script(call: str, *names: str) -> str:
    """A WebDriver async script: declares ``names``, evaluates the JavaScript expression
    ``call`` (``args`` holds the script's arguments) and answers with what it resolves to, or
    with ``{error}`` when it rejects (else WebDriver would wait out its script timeout)."""
    return (
        f"{declarations(*names)}\n"
        "const args = [...arguments];\n"
        "const done = args.pop();\n"
        f"Promise.resolve({call}).then(done, (error) =>\n"
        "  done({ error: String((error && error.message) || error) }));\n"
    )


def on_new_document(name: str) -> str:
    """Source to register with the browser: calls ``name`` once, first thing in each document."""
    return f"({source(name)})();\n"
