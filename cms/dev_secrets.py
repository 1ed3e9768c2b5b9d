"""Development secrets nobody else knows: made at random once per checkout, kept in var/.

A published default would let anyone forge preview tokens and revalidation calls against a
`make run` site. ``python -m cms.dev_secrets NAME`` prints one, so `make run` can hand the
same revalidation secret to the CMS and the frontend.
"""

import os
import secrets
import sys
import tempfile
from pathlib import Path

SECRETS_DIR = Path(__file__).resolve().parent.parent / "var" / "secrets"


def checkout_secret(name: str, folder: Path = SECRETS_DIR) -> str:
    """The secret called ``name``, created (readable by its owner only) on first use."""
    path = folder / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: two processes starting at once both end up
    # with whichever file was linked first, never with a half-written one.
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as draft:
        draft.write(secrets.token_urlsafe(48))
    try:
        os.chmod(draft.name, 0o600)
        os.link(draft.name, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft.name)
    return path.read_text().strip()


if __name__ == "__main__":
    print(checkout_secret(sys.argv[1]))
