// A receiving MMSE on smtp-server + mailparser (independent of our MIME code): prints "READY <port>" when
// listening, then one JSON line per mail: the envelope, every header line (unfolded, raw), the X-Mms headers
// and Subject as mailparser decodes them, the top-level Content-Type with its parameters, and every MIME part
// (text parts too: mailparser is told no type is "text", so each leaf comes as a part with its Content-ID)
// with content type, Content-ID, size and the SHA-256 of its decoded (transfer-decoded, not charset-converted) bytes.
// Usage: node mm4-sink.js PORT
"use strict";
const crypto = require("crypto");
const { SMTPServer } = require("smtp-server");
const { MailParser } = require("mailparser");

const port = Number(process.argv[2]);
const sha256 = (buf) => crypto.createHash("sha256").update(buf).digest("hex");

function parse(raw) {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({ skipTextToHtml: true, skipHtmlToText: true, skipTextLinks: true });
    parser.textTypes = [];
    const result = { headers: new Map(), headerLines: [], parts: [] };
    const pending = [];
    parser.on("headers", (h) => { result.headers = h; result.headerLines = parser.headerLines; });
    parser.on("data", (data) => {
      if (data.type !== "attachment") return;
      const chunks = [];
      pending.push(new Promise((done, fail) => {
        data.content.on("data", (c) => chunks.push(c));
        data.content.on("error", fail);
        data.content.on("end", () => {
          const content = Buffer.concat(chunks);
          result.parts.push({ type: data.contentType, cid: data.cid || null, size: content.length, sha256: sha256(content) });
          data.release();
          done();
        });
      }));
    });
    parser.on("error", reject);
    parser.on("end", () => Promise.all(pending).then(() => resolve(result), reject));
    parser.end(raw);
  });
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  size: 10 * 1024 * 1024,
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks);
      parse(raw).then((m) => {
        const mms = {};
        for (const [k, v] of m.headers) if (k.startsWith("x-mms-")) mms[k] = typeof v === "string" ? v : JSON.stringify(v);
        const ct = m.headers.get("content-type") || {};
        console.log(JSON.stringify({
          from: session.envelope.mailFrom.address,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          headers: m.headerLines.map((h) => {
            const line = h.line.replace(/\r?\n(?=[ \t])/g, "");
            return [h.key, line.slice(line.indexOf(":") + 1).trim()];
          }),
          mms,
          subject: m.headers.has("subject") ? m.headers.get("subject") : null,
          contentType: { value: ct.value || null, params: ct.params || {} },
          parts: m.parts,
        }));
        callback(null, "Message accepted");
      }, callback);
    });
  },
});
server.on("error", (e) => { console.error("sink error", e); });
server.listen(port, "127.0.0.1", () => console.log("READY " + port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
