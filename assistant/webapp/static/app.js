// The closure assistant's pages: site search, the start form, and the live run (server-sent events).
// Plain JavaScript, no build step. Text from the server is always set with textContent, never as HTML.
"use strict";

const csrf = () => document.body.dataset.csrf;
const $ = (id) => document.getElementById(id);

function post(url, fields) {
  const body = new URLSearchParams({ csrf: csrf(), ...fields });
  return fetch(url, { method: "POST", body, credentials: "same-origin",
                      headers: { "X-CSRF-Token": csrf() } });
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// ---------------------------------------------------------------- the sites: filter as you type
function setUpSearch() {
  const box = $("site-search");
  if (!box) return;
  const fold = (s) => (s || "").toLowerCase().replace(/[\s\-_·]+/g, "");
  box.addEventListener("input", () => {
    const q = fold(box.value);
    let shown = 0;
    for (const li of document.querySelectorAll("#sites .site")) {
      const hit = !q || fold(li.dataset.search).includes(q) ||
        li.dataset.search.split(" ").some((word) => fold(word).includes(q));
      li.hidden = !hit;
      if (hit) shown += 1;
    }
    $("no-sites").hidden = shown > 0;
  });
}

// ---------------------------------------------------------------- the start form
function setUpStart() {
  const dry = $("dry-run"), button = $("start"), saved = $("use-saved"), secret = $("secret-password");
  if (dry && button) {
    const label = () => { button.textContent = dry.checked ? button.dataset.dry : button.dataset.real; };
    dry.addEventListener("change", label);
  }
  if (saved && secret) {
    saved.addEventListener("change", () => {
      secret.disabled = saved.checked;
      if (saved.checked) secret.value = "";
      if ($("save")) $("save").disabled = saved.checked;
    });
  }
}

// ---------------------------------------------------------------- the live run
function setUpRun() {
  const root = $("run");
  if (!root) return;
  const runId = root.dataset.run;
  const steps = $("steps"), said = $("said");
  let question = null, countdown = null, last = -1, done = false;

  function stepItem(i) {
    let item = document.getElementById("step-" + i);
    if (!item) {
      item = el("li", "step");
      item.id = "step-" + i;
      item.appendChild(el("span", "name"));
      item.appendChild(el("span", "state"));
      item.appendChild(el("div", "shots"));
      steps.appendChild(item);
    }
    return item;
  }

  function addShot(item, name) {
    const url = "/evidence/" + encodeURIComponent(root.dataset.folder) + "/" + name.split("/").map(encodeURIComponent).join("/");
    const link = el("a");
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener";
    const img = el("img", "shot");
    img.src = url;
    img.alt = name;
    link.appendChild(img);
    item.querySelector(".shots").appendChild(link);
  }

  function sayLine(text, err) {
    const li = el("li", err ? "err" : "", text);
    said.appendChild(li);
  }

  function showWait(box, minutes) {
    const hint = box.querySelector(".wait");
    if (hint) hint.textContent = hint.dataset.text.replace("{m}", minutes);
  }

  function startCountdown(seconds) {
    const hint = $("code-resend");
    clearInterval(countdown);
    if (seconds === null || seconds === undefined) { hint.hidden = true; return; }
    let left = seconds;
    hint.hidden = false;
    const show = () => {
      hint.textContent = left > 0 ? hint.dataset.text.replace("{s}", left) : hint.dataset.now;
      if (left <= 0) clearInterval(countdown);
      left -= 1;
    };
    show();
    countdown = setInterval(show, 1000);
  }

  function ask(event) {
    question = event;
    if (event.what === "code") {
      $("code-prompt").textContent = event.prompt;
      $("code-practice").hidden = !event.practice;
      $("code-practice").textContent = event.practice || "";
      $("code-problem").hidden = true;
      $("code").value = "";
      startCountdown(event.resend_in);
      showWait($("code-box"), event.wait_minutes);
      $("code-box").hidden = false;
      $("code").focus();
    } else if (event.what === "confirm") {
      $("confirm-text").textContent = event.text;
      showWait($("confirm-box"), event.wait_minutes);
      $("confirm-box").hidden = false;
    }
  }

  function answered(seq) {
    if (question && question.seq === seq) {
      question = null;
      $("code-box").hidden = true;
      $("confirm-box").hidden = true;
      clearInterval(countdown);
    }
  }

  async function answer(what, value) {
    if (!question) return;
    const response = await post("/runs/" + runId + "/answer", { seq: question.seq, what, value });
    if (response.status === 400) {
      $("code-problem").textContent = await response.text();
      $("code-problem").hidden = false;
    }
  }

  function finish(event) {
    done = true;
    const box = $("result"), heading = $("result-heading");
    heading.textContent = event.status === 0 ? heading.dataset.ok :
      (event.status === 130 ? heading.dataset.stopped : heading.dataset.failed);
    box.classList.add(event.status === 0 ? "ok" : "failed");
    $("application").textContent = event.application || "-";
    $("deadline").textContent = event.deadline || "-";
    $("deadline-text").textContent = event.deadline_text || "";
    if (event.folder) {
      const base = "/evidence/" + encodeURIComponent(event.folder) + "/";
      $("evidence-link").href = base;
      $("evidence-link").hidden = false;
      if (event.report_html) { $("report-link").href = base + "report.html"; $("report-link").hidden = false; }
      if (event.report_pdf) { $("pdf-link").href = base + "report.pdf?download=1"; $("pdf-link").hidden = false; }
    }
    $("close-now").hidden = !(event.status === 0 && event.outcome === "dry_run_ok");
    $("again").hidden = event.status === 0;
    $("stop").hidden = true;
    $("run-status").hidden = true;
    box.hidden = false;
  }

  function handle(event) {
    last = event.n;
    switch (event.kind) {
      case "started":
        root.dataset.folder = event.folder || "";
        break;
      case "step": {
        const item = stepItem(event.i);
        item.querySelector(".name").textContent = "[" + event.i + "/" + event.total + "] " + event.name;
        $("run-status").textContent = event.name;
        break;
      }
      case "stepdone": {
        const item = stepItem(event.i);
        item.classList.add(event.status);
        item.querySelector(".state").textContent = event.note || "";
        for (const shot of event.shots || []) addShot(item, shot);
        break;
      }
      case "note": case "wait": sayLine(event.text, false); break;
      case "say": sayLine(event.text, event.err); break;
      case "ask": ask(event); break;
      case "answered": answered(event.seq); break;
      case "done": finish(event); break;
    }
  }

  function connect() {
    const source = new EventSource("/runs/" + runId + "/events" + (last >= 0 ? "?from=" + last : ""));
    source.onmessage = (message) => {
      $("lost").hidden = true;
      handle(JSON.parse(message.data));
      if (done) source.close();
    };
    source.onerror = () => { if (!done) $("lost").hidden = false; };
  }

  $("code-box").addEventListener("submit", (e) => { e.preventDefault(); answer("code", $("code").value.trim()); });
  $("confirm-yes").addEventListener("click", () => answer("confirm", "yes"));
  $("confirm-no").addEventListener("click", () => answer("confirm", "no"));
  $("stop").addEventListener("click", () => {
    post("/runs/" + runId + "/stop", {});
    $("run-status").textContent = $("stop").dataset.stopping;
  });
  connect();
}

document.addEventListener("DOMContentLoaded", () => { setUpSearch(); setUpStart(); setUpRun(); });
