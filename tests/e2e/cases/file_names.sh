# Which names are snapshots: only rules.v4.<9-11 digits> (and rules.v6.<...>, here one
# ip6tables-restore would refuse), regular, not below DIR.
t natfw-index --node odd "$DATA/odd-names"
t natfw-index --verbose --node odd2 "$DATA/odd-names"
t natfw-index --list
