# Batches in the shapes complaints arrive in: Shadowserver (UTC without a
# zone), an Excel export with semicolons, BOM + CRLF, quoted fields.
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-trace --tz UTC --batch "$DATA/batch/shadowserver-scan.csv"
t natfw-trace --tz Europe/Amsterdam --batch "$DATA/batch/excel-semicolon.csv"
t natfw-trace --batch "$DATA/batch/bom-crlf.csv"
t natfw-trace --batch - < "$DATA/batch/quoted-fields.csv"
t natfw-trace --batch "$DATA/batch/quoted-fields.csv" --time-col EVIDENCE
t natfw-trace --batch "$DATA/batch/quoted-fields.csv" -o "$WORK/answered.csv"
cat "$WORK/answered.csv"
