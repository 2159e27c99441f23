# The benchmark's awk baseline: the same per-service aggregation as netdns-audit, the awk way,
# for `kubectl logs --prefix [--timestamps]` input. Prints one line per count:
#   SERVICE <TAB> orders|reverseOrders|failures <TAB> ORDER-VALUE|FAILURE-CLASS <TAB> N
# Usage: awk -f aggregate.awk FILE
function workload(pod,    n, parts, last, prev, i, out, drop) {
    n = split(pod, parts, "-")
    if (n < 2) return pod
    last = parts[n]; prev = parts[n - 1]
    drop = 0
    if (n >= 3 && last ~ /^[b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9]$/ && prev ~ /^[b-df-hj-np-tv-z0-9]+$/ && length(prev) >= 6 && length(prev) <= 10) drop = 2
    else if (last ~ /^[b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9][b-df-hj-np-tv-z0-9]$/ || (last ~ /^[0-9]+$/ && length(last) <= 5)) drop = 1
    out = parts[1]
    for (i = 2; i <= n - drop; i++) out = out "-" parts[i]
    return out
}
function validOrder(v) { return v == "files,dns" || v == "dns,files" || v == "files" || v == "dns" || v == "cgo" }
function classify(tail, server,    q, seg) {
    if (index(tail, "no such host") == 1) return "nxdomain"
    if (index(tail, "server misbehaving") == 1) return "servfail"
    if (index(tail, "i/o timeout") == 1) return "timeout"
    if (index(tail, "connection refused") == 1) return "refused"
    if (tail ~ /^(no answer from DNS server|cannot unmarshal DNS message|lame referral|invalid DNS response|getaddrinfow: )/) return "other"
    if (tail ~ /^(Temporary failure in name resolution|Try again)/) return "temporary"
    if (tail ~ /^(Name or service not known|Name does not resolve)/) return "nxdomain"
    if (tail ~ /^(No address associated with hostname|Name has no usable address)/) return "nodata"
    if (tail ~ /^(Non-recoverable failure in name resolution|Non-recoverable error)/) return "servfail"
    if (tail ~ /^(read|write|dial) (udp|tcp) /) {
        q = index(tail, "\""); seg = q ? substr(tail, 1, q - 1) : tail
        if (index(seg, "i/o timeout")) return "timeout"
        if (index(seg, "connection refused")) return "refused"
        return "other"
    }
    return server ? "other" : ""
}
{
    if (substr($0, 1, 5) != "[pod/") next
    close_ = index($0, "]")
    key = substr($0, 6, close_ - 6)
    pod = substr(key, 1, index(key, "/") - 1)
    msg = substr($0, close_ + 2)
    if (msg ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[^ ]* /) msg = substr(msg, index(msg, " ") + 1)
    svc = service[pod]
    if (svc == "") { svc = workload(pod); service[pod] = svc }
    if (substr(msg, 1, 16) == "go package net: ") {
        body = substr(msg, 17)
        if (match(body, /^(host|addr)LookupOrder\([^ )]*\) = /)) {
            value = substr(body, RLENGTH + 1)
            if (validOrder(value)) {
                dir = (RLENGTH == 20 || substr(body, 1, 4) == "addr") ? "reverseOrders" : "orders"
                count[svc "\t" dir "\t" value]++
            }
        } else if (body ~ /^(host|addr)LookupOrder\(/) {
            pending[key] = (substr(body, 1, 4) == "addr") ? "reverseOrders" : "orders"
        }
        next
    }
    if (key in pending && match(msg, /^[^ ]*\) = /)) {
        value = substr(msg, RLENGTH + 1)
        if (validOrder(value)) {
            count[svc "\t" pending[key] "\t" value]++
            delete pending[key]
            next
        }
    }
    rest = msg
    while (match(rest, /(^|[^A-Za-z0-9_])lookup [^ "\\:]+( on [^ "\\]+:[0-9]+)?: /)) {
        mention = substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
        cls = classify(rest, index(mention, " on ") > 0)
        if (cls != "") count[svc "\tfailures\t" cls]++
    }
}
END { for (k in count) print k "\t" count[k] }
