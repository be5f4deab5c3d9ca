"""Links in text that the portal mails: a mail text, an organisation's name or a person's name may hold no web or
e-mail address of its own, so a mail never carries a link the portal did not make (issue 16)."""

import re

DOT = r"[.\uff0e\u3002]"  # a full stop, and the full-width and ideographic ones that some mail programs link too
LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
HOST = rf"(?<![\w.-])(?:{LABEL}{DOT})+(?:[^\W\d_]{{2,63}}|xn--[\w-]+)(?![\w-])(?::\d+)?(?:/\S*)?"

# Each pattern starts only where a word starts (a look-behind) and repeats only a bounded part, so the search stays
# linear in the length of the text whatever it holds (a run of 100 000 letters or hyphens included).
LINK = re.compile(
    "|".join(
        [
            r"(?<![\w+.-])[a-z][a-z0-9+.-]{0,30}://\S*",  # https://…, ftp://…
            r"(?<![\w+.-])(?:mailto|javascript|data|file|callto|sms):\S*",
            rf"(?<![\w.-])www\d{{0,3}}{DOT}\S*",
            rf"(?<![\w.+-])[\w.+-]{{1,64}}@{LABEL}(?:{DOT}{LABEL})+",  # an e-mail address
            HOST,  # a bare host: evil.example, evil.example/login
        ]
    ),
    re.IGNORECASE,
)


def find_link(text):
    """The first web address, e-mail address or bare host in `text`, as written there; None when there is none."""
    match = LINK.search(text or "")
    return match.group() if match else None
