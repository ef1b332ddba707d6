#!/usr/bin/env bash
# MMS→CPM end-to-end load: a peer MMSE (node, bench/inbound-load.js) sends MM4_forward.REQ (Ack-Request Yes) over SMTP →
# gateway (durable SQLite store, Synchronous=Full) → SIP MESSAGE through the SIP client (UDP) → bare SIPp UAS answering 200
# → MM4_forward.RES back to the load script's SMTP server. Prints messages/s (RES Ok received per second) and p50/p99
# (REQ handed to SMTP → RES received). Prints figures; it is not a test.
# Usage: bench/run-inbound.sh [RATES] [SECONDS]   e.g. bench/run-inbound.sh "200 500" 15    (GW_EXTRA adds gateway arguments)
set -euo pipefail
RATES=${1:-"200 500"}
SECS=${2:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=$root/src/Cpm.Interwork.Gateway/bin/Release/net10.0/Cpm.Interwork.Gateway.dll
[[ -f $dll ]] || { echo "build first: dotnet build src/Cpm.Interwork.Gateway -c Release" >&2; exit 1; }
work=$(mktemp -d /tmp/cpm-bench-in-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [[ -n ${KEEP:-} ]] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
GW_SIP=15150; GW_HTTP=15151; UAS=15152; GW_SMTP=25340; RES=25341

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
(cd "$work" && exec sipp -sf "$work/uas.xml" -t u1 -i 127.0.0.1 -p $UAS -nostdin -nd -max_recv_loops 10000 > uas.out 2>&1) &
pids+=($!)

dotnet "$dll" --Sip:Listen:0=udp:127.0.0.1:$GW_SIP --Urls=http://127.0.0.1:$GW_HTTP \
  --Mm4:Domains:0=mms.bench.example --Smtp:Listen:0=127.0.0.1:$GW_SMTP --Store:Path="$work/bench.db" \
  --Ims:Domain=ims.example.net --Ims:OutboundProxy=sip:127.0.0.1:$UAS --Mm4:ResponseWait=00:00:05 \
  --Routing:UseEnum=false --Routing:Routes:0:Key=mms.example.net --Routing:Routes:0:Relay=127.0.0.1:$RES \
  --Smtp:Client:MaxConnectionsPerEndpoint=16 --Interwork:WorkerPollInterval=00:00:00.100 \
  --Logging:LogLevel:Cpm.Interwork=Warning --Logging:LogLevel:Default=Warning ${GW_EXTRA:-} > "$work/gateway.log" 2>&1 &
gw=$!; pids+=($gw)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$GW_HTTP/health/ready >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:$GW_HTTP/health/ready >/dev/null || { echo "gateway not ready"; cat "$work/gateway.log"; exit 1; }

echo "== MMS→CPM: MM4_forward.REQ → gateway (SQLite, Full) → SIP MESSAGE → SIPp 200 → MM4_forward.RES =="
NODE_PATH=$root/tests/peers/node/node_modules node "$root/bench/inbound-load.js" $GW_SMTP $RES "$SECS" 16 $RATES | while read -r line; do
  echo "$line" | node -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8"));
    console.log(`inbound MM4→SIP→RES       offered ${String(o.offered).padStart(5)}/s x ${o.seconds}s  RES Ok ${String(o.resOk).padStart(7)}  other ${o.resOther}  refused ${o.refused}  missing ${o.missing}  sustained ${String(o.sustained).padStart(6)} msg/s  p50 ${o.p50} ms  p99 ${o.p99} ms  max ${o.max} ms`)'
done
echo "gateway peak RSS: $(grep VmHWM /proc/$gw/status | awk '{print $2/1024 " MB"}')"
