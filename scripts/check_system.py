"""Checks the system packages the portal needs from Debian, with a message that says what to install."""

import shutil
import sys
from pathlib import Path

problems = []
try:
    import weasyprint  # noqa: F401  (loads Pango through cffi)
except OSError as error:
    problems.append(
        f"WeasyPrint cannot load Pango ({error}).\n"
        "  Install it with: apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    )
if shutil.which("msgfmt") is None:
    problems.append(
        "msgfmt (GNU gettext) is missing; it compiles the Dutch translations.\n"
        "  Install it with: apt-get install -y gettext"
    )
if not any(Path("/usr/share/fonts").glob("truetype/*/Symbola*.ttf")):
    problems.append(
        "The font Symbola is missing; PDFs print emoji and symbols that DejaVu lacks with it, not as empty boxes.\n"
        "  Install it with: apt-get install -y fonts-symbola"
    )

if problems:
    print("The portal needs system packages that are missing:", file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    sys.exit(1)
