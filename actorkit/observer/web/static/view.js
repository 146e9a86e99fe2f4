// actorkit web view: one websocket, one snapshot per message, redrawn in place.
"use strict";
const $ = (sel) => document.querySelector(sel);
const SVG = "http://www.w3.org/2000/svg";
const history = { msg: [], cmd: [] };
const BOX_W = 150, BOX_H = 34, GAP_X = 12, GAP_Y = 28;

function el(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function nameOf(p) { return p.name || p.label || p.function; }

// Everything a node reports is text: PIDs look like tags (<local.4>) and names are the
// user's, so nothing from a snapshot goes into innerHTML unescaped.
const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function esc(value) { return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]); }

function card(label, value, alert) {
  return `<div class="card${alert ? " alert" : ""}">${label}<b>${value}</b></div>`;
}

function drawSummary(s) {
  $("#node").textContent = `${s.node} · up ${s.uptime.toFixed(0)} s`;
  $("#summary").innerHTML = [
    card("processes", s.process_count), card("spawned", s.spawned),
    card("messages/s", s.messages_per_second), card("commands/s", s.commands_per_second),
    card("restarts", s.restarts, s.restarts > 0), card("dead letters", s.dead_letters, s.dead_letters > 0),
  ].join("");
}

function width(node) {  // leaves under a node, for a simple tidy layout
  if (!node.children.length) return 1;
  return node.children.reduce((n, c) => n + width(c), 0);
}

function place(node, x, y, procs, svg) {
  const span = width(node) * (BOX_W + GAP_X);
  const cx = x + span / 2 - BOX_W / 2;
  const p = procs[node.pid];
  let childX = x;
  for (const child of node.children) {
    const childSpan = width(child) * (BOX_W + GAP_X);
    const tx = childX + childSpan / 2, ty = y + BOX_H + GAP_Y;
    svg.appendChild(el("path", { d: `M${cx + BOX_W / 2},${y + BOX_H} C${cx + BOX_W / 2},${ty - 10} ${tx},${y + BOX_H + 10} ${tx},${ty}` }));
    place(child, childX, ty, procs, svg);
    childX += childSpan;
  }
  const cls = p.restarts > 0 ? "restarted" : node.children.length ? "sup" : "";
  const g = el("g", { "data-pid": node.pid });
  g.appendChild(el("title", {}, `${node.pid} ${p.function} (${p.status})`));
  g.appendChild(el("rect", { x: cx, y, width: BOX_W, height: BOX_H, class: cls }));
  g.appendChild(el("text", { x: cx + 6, y: y + 14 }, nameOf(p).slice(0, 22)));
  const extra = p.restarts > 0 ? ` · ↻${p.restarts}` : "";
  g.appendChild(el("text", { x: cx + 6, y: y + 27 }, `${node.pid} · ${p.mailbox} queued${extra}`));
  svg.appendChild(g);
}

function depth(node) { return 1 + Math.max(0, ...node.children.map(depth)); }

function drawTree(s) {
  const svg = $("#tree");
  svg.replaceChildren();
  const procs = Object.fromEntries(s.processes.map((p) => [p.pid, p]));
  let x = 0;
  for (const root of s.tree) {
    place(root, x, 4, procs, svg);
    x += width(root) * (BOX_W + GAP_X);
  }
  const rows = Math.max(1, ...s.tree.map(depth));
  svg.setAttribute("width", Math.max(x, 300));
  svg.setAttribute("height", rows * (BOX_H + GAP_Y) + 8);
}

function drawSpark(s) {
  history.msg.push(s.messages_per_second); history.cmd.push(s.commands_per_second);
  for (const k of ["msg", "cmd"]) if (history[k].length > 60) history[k].shift();
  const top = Math.max(1, ...history.msg, ...history.cmd);
  const line = (xs) => xs.map((v, i) => `${i * 5},${78 - (v / top) * 74}`).join(" ");
  $("#spark").innerHTML =
    `<polyline class="msg" points="${line(history.msg)}"/><polyline class="cmd" points="${line(history.cmd)}"/>`;
}

function drawModules(s) {
  const rates = s.command_rates_by_module || {};
  const inflight = s.inflight_by_module;
  const names = [...new Set([...Object.keys(rates), ...Object.keys(inflight)])].sort();
  const top = Math.max(1, ...names.map((m) => rates[m] || 0));
  $("#modules").innerHTML = names.length
    ? names.map((m) => `<div class="bar" data-module="${esc(m)}"><span>${esc(m)}</span>` +
        `<i style="width:${((rates[m] || 0) / top) * 140}px"></i>${rates[m] || 0}/s` +
        `${inflight[m] ? `, ${inflight[m]} in flight` : ""}</div>`).join("")
    : "<p>none</p>";
}

function drawTable(s) {
  const top = Math.max(1, ...s.processes.map((p) => p.mailbox));
  $("#procs tbody").innerHTML = s.processes.map((p) => `
    <tr data-pid="${esc(p.pid)}"><td>${esc(p.pid)}</td><td>${esc(nameOf(p))}</td>
    <td class="status-${esc(p.status)}">${esc(p.status)}</td>
    <td class="num">${p.mailbox}<span class="mbox" style="width:${(p.mailbox / top) * 60}px"></span></td>
    <td class="num">${p.message_rate}</td>
    <td class="num${p.restarts ? " restarted" : ""}">${p.restarts}</td>
    <td>${esc(p.current || "")}</td></tr>`).join("");
}

function draw(s) {
  drawSummary(s); drawTree(s); drawSpark(s); drawModules(s); drawTable(s);
  window.lastSnapshot = s;
}

function connect() {
  const base = location.pathname.replace(/\/$/, "");
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${base}/ws${location.search}`);
  ws.onopen = () => { $("#link").textContent = "live"; $("#link").className = ""; };
  ws.onmessage = (e) => draw(JSON.parse(e.data));
  ws.onclose = () => {
    $("#link").textContent = "disconnected"; $("#link").className = "down";
    setTimeout(connect, 2000);
  };
}
connect();
