"""Gives a .env file its own random SECRET_KEY when it has none (make setup runs it, so `make run` and `make test`
start with a key nobody else knows). A key that is set is kept: changing it would log everybody out."""

import re
import secrets
import sys
from pathlib import Path

EMPTY = re.compile(r"^SECRET_KEY=[ \t]*$", re.MULTILINE)
SET = re.compile(r"^SECRET_KEY=[ \t]*\S", re.MULTILINE)


def write_secret_key(env_file: Path) -> bool:
    """True when a new key was written."""
    text = env_file.read_text()
    if SET.search(text):
        return False
    line = f"SECRET_KEY={secrets.token_urlsafe(50)}"
    if EMPTY.search(text):
        text = EMPTY.sub(line, text, count=1)
    else:
        text = text + ("" if text.endswith("\n") or not text else "\n") + line + "\n"
    env_file.write_text(text)
    env_file.chmod(0o600)  # the key signs sessions and password-reset links: for the portal's user only
    return True


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
    if write_secret_key(path):
        print(f"A random SECRET_KEY was written into {path}.")
