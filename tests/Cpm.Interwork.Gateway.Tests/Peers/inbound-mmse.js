// The originating MMSE of the MMS→CPM tests (smtp-server + mailparser + nodemailer).
// Usage: node inbound-mmse.js PORT GATEWAY_HOST:PORT   (NODE_PATH=tests/peers/node/node_modules)
// Prints one JSON line per mail it receives: {"event":"mail", from, rcpt, mms: {x-mms-* headers, quotes stripped}}.
// Answers every MM4_delivery_report.REQ with X-Mms-Ack-Request: Yes by an MM4_delivery_report.RES (Ok) sent to the
// gateway, echoing its Transaction-ID and Message-ID, and prints {"event":"dr-res-sent", tx}.
"use strict";
const crypto = require("crypto");
const { SMTPServer } = require("smtp-server");
const { simpleParser } = require("mailparser");
const nodemailer = require("nodemailer");

const port = parseInt(process.argv[2], 10);
const [gwHost, gwPort] = process.argv[3].split(":");
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const unquote = (v) => (v || "").trim().replace(/^"(.*)"$/, "$1");
const gateway = nodemailer.createTransport({ host: gwHost, port: parseInt(gwPort, 10), secure: false, ignoreTLS: true, name: "mms.example.net" });

async function answerReport(mms, to) {
  const raw = [
    "From: system-user@mms.example.net",
    "Sender: system-user@mms.example.net",
    "To: " + to,
    "Message-ID: <" + crypto.randomBytes(8).toString("hex") + "@mms.example.net>",
    "Date: " + new Date().toUTCString().replace("GMT", "+0000"),
    "X-Mms-3GPP-MMS-Version: 6.10.0",
    "X-Mms-Message-Type: MM4_delivery_report.RES",
    "X-Mms-Transaction-ID: " + mms["x-mms-transaction-id"],
    "X-Mms-Message-ID: " + mms["x-mms-message-id"],
    "X-Mms-Request-Status-Code: Ok",
  ].join("\r\n") + "\r\n\r\n";
  for (let i = 0; i < 50; i++) {
    try {
      await gateway.sendMail({ envelope: { from: "system-user@mms.example.net", to: [to] }, raw: Buffer.from(raw) });
      out({ event: "dr-res-sent", tx: mms["x-mms-transaction-id"] });
      return;
    } catch (e) { await new Promise((r) => setTimeout(r, 200)); }
  }
  out({ event: "dr-res-error", tx: mms["x-mms-transaction-id"] });
}

const server = new SMTPServer({
  authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
  onData(stream, session, cb) {
    simpleParser(stream, {}).then((m) => {
      const mms = {};
      for (const { key, line } of m.headerLines) {
        if (key.startsWith("x-mms-")) mms[key] = unquote(line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " "));
      }
      out({ event: "mail", from: session.envelope.mailFrom.address, rcpt: session.envelope.rcptTo.map((r) => r.address), mms });
      cb(null, "Message accepted");
      const type = (mms["x-mms-message-type"] || "").toLowerCase();
      if (type === "mm4_delivery_report.req" && (mms["x-mms-ack-request"] || "").toLowerCase() === "yes") {
        const originator = (m.headers.get("x-mms-originator-system") || m.headers.get("sender") || { value: [{ address: "" }] });
        const to = typeof originator === "string" ? originator : (originator.value && originator.value[0] && originator.value[0].address) || "";
        answerReport(mms, to.replace(/^.*<|>.*$/g, "").trim());
      }
    }, cb);
  },
});
server.listen(port, "127.0.0.1", () => out({ event: "listening", port }));
