# none (before the history, unknown address, port outside every block),
# ambiguous (subnet, protocols disagree, two rules), MASQUERADE warnings,
# may-match conditions, address ranges.
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-index --node edge "$DATA/mixed-rules"
t natfw-trace 2019-06-01T00:00:00Z 192.0.2.10 65300
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.99 65300
t natfw-trace 2021-06-01T00:00:00Z 192.0.2.10 1000
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.7 60500
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.7 61500
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.7 61500 --proto udp
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.7 62500 --format json
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.7 63700 --proto tcp
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.8 5000 --proto tcp
t natfw-trace 2021-06-01T00:00:00Z 203.0.113.10 2500 --proto tcp --node edge
