# Indexing a history: the symlink is skipped, a re-run is quiet, --list shows periods.
t natfw-index --verbose --node vpn1 "$DATA/sample-vpn1"
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-index --list
t natfw-index --verify
