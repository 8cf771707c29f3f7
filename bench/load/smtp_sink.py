"""A local SMTP server that accepts every message and appends one JSON line per message to a
file: when, the X-PAL-Lead header (lead emails), recipients and subject, never the body (it
carries consumer details). run.py starts it, stops it for the "SMTP down" fault and counts
deliveries per lead from the file.

--delay holds the reply to DATA for that long after the message is recorded, like a real mail
gateway scanning it: a worker killed in that moment has sent a lead the app has not recorded,
the case the documented duplicate window is about.

Usage: python bench/load/smtp_sink.py --port 8025 --out sink.jsonl [--delay 0.3]
"""

import argparse
import asyncio
import json
import signal
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path: str, delay: float):
        self.path = path
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content)
        record = {
            "at": time.time(),
            "lead": message.get("X-PAL-Lead", ""),
            "to": envelope.rcpt_tos,
            "subject": message.get("Subject", ""),
        }
        # Appended and flushed before the reply: once a client could think it was sent, it is
        # on file.
        with open(self.path, "a") as out:
            out.write(json.dumps(record) + "\n")
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    controller = Controller(
        Recorder(args.out, args.delay), hostname="127.0.0.1", port=args.port, ready_timeout=10
    )
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
