#!/usr/bin/env python3
"""Writes an iptables-save history in nft form, rule for rule, for bench/nft.sh.

Each rules.v4.<ts> in SRC becomes DST/hist.nft.<ts>: a `table ip nat` whose
chains keep the iptables names, base chains hooked as iptables hooks them at
the same priorities, and one nft rule per `-A` line, so that both forms hold
the same number of rules and the same mappings. Only the forms the bench's
generator writes are translated (-s, -p, -j SNAT/MASQUERADE/RETURN/ACCEPT,
jumps); anything else stops the run, since a silently dropped rule would
make the comparison a lie.
"""
import os
import re
import sys

HOOKS = {"PREROUTING": ("prerouting", "dstnat"), "INPUT": ("input", "srcnat"),
         "OUTPUT": ("output", "dstnat"), "POSTROUTING": ("postrouting", "srcnat")}


def rule(words):
    out, i, target, to = [], 0, None, None
    while i < len(words):
        w = words[i]
        if w == "-s":
            out.append("ip saddr " + words[i + 1])
        elif w == "-p":
            out.append("meta l4proto " + words[i + 1])
        elif w == "-j":
            target = words[i + 1]
        elif w == "--to-source":
            to = words[i + 1]
        elif w == "-m" and words[i + 1] in ("tcp", "udp"):
            pass
        else:
            raise ValueError("not translated: " + " ".join(words))
        i += 2
    if target == "SNAT":
        out.append("snat to " + to)
    elif target == "MASQUERADE":
        out.append("masquerade")
    elif target in ("RETURN", "ACCEPT"):
        out.append("return" if target == "RETURN" else "accept")
    else:
        out.append("jump " + target)
    return " ".join(out)


def convert(text):
    chains, order, table = {}, [], None
    for line in text.splitlines():
        if line.startswith("*"):
            table = line[1:]
        elif table != "nat":
            continue
        elif line.startswith(":"):
            name = line[1:].split()[0]
            chains[name] = []
            order.append(name)
        elif line.startswith("-A "):
            words = line.split()
            chains[words[1]].append(rule(words[2:]))
    out = ["table ip nat {"]
    for name in order:
        out.append("\tchain %s {" % name)
        if name in HOOKS:
            hook, prio = HOOKS[name]
            out.append("\t\ttype nat hook %s priority %s; policy accept;" % (hook, prio))
        out.extend("\t\t" + r for r in chains[name])
        out.append("\t}")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        m = re.fullmatch(r"rules\.v4\.(\d{9,11})", name)
        if not m or os.path.islink(os.path.join(src, name)):
            continue
        with open(os.path.join(src, name)) as f:
            text = convert(f.read())
        with open(os.path.join(dst, "hist.nft." + m.group(1)), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
