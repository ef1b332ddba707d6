#!/usr/bin/env bash
# CPM→MMS end-to-end load: SIPp (UAC) → gateway (durable SQLite store, Synchronous=Full) → test MMSE (node, answers
# every MM4_forward.REQ at once with an MM4_forward.RES to the gateway's SMTP server) → 200 back to SIPp.
# Reference in the same run: the same SIPp load → Kamailio (stateful t_relay) → a bare SIPp UAS answering 200.
# Prints figures; it is not a test. Usage: bench/run-e2e.sh [RATES] [SECONDS]   e.g. bench/run-e2e.sh "500 1000 2000" 20
# GW_EXTRA="--Store:Synchronous=Normal ..." adds gateway arguments; SKIP_REFERENCE=1 skips the Kamailio reference.
# Needs: dotnet build -c Release src/Cpm.Interwork.Gateway, tests/peers/install.sh (sipp, kamailio, node modules).
set -euo pipefail
RATES=${1:-"500 1000 2000"}
SECONDS_PER_RATE=${2:-20}
SIPP_MAX_RATE=${SIPP_MAX_RATE:-1000}     # one SIPp saturates around 1,000-1,250 calls/s: split above this
root=$(cd "$(dirname "$0")/.." && pwd)
dll=$root/src/Cpm.Interwork.Gateway/bin/Release/net10.0/Cpm.Interwork.Gateway.dll
[[ -f $dll ]] || { echo "build first: dotnet build src/Cpm.Interwork.Gateway -c Release" >&2; exit 1; }
work=$(mktemp -d /tmp/cpm-bench-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
keep_dir() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; echo "kept $work"; }
if [[ -n ${KEEP:-} ]]; then trap keep_dir EXIT; else trap cleanup EXIT; fi

GW_SIP=16060; GW_HTTP=16080; GW_SMTP=16025; MMSE=16026; KAM=16070; UAS=16061
cat > "$work/mmse.json" <<JSON
{"port": $MMSE, "quiet": true, "gateways": {"mms.bench.example": "127.0.0.1:$GW_SMTP"}, "rules": {}}
JSON
NODE_PATH=$root/tests/peers/node/node_modules node "$root/tests/Cpm.Interwork.Gateway.Tests/Peers/mmse.js" "$work/mmse.json" > "$work/mmse.log" 2>&1 &
pids+=($!)

dotnet "$dll" --Sip:Listen:0=udp:127.0.0.1:$GW_SIP --Urls=http://127.0.0.1:$GW_HTTP \
  --Mm4:Domains:0=mms.bench.example --Smtp:Listen:0=127.0.0.1:$GW_SMTP --Store:Path="$work/bench.db" \
  --Routing:UseEnum=false --Routing:Routes:0:Key='+1555*' --Routing:Routes:0:Domain=mms.example.net --Routing:Routes:0:Relay=127.0.0.1:$MMSE \
  --Smtp:Client:MaxConnectionsPerEndpoint=16 --Sip:MaxTransactions=200000 \
  --Logging:LogLevel:Cpm.Interwork=Warning --Logging:LogLevel:Default=Warning ${GW_EXTRA:-} > "$work/gateway.log" 2>&1 &
gw=$!; pids+=($gw)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$GW_HTTP/health/ready >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:$GW_HTTP/health/ready >/dev/null || { echo "gateway not ready"; cat "$work/gateway.log"; exit 1; }

cat > "$work/uac.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bench MESSAGE">
<send retrans="500"><![CDATA[
MESSAGE sip:+15550100002@ims.example.net;user=phone SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
Max-Forwards: 70
From: <sip:+15550100001@ims.example.net;user=phone>;tag=[pid]SIPpTag00[call_number]
To: <sip:+15550100002@ims.example.net;user=phone>
Call-ID: [call_id]
CSeq: 1 MESSAGE
Content-Type: text/plain
Content-Length: [len]

Benchmark message [call_number]
]]></send>
<recv response="200" rtd="true"/>
</scenario>
XML
cat > "$work/uas.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bare 200">
<recv request="MESSAGE"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
XML

# run_load NAME TARGET RATE: several SIPp processes when RATE > SIPP_MAX_RATE; prints calls/s, failures, p50/p99.
run_load() {
  local name=$1 target=$2 rate=$3
  local n=$(( (rate + SIPP_MAX_RATE - 1) / SIPP_MAX_RATE )) each=$(( rate / ((rate + SIPP_MAX_RATE - 1) / SIPP_MAX_RATE) ))
  local dir=$work/$name-$rate; mkdir -p "$dir"; local sp=()
  local start=$(date +%s.%N)
  for i in $(seq 1 $n); do
    cp "$work/uac.xml" "$dir/uac$i.xml"   # SIPp writes its _stat.csv / _rtt.csv next to the scenario
    (cd "$dir" && sipp -sf "$dir/uac$i.xml" -t u1 -i 127.0.0.1 -p $((17000 + i)) -r $each -m $((each * SECONDS_PER_RATE)) \
       -l $((each * 10)) -timeout $((SECONDS_PER_RATE + 30))s -nostdin -nd -trace_rtt -rtt_freq 200 -trace_stat \
       -max_recv_loops 10000 -timeout_error "$target" > "sipp$i.out" 2>&1; echo $? > "sipp$i.rc") &
    sp+=($!)
  done
  for p in "${sp[@]}"; do wait "$p" || true; done
  local end=$(date +%s.%N)
  local ok=0 failed=0
  for f in "$dir"/uac*_.csv; do
    local last=$(tail -1 "$f"); local hdr=$(head -1 "$f")
    local si=$(echo "$hdr" | tr ';' '\n' | grep -n '^SuccessfulCall(C)$' | cut -d: -f1)
    local fi=$(echo "$hdr" | tr ';' '\n' | grep -n '^FailedCall(C)$' | cut -d: -f1)
    ok=$((ok + $(echo "$last" | cut -d';' -f"$si"))); failed=$((failed + $(echo "$last" | cut -d';' -f"$fi")))
  done
  local rtts=$(cat "$dir"/*_rtt.csv 2>/dev/null | grep -v '^Date' | cut -d';' -f2 | sort -n)
  local cnt=$(echo "$rtts" | grep -c . || true)
  local p50=$(echo "$rtts" | awk -v n="$cnt" 'NR==int(n*0.50)+1{print; exit}')
  local p99=$(echo "$rtts" | awk -v n="$cnt" 'NR==int(n*0.99)+1{print; exit}')
  local secs=$(echo "$end - $start" | bc)
  printf "%-28s offered %5d/s x %ss  ok %7d  failed %5d  sustained %7.0f msg/s  p50 %6s ms  p99 %6s ms\n" \
    "$name" "$rate" "$SECONDS_PER_RATE" "$ok" "$failed" "$(echo "$ok / $secs" | bc -l)" "${p50:-n/a}" "${p99:-n/a}"
}

echo "== gateway (durable SQLite store, Synchronous=Full; lifecycle logs at Warning) =="
SECONDS_SAVED=$SECONDS_PER_RATE; SECONDS_PER_RATE=5; run_load warm-up 127.0.0.1:$GW_SIP 600 >/dev/null; SECONDS_PER_RATE=$SECONDS_SAVED   # JIT and pools warm
for r in $RATES; do run_load gateway 127.0.0.1:$GW_SIP "$r"; done
echo "gateway peak RSS: $(grep VmHWM /proc/$gw/status | awk '{print $2/1024 " MB"}'), now $(grep VmRSS /proc/$gw/status | awk '{print $2/1024 " MB"}')"
echo "store: $(du -h "$work/bench.db" | cut -f1) ($(ls "$work" | grep -c bench.db) files)"
curl -s http://127.0.0.1:$GW_HTTP/metrics | grep -E '^cpm_interwork_cpm_to_mms_(messages_total|waiting)' || true

[[ -n ${SKIP_REFERENCE:-} ]] && { [[ -n ${SKIP_INBOUND:-} ]] || "$root/bench/run-inbound.sh" "$RATES" "$SECONDS_PER_RATE"; exit 0; }
echo "== reference: Kamailio (stateful t_relay) → bare SIPp UAS answering 200 =="
(cd "$work" && exec sipp -sf "$work/uas.xml" -t u1 -i 127.0.0.1 -p $UAS -nostdin -nd > uas.out 2>&1) &
pids+=($!)
sed -e "s/__LISTEN_PORT__/$KAM/g" -e "s/__GW1_PORT__/$UAS/g" -e "s/__GW2_PORT__/$UAS/g" \
  "$root/tests/Cpm.Interwork.Gateway.Tests/Scenarios/kamailio-interwork.cfg" | sed 's/^debug=2/debug=0/; s/xlog("L_INFO"/xlog("L_DBG"/' > "$work/kamailio.cfg"
mkdir -p "$work/kam"; kamailio -f "$work/kamailio.cfg" -DD -E -Y "$work/kam" -w "$work/kam" > "$work/kamailio.log" 2>&1 &
pids+=($!); sleep 1.5
for r in $RATES; do run_load kamailio+uas 127.0.0.1:$KAM "$r"; done

# MMS→CPM beside the CPM→MMS figures (bench/run-inbound.sh; SKIP_INBOUND=1 skips it).
[[ -n ${SKIP_INBOUND:-} ]] || "$root/bench/run-inbound.sh" "$RATES" "$SECONDS_PER_RATE"
