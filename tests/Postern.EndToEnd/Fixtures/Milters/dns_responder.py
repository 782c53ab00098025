#!/usr/bin/python3
"""A DNS server for the end-to-end tests, on Debian's python3-dns (dnspython), UDP and TCP on one
loopback port: TXT records from a file ("name value" a line), NXDOMAIN for every other name, so a
verifier that asks DNS (Postern's authentication results) finds the test keys and nothing else.
Every socket read is bounded (one datagram; a TCP length prefix and at most that many bytes)."""
import argparse
import socket
import socketserver
import struct
import threading

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

RECORDS = {}


def answer(wire, limit):
    query = dns.message.from_wire(wire)
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    question = query.question[0]
    name = question.name.to_text().rstrip(".").lower()
    if name not in RECORDS:
        response.set_rcode(dns.rcode.NXDOMAIN)
    elif question.rdtype == dns.rdatatype.TXT:
        value = RECORDS[name]
        # One TXT record of strings of at most 255 bytes, as a zone file would hold it.
        strings = " ".join('"' + value[i:i + 255] + '"' for i in range(0, len(value), 255))
        response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", strings))
    return response.to_wire(max_size=limit)


class Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        # Over UDP: what the query's EDNS allows, else 512 bytes; dnspython then sets TC and the client asks over TCP.
        query_size = 512
        try:
            query = dns.message.from_wire(data)
            if query.edns >= 0:
                query_size = max(512, query.payload)
        except dns.exception.DNSException:
            return
        sock.sendto(answer(data, query_size), self.client_address)


class Tcp(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(10)
        header = self.request.recv(2, socket.MSG_WAITALL)
        if len(header) == 2:
            (length,) = struct.unpack("!H", header)
            wire = answer(self.request.recv(length, socket.MSG_WAITALL), 65535)
            self.request.sendall(struct.pack("!H", len(wire)) + wire)


class ThreadingUdp(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True


class ThreadingTcp(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--records", required=True)
    options = parser.parse_args()
    for line in open(options.records, encoding="ascii"):
        name, _, value = line.rstrip("\n").partition(" ")
        RECORDS[name.rstrip(".").lower()] = value
    # UDP first: once the TCP socket listens (what the test waits for), both are bound.
    udp = ThreadingUdp(("127.0.0.1", options.port), Udp)
    tcp = ThreadingTcp(("127.0.0.1", options.port), Tcp)
    threading.Thread(target=udp.serve_forever, daemon=True).start()
    print(f"dns_responder: {len(RECORDS)} records on 127.0.0.1:{options.port}", flush=True)
    tcp.serve_forever()


if __name__ == "__main__":
    main()
