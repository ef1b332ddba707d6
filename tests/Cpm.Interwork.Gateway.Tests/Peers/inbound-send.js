// Sends one raw MM4 mail with nodemailer as a peer MMSE would: node inbound-send.js HOST:PORT MAIL_FROM RCPT[,RCPT] FILE
// Prints {"event":"sent", response} or {"event":"send-error", error} and exits 0 / 1.
"use strict";
const fs = require("fs");
const nodemailer = require("nodemailer");
const [target, from, to, file] = process.argv.slice(2);
const [host, port] = target.split(":");
const t = nodemailer.createTransport({ host, port: parseInt(port, 10), secure: false, ignoreTLS: true, name: "mms.example.net" });
t.sendMail({ envelope: { from, to: to.split(",") }, raw: fs.readFileSync(file) })
  .then((info) => { process.stdout.write(JSON.stringify({ event: "sent", response: info.response }) + "\n"); process.exit(0); })
  .catch((e) => { process.stdout.write(JSON.stringify({ event: "send-error", error: String(e) }) + "\n"); process.exit(1); });
