// A test MMSE (peer MMS Relay/Server) built on smtp-server + mailparser + nodemailer.
// Usage: node mmse.js CONFIG.json   (NODE_PATH=tests/peers/node/node_modules)
// CONFIG: { "port": 15254,
//           "gateways": { "<originator-system domain>": "127.0.0.1:PORT" },   where MM4_forward.RES go
//           "rules": { "+15550100022": "Error-service-denied", "+1555...": "none", "+1555...": "delay:6000" },
//           "statusText": true }
// For every mail it prints one JSON line {"event":"req", envelope, raw headers, decoded subject/text, parts} and,
// when the mail is an MM4_forward.REQ with X-Mms-Ack-Request: Yes, sends an MM4_forward.RES to X-Mms-Originator-System
// (via the gateways map, retried every 300 ms for up to 60 s so a restarting gateway still gets it) and prints
// {"event":"res-sent", ...}. The status is the rule of the first RCPT TO number that has one, else Ok.
"use strict";
const fs = require("fs");
const crypto = require("crypto");
const { SMTPServer } = require("smtp-server");
const { simpleParser } = require("mailparser");
const nodemailer = require("nodemailer");

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const rules = config.rules || {};
const transports = {};
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

function numberOf(address) {
  const m = /^(\+?\d+)\/TYPE=PLMN/i.exec(address || "");
  return m ? m[1] : null;
}

function unquote(v) { return (v || "").trim().replace(/^"(.*)"$/, "$1"); }

function rawHeaders(m) {
  const h = {};
  for (const { key, line } of m.headerLines) {
    const value = line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
    if (h[key] === undefined) h[key] = value; else h[key] = [].concat(h[key], value);
  }
  return h;
}

async function sendRes(req, rcpt, status, mmseDomain) {
  const originator = (req["x-mms-originator-system"] || req["sender"] || "").replace(/^.*<|>.*$/g, "").trim();
  const domain = originator.split("@")[1] || "";
  const target = (config.gateways || {})[domain.toLowerCase()];
  if (!target) { out({ event: "res-error", error: "no gateway for " + originator }); return; }
  const [host, port] = target.split(":");
  const tx = unquote(req["x-mms-transaction-id"]);
  const mid = unquote(req["x-mms-message-id"]);
  const lines = [
    "From: system-user@" + mmseDomain,
    "Sender: system-user@" + mmseDomain,
    "To: " + originator,
    "Message-ID: <" + crypto.randomBytes(8).toString("hex") + "@" + mmseDomain + ">",
    "Date: " + new Date().toUTCString().replace("GMT", "+0000"),
    "X-Mms-3GPP-MMS-Version: 6.10.0",
    "X-Mms-Message-Type: MM4_forward.RES",
    "X-Mms-Transaction-ID: " + tx,
    "X-Mms-Message-ID: " + mid,
    "X-Mms-Request-Status-Code: " + status,
  ];
  if (config.statusText !== false && status !== "Ok") lines.push("X-Mms-Status-Text: test MMSE status " + status + " for " + rcpt.join(","));
  const raw = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "utf8");
  // One pooled transport per gateway: connections are reused (a benchmark sends thousands of RES per second).
  const key = target + "|" + mmseDomain;
  const transport = transports[key] || (transports[key] = nodemailer.createTransport({ pool: true, maxConnections: 8, maxMessages: Infinity,
    host, port: +port, secure: false, ignoreTLS: true, name: mmseDomain }));
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      await transport.sendMail({ envelope: { from: "system-user@" + mmseDomain, to: [originator] }, raw });
      if (!config.quiet) out({ event: "res-sent", tx, mid, status, to: originator });
      return;
    } catch (e) {
      if (Date.now() > deadline) { out({ event: "res-error", tx, error: String(e && e.message) }); return; }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

const refusedOnce = new Set();
const server = new SMTPServer({
  authOptional: true, disabledCommands: ["STARTTLS"], banner: "test MMSE", size: 10 * 1024 * 1024,
  // rule "rcpt451once": the first RCPT TO of that number gets 451 4.3.0 (a transient refusal), later ones are accepted.
  onRcptTo(address, session, cb) {
    const n = numberOf(address.address);
    if (n && rules[n] === "rcpt451once" && !refusedOnce.has(n)) {
      refusedOnce.add(n);
      out({ event: "rcpt-refused", number: n, code: 451 });
      const e = new Error("4.3.0 try again later (test MMSE)"); e.responseCode = 451; return cb(e);
    }
    cb();
  },
  onData(stream, session, cb) {
    if (config.quiet) return fastPath(stream, session, cb);
    simpleParser(stream, {}).then((m) => {
      const headers = rawHeaders(m);
      const rcpt = session.envelope.rcptTo.map((r) => r.address);
      const numbers = rcpt.map(numberOf).filter(Boolean);
      const mmseDomain = (rcpt[0] || "@mmse.invalid").split("@")[1];
      if (config.quiet) { /* benchmark: no per-mail line */ } else out({ event: "req", mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address, rcpt, numbers,
        headers, subject: m.subject || null, text: m.text || null,
        contentType: m.headers.get("content-type") && m.headers.get("content-type").value,
        parts: m.attachments.map((a) => ({ type: a.contentType, cid: a.cid, size: a.size })) });
      cb(null, "queued by test MMSE");
      const type = (headers["x-mms-message-type"] || "").toLowerCase();
      if (type !== "mm4_forward.req" || !/^yes$/i.test(headers["x-mms-ack-request"] || "")) return;
      const rule = numbers.map((n) => rules[n]).find((r) => r !== undefined) || "Ok";
      if (rule === "none") return;
      let delay = 0, status = rule === "rcpt451once" ? "Ok" : rule;
      if (rule.startsWith("delay:")) { delay = +rule.slice(6); status = "Ok"; }
      setTimeout(() => sendRes(headers, numbers, status, mmseDomain), delay);
    }, (e) => cb(e));
  },
});
// Benchmark path ("quiet": true): no mailparser, only the header block is scanned for what the RES needs, so the
// test MMSE takes as little of the machine's CPU as possible and the benchmark measures the gateway.
function fastPath(stream, session, cb) {
  const chunks = [];
  stream.on("data", (c) => chunks.push(c));
  stream.on("end", () => {
    const raw = Buffer.concat(chunks).toString("latin1");
    const end = raw.indexOf("\r\n\r\n");
    const headers = {};
    for (const line of (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    cb(null, "queued by test MMSE");
    const rcpt = session.envelope.rcptTo.map((r) => r.address);
    if ((headers["x-mms-message-type"] || "").toLowerCase() !== "mm4_forward.req" || !/^yes$/i.test(headers["x-mms-ack-request"] || "")) return;
    const numbers = rcpt.map(numberOf).filter(Boolean);
    const rule = numbers.map((n) => rules[n]).find((r) => r !== undefined) || "Ok";
    if (rule !== "none") sendRes(headers, numbers, rule.startsWith("delay:") || rule === "rcpt451once" ? "Ok" : rule, (rcpt[0] || "@mmse.invalid").split("@")[1]);
  });
}

server.on("error", (e) => out({ event: "error", error: String(e && e.message) }));
server.listen(config.port, "127.0.0.1", () => out({ event: "listening", port: config.port }));
