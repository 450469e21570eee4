"""An e-mail backend for fault tests whose sends can be counted across processes.

Each message becomes one file `<timestamp>-<pid>-<n>.eml` in $QUAI_TEST_MAIL_DIR, written only
after $QUAI_TEST_MAIL_DELAY seconds: a worker killed during that pause has claimed the message but
not sent it, which is what a crash in the middle of an SMTP conversation looks like.
"""

import itertools
import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

_counter = itertools.count()


class CountingFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = Path(os.environ["QUAI_TEST_MAIL_DIR"])
        delay = float(os.environ.get("QUAI_TEST_MAIL_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            name = f"{time.time_ns()}-{os.getpid()}-{next(_counter)}.eml"
            (directory / (name + ".part")).write_bytes(message.message().as_bytes())
            (directory / (name + ".part")).rename(directory / name)  # complete files only
        return len(email_messages)


def sent_to(directory: Path) -> list[str]:
    """The recipient of every message sent so far, one entry per message."""
    from email import message_from_bytes

    return sorted(message_from_bytes(path.read_bytes())["To"] for path in directory.glob("*.eml"))
