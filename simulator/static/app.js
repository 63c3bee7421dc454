// The phone simulator's page: one card per phone, texts from the line arrive by server-sent events.
// The phones come from the simulator (the demo's people, the rota's volunteers and coordinators, and
// every number met), asked again every few seconds and whenever a text comes for a number with no card.
"use strict";

const roles = {
  person: "person asking for support", volunteer: "peer volunteer", coordinator: "coordinator",
  other: "another number",
};
// What Twilio carries: an SMS counted in UTF-16 code units as Twilio counts them (a JavaScript string's
// length: an emoji is two), a WhatsApp message in characters.
const limits = {
  sms: { max: 1600, count: (s) => s.length, what: "an SMS holds up to 1,600 characters (an emoji counts as 2)" },
  whatsapp: { max: 4096, count: (s) => [...s].length, what: "a WhatsApp message holds up to 4,096 characters" },
};
const main = document.getElementById("phones");
const tpl = document.getElementById("phone-template");
const cards = new Map(); // number -> card element

const channelName = (ch) => (ch === "whatsapp" ? "WhatsApp" : "SMS");
const grouped = (n) => n.toLocaleString("en-GB"); // 1,600
const pad = (n) => String(n).padStart(2, "0");

// clock writes a time as the browser's local HH:MM:SS.
function clock(iso) {
  const d = new Date(iso);
  return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// describe writes who a card's phone is.
function describe(card, p) {
  card.dataset.channel = p.channel;
  card.setAttribute("aria-label", p.name + "'s phone");
  card.querySelectorAll(".name").forEach((n) => setText(n, p.name));
  setText(card.querySelector(".role"), "(" + (roles[p.role] || p.role) + ")");
  setText(card.querySelector(".number"), p.number + " by " + channelName(p.channel));
  count(card);
}

function makeCard(p) {
  const card = tpl.content.firstElementChild.cloneNode(true);
  const id = p.number.replace(/\D/g, "");
  card.dataset.number = p.number;
  const input = card.querySelector("input");
  input.id = "body-" + id;
  card.querySelector("label").htmlFor = input.id;
  const hint = card.querySelector(".count");
  hint.id = "count-" + id;
  input.setAttribute("aria-describedby", hint.id);
  input.addEventListener("input", () => count(card));
  card.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    send(card);
  });
  describe(card, p);
  cards.set(p.number, card);
  return card;
}

// count shows how much of the most a text may hold the card's text box holds, and returns what is
// wrong with it ("" when it can go).
function count(card) {
  const input = card.querySelector("input");
  const limit = limits[card.dataset.channel] || limits.sms;
  const n = limit.count(input.value.trim());
  const over = n > limit.max;
  const hint = card.querySelector(".count");
  setText(hint, over ? `Too long: ${limit.what}, and this one has ${grouped(n)}.`
    : `${grouped(n)} of ${grouped(limit.max)} characters`);
  hint.classList.toggle("over", over);
  if (over) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  return over ? hint.textContent : "";
}

async function send(card) {
  const input = card.querySelector("input");
  const body = input.value.trim();
  if (!body) return;
  const problem = count(card);
  if (problem) {
    setStatus("Not sent. " + problem);
    input.focus();
    return;
  }
  input.value = "";
  count(card);
  const form = new URLSearchParams({ from: card.dataset.number, channel: card.dataset.channel, body });
  try {
    const res = await fetch("send", { method: "POST", body: form });
    if (res.ok) return;
    if (res.status === 400 && !input.value) input.value = body; // not sent: keep it to change
    setStatus("That text did not reach the line: " + (await res.text()));
  } catch {
    setStatus("That text did not reach the line: the simulator did not answer.");
  }
}

// add shows a text on its phone's card, making a card for a number met for the first time.
function add(m) {
  let card = cards.get(m.phone);
  if (!card) {
    main.append(makeCard({ name: m.phone, number: m.phone, channel: m.channel, role: "other" }));
    card = cards.get(m.phone);
    refresh(); // the simulator may know more of this number (a volunteer just added to the rota)
  }
  const li = document.createElement("li");
  li.className = m.dir;
  const who = document.createElement("span");
  who.className = "who";
  who.append(m.dir === "in" ? "from the line" : "you");
  if (m.channel !== card.dataset.channel) who.append(" by " + channelName(m.channel));
  if (m.at) {
    const time = document.createElement("time");
    time.dateTime = m.at;
    time.textContent = clock(m.at);
    who.append(" · ", time);
  }
  li.append(who, document.createTextNode(m.body));
  const list = card.querySelector(".messages");
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

// place makes the cards follow the simulator's list: new phones get a card after the one before them
// in the list; a card no longer listed goes, unless it holds texts or the keyboard is in it.
function place(phones) {
  const listed = new Set();
  let prev = null;
  for (const p of phones) {
    listed.add(p.number);
    let card = cards.get(p.number);
    if (card) describe(card, p);
    else {
      card = makeCard(p);
      if (prev) prev.after(card);
      else main.prepend(card);
    }
    prev = card;
  }
  for (const [number, card] of cards) {
    if (!listed.has(number) && !card.querySelector(".messages li") && !card.contains(document.activeElement)) {
      card.remove();
      cards.delete(number);
    }
  }
}

let asking = null; // the ask for the phones under way
let askAgain = false; // asked for while one was under way

async function refresh() {
  if (asking) {
    askAgain = true;
    return asking;
  }
  asking = (async () => {
    do {
      askAgain = false;
      try {
        const res = await fetch("phones", { cache: "no-store" });
        if (res.ok) place(await res.json());
      } catch {
        // the status line says when the line is lost
      }
    } while (askAgain);
    asking = null;
  })();
  return asking;
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

async function start() {
  await refresh();
  setInterval(refresh, 5000);
  const events = new EventSource("events");
  events.onopen = () => setStatus("Connected to the line.");
  events.onerror = () => setStatus("Lost the line; trying again…");
  events.onmessage = (e) => add(JSON.parse(e.data));
}

start();
