// The review queue by keyboard: j/k move, a/r decide, e edits in place, u undoes, ? shows the help.
// Decisions are posted with the page's CSRF token; the server answers with the card's new HTML.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  if (!queue) { return; }
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var live = document.getElementById("live");
  var progress = document.getElementById("progress");
  var help = document.getElementById("help");

  function cards() { return Array.prototype.slice.call(queue.querySelectorAll(".card")); }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest(".card") : null;
  }
  function say(text) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 30); }
  function focusCard(card) {
    if (!card) { return; }
    card.focus();
    card.scrollIntoView({block: "nearest"});
  }
  function move(step) {
    var all = cards(), at = all.indexOf(current());
    if (at < 0) { focusCard(all[0]); return; }
    if (step > 0 && at === all.length - 1 && queue.dataset.next) { window.location.assign(queue.dataset.next); return; }
    focusCard(all[Math.min(all.length - 1, Math.max(0, at + step))]);
  }
  function updateProgress(before, after) {
    var reviewed = parseInt(progress.dataset.reviewed, 10), scope = progress.dataset.scope;
    if (before === "pending" && after !== "pending") { reviewed += 1; }
    if (before !== "pending" && after === "pending") { reviewed -= 1; }
    progress.dataset.reviewed = String(reviewed);
    progress.querySelector("strong").textContent = reviewed + " de " + scope + " revisadas";
  }
  function replace(old, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    var before = old.dataset.status;
    old.replaceWith(fresh);
    updateProgress(before, fresh.dataset.status);
    var note = fresh.querySelector(".message");
    if (note) { say(note.textContent); }
    return fresh;
  }
  function post(url, body) {
    return fetch(url, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"X-Requested-With": "fetch", "X-CSRFToken": token}});
  }
  function send(form) {
    var card = form.closest(".card"), decision = form.querySelector('input[name="status"]');
    return post(form.action, new FormData(form)).then(function (response) {
      return response.text().then(function (text) {
        if (response.status === 401) { window.location.reload(); return; }
        if (!card.isConnected || response.status === 404 || response.status === 400) { say(text); return; }
        var fresh = replace(card, text);
        if (response.ok && decision) { focusCard(cards()[cards().indexOf(fresh) + 1] || fresh); }
        else if (fresh.classList.contains("editing")) { fresh.querySelector("textarea").focus(); }
        else { focusCard(fresh); }
      });
    });
  }
  function undo() {
    post(queue.dataset.undo, new FormData()).then(function (response) {
      if (response.status === 204) { say("Nada a desfazer."); return; }
      return response.text().then(function (text) {
        if (!response.ok && response.status !== 412) { say(text); return; }
        var holder = document.createElement("div");
        holder.innerHTML = text.trim();
        var old = document.getElementById(holder.firstElementChild.id);
        if (old) { focusCard(replace(old, text)); } else { say("Decisão desfeita (variante fora desta página)."); }
      });
    });
  }
  function edit(card, open) {
    var form = card.querySelector(".edit-form"), toggle = card.querySelector(".js-edit");
    form.hidden = !open;
    card.classList.toggle("editing", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var text = form.querySelector("textarea");
      text.focus();
      text.setSelectionRange(text.value.length, text.value.length);
    } else { focusCard(card); }
  }
  function decide(card, status) {
    var input = card.querySelector('.js-action input[name="status"][value="' + status + '"]');
    if (input) { send(input.form); }
  }

  queue.addEventListener("submit", function (event) {
    var form = event.target.closest(".js-action");
    if (!form) { return; }
    event.preventDefault();
    send(form);
  });
  queue.addEventListener("click", function (event) {
    var card = event.target.closest(".card");
    if (event.target.closest(".js-edit")) { edit(card, card.querySelector(".edit-form").hidden); }
    if (event.target.closest(".js-cancel")) { edit(card, false); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest(".js-help")) { help.showModal(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = event.target.matches("input, textarea, select");
    var card = current();
    if (typing) {
      var form = event.target.closest(".edit-form");
      if (form && event.key === "Escape") { event.preventDefault(); edit(form.closest(".card"), false); }
      if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); send(form); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || help.open) { return; }
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": if (card) { decide(card, "approved"); } break;
      case "r": if (card) { decide(card, "rejected"); } break;
      case "e": if (card) { edit(card, true); } break;
      case "u": undo(); break;
      case "?": help.showModal(); break;
      default: return;
    }
    event.preventDefault();
  });
  if (!current()) { focusCard(cards()[0]); }
}());
