# paired.awk: quotients of figures measured side by side, round by round.
# Given after medians.awk (awk -f medians.awk -f paired.awk), it reads the
# same lines; a line "bench NAME VALUE cycles ROUND" is one run of NAME in
# round ROUND.  For each "RATIO=NUM/DEN" in the space-separated list
# `pairs` (awk -v pairs=...), it prints at the end "ratio RATIO X": the
# median over the rounds that measured both NUM and DEN of NUM's value over
# DEN's in that round, then a line with the quotients' quartiles.  The runs
# of one round follow each other within a second, so they land on the same
# placement of the host's virtual CPUs more often than runs further apart;
# the median of the per-round quotients is steadier than the quotient of
# the two medians, which jumps when a few runs change side between a fast
# and a slow placement.
$1 == "bench" && $4 == "cycles" && NF >= 5 {
    pv[$2, $5] = $3 + 0
    if (!($5 in seen)) {
        seen[$5] = 1
        rounds[++nrounds] = $5
    }
}
function sorted_quotients(num, den,    i, n, a, b, t) {
    n = 0
    for (i = 1; i <= nrounds; i++)
        if ((num, rounds[i]) in pv && (den, rounds[i]) in pv && pv[den, rounds[i]] > 0)
            q[++n] = pv[num, rounds[i]] / pv[den, rounds[i]]
    for (a = 2; a <= n; a++)                # insertion sort: a few hundred values
        for (b = a; b > 1 && q[b - 1] > q[b]; b--) {
            t = q[b]; q[b] = q[b - 1]; q[b - 1] = t
        }
    return n
}
BEGIN {
    np = 0
    nlist = split(pairs, list, " ")
    for (pi = 1; pi <= nlist; pi++) {
        if (split(list[pi], nd, "=") != 2 || split(nd[2], f, "/") != 2) {
            print "paired.awk: bad pair " list[pi] > "/dev/stderr"
            continue
        }
        pname[++np] = nd[1]; pnum[np] = f[1]; pden[np] = f[2]
    }
}
END {
    for (pi = 1; pi <= np; pi++) {
        delete q
        nq = sorted_quotients(pnum[pi], pden[pi])
        if (nq == 0)
            continue
        printf "ratio %s %.3g\n", pname[pi], q[int((nq + 1) / 2)]
        printf "%s: %s/%s per round, %d rounds: quartiles %.3f %.3f %.3f\n", pname[pi], pnum[pi], pden[pi], nq,
               q[int((nq + 3) / 4)], q[int((nq + 1) / 2)], q[int((3 * nq + 3) / 4)]
    }
}
