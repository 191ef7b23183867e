"""Oracle for ip-codec tests: glibc (through socket) and Python's ipaddress answer for a batch.

Reads JSON {"pton4": [...], "pton6": [...], "aton": [...], "classify": [...]} on stdin and
writes JSON with, per input, the packed hex or null when rejected. "classify" takes address
texts; the IANA block boundaries (and their ::ffff: forms) are added here.
"""
import ipaddress
import json
import socket
import sys

# IANA IPv4 and IPv6 Special-Purpose Address Registries, plus multicast, site-local and reserved space.
IANA_V4 = """0.0.0.0/8 0.0.0.0/32 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12
192.0.0.0/24 192.0.0.0/29 192.0.0.8/32 192.0.0.9/32 192.0.0.10/32 192.0.0.170/32 192.0.0.171/32
192.0.2.0/24 192.31.196.0/24 192.52.193.0/24 192.88.99.0/24 192.168.0.0/16 192.175.48.0/24
198.18.0.0/15 198.51.100.0/24 203.0.113.0/24 224.0.0.0/4 240.0.0.0/4 255.255.255.255/32""".split()
IANA_V6 = """::1/128 ::/128 ::ffff:0:0/96 64:ff9b::/96 64:ff9b:1::/48 100::/64 100:0:0:1::/64 2001::/23
2001::/32 2001:1::1/128 2001:1::2/128 2001:1::3/128 2001:2::/48 2001:3::/32 2001:4:112::/48
2001:10::/28 2001:20::/28 2001:30::/28 2001:db8::/32 2002::/16 2620:4f:8000::/48 3fff::/20
5f00::/16 fc00::/7 fe80::/10 fec0::/10 ff00::/8 2000::/3""".split()


def blocks():
    """Every network in the registries and in Python's own tables."""
    nets = [ipaddress.ip_network(n) for n in IANA_V4 + IANA_V6]
    for constants in (ipaddress._IPv4Constants, ipaddress._IPv6Constants):
        for value in vars(constants).values():
            items = value if isinstance(value, list) else [value]
            nets += [n for n in items if isinstance(n, (ipaddress.IPv4Network, ipaddress.IPv6Network))]
    return nets


def boundaries():
    out = []
    for net in blocks():
        first, last = int(net.network_address), int(net.broadcast_address)
        top = (1 << net.max_prefixlen) - 1
        for value in (first - 1, first, first + 1, last - 1, last, last + 1):
            if 0 <= value <= top:
                addr = ipaddress.ip_address(value) if net.version == 6 else ipaddress.IPv4Address(value)
                out.append(str(addr))
                if net.version == 4:
                    out.append("::ffff:" + str(addr))
    return out


def packed(fn):
    try:
        return fn().hex()
    except (OSError, ValueError):
        return None


def classify(text):
    a = ipaddress.ip_address(text)
    return {
        "text": text,
        "str": str(a),
        "packed": a.packed.hex(),
        "isPrivate": a.is_private,
        "isGlobal": a.is_global,
        "isLoopback": a.is_loopback,
        "isLinkLocal": a.is_link_local,
        "isMulticast": a.is_multicast,
        "isReserved": a.is_reserved,
        "isUnspecified": a.is_unspecified,
    }


request = json.load(sys.stdin)
result = {
    "version": sys.version.split()[0],
    "pton4": [packed(lambda s=s: socket.inet_pton(socket.AF_INET, s)) for s in request.get("pton4", [])],
    "pton6": [packed(lambda s=s: socket.inet_pton(socket.AF_INET6, s)) for s in request.get("pton6", [])],
    "aton": [packed(lambda s=s: socket.inet_aton(s)) for s in request.get("aton", [])],
    "classify": [classify(t) for t in request.get("classify", []) + boundaries()] if "classify" in request else [],
}
json.dump(result, sys.stdout)
