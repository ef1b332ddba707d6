// A test MMSE on smtp-server + mailparser: prints "READY <port>" when listening, then one JSON line
// per received message with the envelope, the raw bytes (base64), every header line as received
// and every MIME part (attachments and the text body) decoded by mailparser.
// Usage: node sink.js PORT [--starttls]
"use strict";
const { SMTPServer } = require("smtp-server");
const { simpleParser } = require("mailparser");

const port = Number(process.argv[2]);
const starttls = process.argv.includes("--starttls");

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: starttls ? ["AUTH"] : ["STARTTLS", "AUTH"],
  size: 10 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks);
      simpleParser(raw, {}).then((m) => {
        console.log(JSON.stringify({
          from: session.envelope.mailFrom.address,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          body8bit: (session.envelope.mailFrom.args || {}).BODY || null,
          secure: session.secure,
          raw: raw.toString("base64"),
          headers: m.headerLines.map((h) => h.line),
          subject: m.subject,
          text: m.text || null,
          parts: m.attachments.map((a) => ({
            type: a.contentType, cid: a.cid || null, filename: a.filename || null,
            charset: a.charset || null, content: a.content.toString("base64") })),
        }));
        callback(null, "Message accepted");
      }, callback);
    });
  },
});
server.on("error", (e) => { console.error("sink error", e); });
server.listen(port, "127.0.0.1", () => console.log("READY " + port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
