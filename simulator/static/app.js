// The phone simulator's page: one card per phone, texts from the line arrive by server-sent events.
"use strict";

const roles = { person: "person asking for support", volunteer: "peer volunteer", coordinator: "coordinator" };
const cards = new Map(); // number -> card element

function add(number, direction, text) {
  const card = cards.get(number);
  if (!card) return;
  const li = document.createElement("li");
  li.className = direction;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = direction === "in" ? "from the line" : "you";
  li.append(who, document.createTextNode(text));
  const list = card.querySelector(".messages");
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

function render(phones) {
  const main = document.getElementById("phones");
  const tpl = document.getElementById("phone-template");
  for (const p of phones) {
    const card = tpl.content.firstElementChild.cloneNode(true);
    const id = "body-" + p.number.replace(/\D/g, "");
    card.dataset.number = p.number;
    card.setAttribute("aria-label", p.name + "'s phone");
    card.querySelectorAll(".name").forEach((n) => (n.textContent = p.name));
    card.querySelector(".role").textContent = "(" + roles[p.role] + ")";
    card.querySelector(".number").textContent = p.number + " by " + (p.channel === "whatsapp" ? "WhatsApp" : "SMS");
    const input = card.querySelector("input");
    input.id = id;
    card.querySelector("label").htmlFor = id;
    card.querySelector("form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      input.value = "";
      const res = await fetch("send", { method: "POST", body: new URLSearchParams({ from: p.number, body }) });
      if (!res.ok) setStatus("That text did not reach the line: " + (await res.text()));
    });
    cards.set(p.number, card);
    main.append(card);
  }
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

async function start() {
  const res = await fetch("phones");
  render(await res.json());
  const events = new EventSource("events");
  events.onopen = () => setStatus("Connected to the line.");
  events.onerror = () => setStatus("Lost the line; trying again…");
  events.onmessage = (e) => {
    const m = JSON.parse(e.data);
    add(m.phone, m.dir, m.body);
  };
}

start();
