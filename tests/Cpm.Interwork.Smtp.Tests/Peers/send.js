// Sends one raw mail with nodemailer and prints the result as JSON.
// Usage: node send.js PORT FROM TO[,TO...] FILE
"use strict";
const fs = require("fs");
const nodemailer = require("nodemailer");

const [port, from, to, file] = process.argv.slice(2);
const transport = nodemailer.createTransport({
  host: "127.0.0.1", port: Number(port), secure: false, ignoreTLS: true, name: "mms.peer.example",
  connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10000,
});
transport.sendMail({ envelope: { from, to: to.split(",") }, raw: fs.readFileSync(file) })
  .then((info) => { console.log(JSON.stringify({ ok: true, accepted: info.accepted, rejected: info.rejected, response: info.response })); })
  .catch((e) => { console.log(JSON.stringify({ ok: false, code: e.responseCode || null, response: e.response || String(e) })); process.exitCode = 2; });
