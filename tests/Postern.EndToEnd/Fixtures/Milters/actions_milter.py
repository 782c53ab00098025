#!/usr/bin/python3
"""A milter for the end-to-end tests, on Debian's python3-milter (libmilter underneath).

It does what the message asks, so one filter exercises every action a milter has:

* At end of message, each "X-Test-Action:" header of the message, in order:
    add-header NAME VALUE         smfi_addheader
    insert-header INDEX NAME VALUE smfi_insheader (INDEX 0: above every header)
    change-header NAME INDEX VALUE smfi_chgheader
    delete-header NAME INDEX      smfi_chgheader with no value
    replace-body TEXT             smfi_replacebody ("\\n" in TEXT is a line end), sent in 3 chunks
    add-rcpt ADDRESS              smfi_addrcpt
    add-rcpt-par ADDRESS PARAMS   smfi_addrcpt_par
    del-rcpt ADDRESS              smfi_delrcpt
    chg-from ADDRESS [PARAMS]     smfi_chgfrom
    quarantine REASON             smfi_quarantine
    progress                      smfi_progress
    reply CODE XCODE LINE|LINE    smfi_setmlreply, then refuse (reject for 5xx, tempfail for 4xx)
    reject | tempfail | discard | accept   the end-of-message verdict
* Earlier, by the envelope: HELO reject-helo.test is refused; MAIL FROM a local part
  reject-mail, tempfail-mail is refused at MAIL; RCPT TO reject-rcpt, tempfail-rcpt, reply-rcpt
  (a multi-line 550) is refused at RCPT, that recipient only.
* It reports what it saw, one JSON object a line, to the file given with --report: per callback
  the stage, its arguments (at end of headers and of message: the header names, the X-Token
  header's value), and every macro of MACROS the MTA made visible there.
"""
import argparse
import json
import sys
import threading

import Milter

MACROS = [
    "j", "_", "i", "v", "{daemon_name}", "{daemon_addr}", "{daemon_port}", "{if_name}", "{if_addr}",
    "{client_addr}", "{client_name}", "{client_port}", "{client_ptr}", "{client_resolve}",
    "{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}", "{verify}",
    "{auth_type}", "{auth_authen}", "{auth_ssf}", "{auth_author}",
    "{mail_addr}", "{mail_host}", "{mail_mailer}", "{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}", "{msg_id}",
]

_report_lock = threading.Lock()
_report_file = None


def report(entry):
    with _report_lock:
        _report_file.write(json.dumps(entry) + "\n")
        _report_file.flush()


def local_part(address):
    return address.strip("<>").split("@", 1)[0].lower()


class ActionsMilter(Milter.Base):
    """One instance per SMTP connection (libmilter's thread for it)."""

    _connections = 0
    _count_lock = threading.Lock()

    def __init__(self):
        with ActionsMilter._count_lock:
            ActionsMilter._connections += 1
            self.connection = ActionsMilter._connections
        self.actions = []
        self.headers = []
        self.token = None
        self.body_bytes = 0

    def see(self, stage, **arguments):
        macros = {}
        for name in MACROS:
            value = self.getsymval(name)
            if value is not None:
                macros[name] = value
        report({"connection": self.connection, "stage": stage, "arguments": arguments, "macros": macros})

    def connect(self, hostname, family, hostaddr):
        self.see("connect", hostname=hostname, address=str(hostaddr[0]) if isinstance(hostaddr, tuple) else str(hostaddr))
        return Milter.CONTINUE

    def hello(self, name):
        self.see("helo", name=name)
        return Milter.REJECT if name.lower() == "reject-helo.test" else Milter.CONTINUE

    def envfrom(self, sender, *parameters):
        self.actions, self.headers, self.token, self.body_bytes = [], [], None, 0
        self.see("mail", sender=sender, parameters=list(parameters))
        verdict = {"reject-mail": Milter.REJECT, "tempfail-mail": Milter.TEMPFAIL}
        return verdict.get(local_part(sender), Milter.CONTINUE)

    def envrcpt(self, recipient, *parameters):
        self.see("rcpt", recipient=recipient, parameters=list(parameters))
        part = local_part(recipient)
        if part == "reply-rcpt":
            self.setreply("550", "5.7.1", "this recipient is refused", "by the test milter, second line")
            return Milter.REJECT
        return {"reject-rcpt": Milter.REJECT, "tempfail-rcpt": Milter.TEMPFAIL}.get(part, Milter.CONTINUE)

    def data(self):
        self.see("data")
        return Milter.CONTINUE

    def header(self, name, value):
        self.headers.append(name)
        if name.lower() == "x-test-action":
            self.actions.append(value.strip())
        elif name.lower() == "x-token":
            self.token = value.strip()
        return Milter.CONTINUE

    def eoh(self):
        self.see("eoh", headers=self.headers, token=self.token)
        return Milter.CONTINUE

    def body(self, chunk):
        self.body_bytes += len(chunk)
        return Milter.CONTINUE

    def eom(self):
        self.see("eom", headers=self.headers, token=self.token, body_bytes=self.body_bytes, actions=self.actions)
        verdict = Milter.CONTINUE
        for action in self.actions:
            verb, _, rest = action.partition(" ")
            words = rest.split()
            if verb == "add-header":
                self.addheader(words[0], rest.split(" ", 1)[1])
            elif verb == "insert-header":
                self.addheader(words[1], rest.split(" ", 2)[2], int(words[0]))
            elif verb == "change-header":
                self.chgheader(words[0], int(words[1]), rest.split(" ", 2)[2])
            elif verb == "delete-header":
                self.chgheader(words[0], int(words[1]), None)
            elif verb == "replace-body":
                text = rest.replace("\\n", "\r\n").encode("utf-8")
                third = max(1, len(text) // 3)
                for start in range(0, len(text), third):
                    self.replacebody(text[start:start + third])
            elif verb == "add-rcpt":
                self.addrcpt(words[0])
            elif verb == "add-rcpt-par":
                self.addrcpt(words[0], " ".join(words[1:]))
            elif verb == "del-rcpt":
                self.delrcpt(words[0])
            elif verb == "chg-from":
                self.chgfrom(words[0], " ".join(words[1:]) or None)
            elif verb == "quarantine":
                self.quarantine(rest)
            elif verb == "progress":
                self.progress()
            elif verb == "reply":
                code, xcode, text = rest.split(" ", 2)
                self.setreply(code, xcode, *text.split("|"))
                verdict = Milter.REJECT if code.startswith("5") else Milter.TEMPFAIL
            elif verb in ("reject", "tempfail", "discard", "accept"):
                verdict = {"reject": Milter.REJECT, "tempfail": Milter.TEMPFAIL,
                           "discard": Milter.DISCARD, "accept": Milter.ACCEPT}[verb]
        return verdict

    def abort(self):
        self.see("abort")
        return Milter.CONTINUE

    def close(self):
        report({"connection": self.connection, "stage": "close", "arguments": {}, "macros": {}})
        return Milter.CONTINUE


def main():
    global _report_file
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, help="libmilter's socket, e.g. inet:8894@127.0.0.1")
    parser.add_argument("--report", required=True, help="the file the JSON lines go to")
    options = parser.parse_args()
    _report_file = open(options.report, "a", encoding="utf-8")
    Milter.factory = ActionsMilter
    # Every action this filter may take, asked for at negotiation.
    Milter.set_flags(Milter.ADDHDRS | Milter.CHGHDRS | Milter.CHGBODY | Milter.ADDRCPT | Milter.ADDRCPT_PAR
                     | Milter.DELRCPT | Milter.CHGFROM | Milter.QUARANTINE)
    print("actions_milter: listening on " + options.socket, flush=True)
    Milter.runmilter("actions", options.socket, timeout=60)


if __name__ == "__main__":
    sys.exit(main())
