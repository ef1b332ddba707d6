// MMS→CPM load for bench/run-inbound.sh: sends MM4_forward.REQ (X-Mms-Ack-Request: Yes) to the gateway at RATE/s for
// SECONDS over CONNS pooled SMTP connections, and runs the SMTP server that receives the gateway's MM4_forward.RES.
// Latency = REQ handed to SMTP → its RES received (MM4 → store → SIP MESSAGE → 200 → RES).
// Usage: node inbound-load.js GW_SMTP_PORT RES_PORT SECONDS CONNS RATE [RATE…]   (NODE_PATH=tests/peers/node/node_modules)
// A warm-up phase (100/s for 3 s, not printed) comes first; one JSON line per RATE follows. One SMTP server for all phases,
// as a real MMSE stays up (the gateway's pooled connections to it stay valid).
"use strict";
const { SMTPServer } = require("smtp-server");
const nodemailer = require("nodemailer");
const [gwPort, resPort, secondsArg, conns, ...rates] = process.argv.slice(2).map((x) => parseInt(x, 10));
const started = new Map();
const latencies = [];
const slowest = { ms: 0, id: null };
let sent = 0, refused = 0, resOk = 0, resOther = 0, t0 = 0, lastRes = 0, phase = 0;

const server = new SMTPServer({
  authOptional: true, disabledCommands: ["STARTTLS"], logger: false, maxClients: 1000,
  onData(stream, session, cb) {
    let head = "";
    stream.on("data", (d) => { if (head.length < 8192) head += d.toString("latin1"); });
    stream.on("end", () => {
      const mid = /X-Mms-Message-ID:\s*"?([^"\r\n]+)"?/i.exec(head);
      const st = /X-Mms-Request-Status-Code:\s*(\S+)/i.exec(head);
      if (mid && started.has(mid[1])) {
        const ms = Number(process.hrtime.bigint() - started.get(mid[1])) / 1e6; latencies.push(ms); if (ms > slowest.ms) { slowest.ms = ms; slowest.id = mid[1]; }
        started.delete(mid[1]);
        if (st && st[1] === "Ok") resOk++; else resOther++;
        lastRes = Date.now();
      }
      cb(null, "OK");
    });
  },
});

function mail(i) {
  const id = "bench" + process.pid + "p" + phase + "x" + i + "@mms.example.net";
  const raw = "From: +15550100001/TYPE=PLMN\r\nSender: +15550100001/TYPE=PLMN@mms.example.net\r\nTo: +15550300001/TYPE=PLMN\r\n" +
    "Message-ID: <" + id + ">\r\nDate: " + new Date().toUTCString().replace("GMT", "+0000") + "\r\nContent-Type: text/plain; charset=utf-8\r\n" +
    "X-Mms-3GPP-MMS-Version: 6.10.0\r\nX-Mms-Message-Type: MM4_forward.REQ\r\nX-Mms-Transaction-ID: t" + id + "\r\nX-Mms-Message-ID: \"" + id + "\"\r\n" +
    "X-Mms-Ack-Request: Yes\r\nX-Mms-Originator-System: system-user@mms.example.net\r\n\r\nBenchmark message " + i + "\r\n";
  return { id, raw: Buffer.from(raw) };
}

async function run(t, rate, seconds) {
  latencies.length = 0; started.clear(); sent = 0; refused = 0; resOk = 0; resOther = 0; lastRes = 0; slowest.ms = 0; slowest.id = null; phase++;
  const total = rate * seconds;
  t0 = Date.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const m = mail(i);
    started.set(m.id, process.hrtime.bigint());
    inflight.push(t.sendMail({ envelope: { from: "+15550100001/TYPE=PLMN@mms.example.net", to: ["+15550300001/TYPE=PLMN@mms.bench.example"] }, raw: m.raw })
      .then(() => { sent++; }, () => { refused++; started.delete(m.id); }));
  }
  const sendEnd = Date.now();
  await Promise.all(inflight);
  const deadline = Date.now() + 30000;
  while (started.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1) : "n/a";
  const span = ((lastRes || Date.now()) - t0) / 1000;
  return { offered: rate, seconds, sent, refused, resOk, resOther, missing: started.size,
    sustained: (resOk / span).toFixed(0), sendSeconds: ((sendEnd - t0) / 1000).toFixed(1), p50: pct(0.5), p99: pct(0.99), max: pct(1), slowest: slowest.id };
}

server.listen(resPort, "127.0.0.1", async () => {
  const t = nodemailer.createTransport({ host: "127.0.0.1", port: gwPort, secure: false, ignoreTLS: true, pool: true, maxConnections: conns || 16, maxMessages: Infinity, name: "mms.example.net" });
  await run(t, 100, 3);
  for (const rate of rates) console.log(JSON.stringify(await run(t, rate, secondsArg)));
  t.close(); server.close(); process.exit(0);
});
