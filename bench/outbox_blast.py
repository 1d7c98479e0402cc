#!/usr/bin/env python3
"""The sinks' own maximum rate, for bench/outbox.sh: a plain client blasting
the SMTP sink (smtplib, one kept connection per thread) or the SMS gateway
(http.client, one kept connection per thread) with N messages from THREADS
threads. Prints "N SECONDS RATE".

usage: outbox_blast.py smtp|sms PORT N THREADS
"""
import http.client
import json
import smtplib
import sys
import threading
import time
import uuid


def blast_smtp(port, n, out):
    s = smtplib.SMTP("127.0.0.1", port)
    for i in range(n):
        mid = "<%s@blast.test>" % uuid.uuid4().hex
        msg = ("From: blast@blast.test\r\nTo: sink@parcours.test\r\nSubject: blast\r\n"
               "Message-ID: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "\r\nblast %d\r\n" % (mid, i))
        s.sendmail("blast@blast.test", ["sink@parcours.test"], msg)
    s.quit()
    out.append(n)


def blast_sms(port, n, out):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(n):
        key = uuid.uuid4().hex
        body = json.dumps({"to": "+33600000000", "text": "blast %d" % i, "idempotency_key": key})
        c.request("POST", "/sms", body, {"Content-Type": "application/json", "Idempotency-Key": key})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("gateway answered %d" % r.status)
    c.close()
    out.append(n)


def main():
    kind, port, n, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    fn = blast_smtp if kind == "smtp" else blast_sms
    per = n // threads
    done = []
    start = time.monotonic()
    ts = [threading.Thread(target=fn, args=(port, per, done)) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    secs = time.monotonic() - start
    total = sum(done)
    print("%d %.2f %.0f" % (total, secs, total / secs))


if __name__ == "__main__":
    main()
