# medians.awk: the median of every figure a benchmark script collected over
# several runs.  Input lines "bench NAME VALUE cycles" are gathered by NAME
# (any other line is passed through); at the end each NAME, in the order
# first seen, is printed as "bench NAME MICROSECONDS us", the median of its
# values divided by mhz (awk -v mhz=...).  With an even count the lower of
# the two middle values is taken.  A fifth field (a round, for paired.awk)
# is ignored.
$1 == "bench" && $4 == "cycles" {
    if (!($2 in n))
        order[++names] = $2
    v[$2, ++n[$2]] = $3 + 0
}
!($1 == "bench" && $4 == "cycles") { print }
END {
    for (i = 1; i <= names; i++) {
        k = order[i]
        for (a = 2; a <= n[k]; a++)         # insertion sort: a few dozen values
            for (b = a; b > 1 && v[k, b - 1] > v[k, b]; b--) {
                t = v[k, b]; v[k, b] = v[k, b - 1]; v[k, b - 1] = t
            }
        printf "bench %s %.3f us\n", k, v[k, int((n[k] + 1) / 2)] / mhz
    }
}
