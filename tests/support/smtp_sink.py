#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests and bench/outbox.sh
(python3-aiosmtpd). Records every message it accepts as one JSON line of
--log: {"message_id", "from", "to", "subject", "list_unsubscribe",
"list_unsubscribe_post", "text", "html", "raw"}.

Failure on demand: while the file --control exists, every message is
answered with its content (e.g. "451 4.3.0 try later" or "550 5.1.1 no such
user") instead of being accepted. Prints "listening PORT" once ready, and
stops on SIGTERM/SIGINT.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, log_path, control_path):
        self.log = open(log_path, "a", buffering=1, encoding="utf-8")
        self.control = control_path

    async def handle_DATA(self, server, session, envelope):
        if self.control and os.path.exists(self.control):
            with open(self.control, encoding="utf-8") as f:
                answer = f.read().strip()
            if answer:
                return answer
        raw = envelope.content.decode("utf-8", "replace") if isinstance(
            envelope.content, bytes) else envelope.content
        msg = email.message_from_string(raw, policy=email.policy.default)
        text = html = ""
        for part in msg.walk():
            ctype = part.get_content_type()
            if ctype == "text/plain" and not text:
                text = part.get_content()
            elif ctype == "text/html" and not html:
                html = part.get_content()
        record = {
            "message_id": str(msg.get("Message-ID", "")),
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(msg.get("Subject", "")),
            "list_unsubscribe": str(msg.get("List-Unsubscribe", "") or ""),
            "list_unsubscribe_post": str(msg.get("List-Unsubscribe-Post", "") or ""),
            "text": text,
            "html": html,
            "raw": raw,
        }
        self.log.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 2.0.0 queued"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log", required=True)
    p.add_argument("--control", default="")
    a = p.parse_args()
    handler = Recorder(a.log, a.control)
    port = a.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            data_size_limit=1 << 20)
    controller.start()
    print("listening %d" % port, flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
