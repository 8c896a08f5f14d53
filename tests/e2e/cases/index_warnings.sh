# Warnings of an index run that name the right thing: a restored backup names
# the usable period it shortens (not an unusable file that never was in
# force); one directory under two node names is said; look-alike names are
# summarised after a few.
mkdir h
body=$'*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\nCOMMIT\n'
printf '%s' "$body" >h/rules.v4.1600000000
: >h/rules.v4.1600100000
printf '%s' "$body" >h/rules.v4.1600300000
t natfw-index --node gw h
printf '%s' "$body" >h/rules.v4.1600200000
t natfw-index --node gw h
t natfw-index --node other h
for n in 1 2 3 4 5 6 7 8; do : >"h/rules.v4.16000000000$n"; done
t natfw-index --node gw h
