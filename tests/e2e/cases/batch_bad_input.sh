# Bad rows are answered `error` in place and the batch goes on; formula cells
# are neutralised; an unreadable input or one without usable columns is exit 2,
# no index exit 4.
t natfw-trace --batch "$DATA/batch/bad-rows.csv"
t natfw-index --node vpn1 "$DATA/sample-vpn1"
t natfw-trace --tz UTC --batch "$DATA/batch/bad-rows.csv"
t natfw-trace --batch "$DATA/batch/formulas.csv"
t natfw-trace --batch "$DATA/batch/formulas.csv" --escape-formulas
t natfw-trace --batch "$DATA/batch/no-columns.csv"
t natfw-trace --batch "$DATA/batch/no-columns.csv" --time-col foo --ip-col bar --port-col nope
t natfw-trace --batch "$WORK/missing.csv"
t natfw-trace --batch "$DATA/batch/formulas.csv" 2020-12-26T12:37:42Z 192.0.2.10 65300
t natfw-trace --batch "$DATA/batch/formulas.csv" --proto tcp
t natfw-trace --batch "$DATA/batch/formulas.csv" --delimiter ';;'
printf '' | t natfw-trace --batch -
