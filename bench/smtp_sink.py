"""A mail server that keeps what it receives, for bench/topology.py: the portal's real SMTP backend sends to it, and
the script counts the messages there (per letter, per receipt) after the Celery worker was killed and restarted.

Enough SMTP for Django's backend (smtplib): EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. Every message is kept in
memory and written to a file of its own in `folder`, in the order it arrived.
"""

import contextlib
import email
import email.policy
import socketserver
import threading
from pathlib import Path

HOST = "127.0.0.1"


class _Session(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        with contextlib.suppress(ConnectionError):  # a client killed mid-session: nothing of it was kept
            self._converse()

    def _converse(self):
        self.reply("220 sink ESMTP")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", errors="replace").upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line[8:].decode("utf-8", errors="replace").strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.keep(self._read_data(), recipients)
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            elif verb in ("HELO", "RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")

    def _read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpSink(socketserver.ThreadingTCPServer):
    """Serves on a free port of 127.0.0.1 in a thread of its own; a context manager."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, folder):
        super().__init__((HOST, 0), _Session)
        self.port = self.server_address[1]
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.messages = []
        self._parsed = []
        self._lock = threading.Lock()

    def keep(self, data, recipients):
        with self._lock:
            self.messages.append((data, tuple(recipients)))
            (self.folder / f"{len(self.messages):06d}.eml").write_bytes(data)

    def parsed(self):
        """The messages received so far, as email.message.EmailMessage objects (each parsed once)."""
        with self._lock:
            new = self.messages[len(self._parsed) :]
            self._parsed.extend(email.message_from_bytes(data, policy=email.policy.default) for data, _to in new)
            return list(self._parsed)

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self.shutdown()
        self.server_close()


def message_id(message):
    """The message's Message-ID header (the portal's outbox mails carry one per outbox row, the same on a resend)."""
    return str(message["Message-ID"] or "").strip()


def attachment_names(message):
    """The file names of a message's attachments."""
    return [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
