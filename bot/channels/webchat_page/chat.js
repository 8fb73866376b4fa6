// The citizens' chat page. Plain script, no libraries, no HTML from strings:
// every text goes onto the page through text nodes (see renderText).
(function () {
  "use strict";

  var STORE_KEY = "tthc-webchat-v1";
  var MAX_KEPT = 200; // messages kept across reloads
  var POLL_MS = 5000; // how often to ask for officers' replies
  var REQUEST_TIMEOUT_MS = 30000;
  var script = document.currentScript;
  var BASE = new URL("../", script ? script.src : window.location.href); // .../webhooks/webchat/

  var WELCOME = {
    who: "bot",
    text:
      "Xin chào! Tôi là trợ lý ảo về thủ tục hành chính.\n" +
      "Bạn có thể hỏi giấy tờ cần chuẩn bị, lệ phí, thời hạn, nơi nộp, các bước của một thủ tục, " +
      "hoặc tra cứu tình trạng hồ sơ bằng mã hồ sơ trên giấy biên nhận.",
    buttons: [
      { title: "Làm căn cước cần giấy tờ gì?", payload: "làm căn cước cần giấy tờ gì" },
      { title: "Đăng ký khai sinh mất bao lâu?", payload: "đăng ký khai sinh mất bao lâu" },
      { title: "Tra cứu hồ sơ", payload: "tra cứu hồ sơ" },
      { title: "Gặp cán bộ", payload: "cho tôi gặp cán bộ" }
    ]
  };
  var TEXTS = {
    you: "Bạn",
    bot: "Trợ lý",
    officer: "Cán bộ",
    system: "Thông báo",
    offline: "Chưa gửi được tin nhắn: không kết nối được với máy chủ. Bạn kiểm tra mạng rồi bấm “Gửi lại”.",
    serverError: "Máy chủ đang bận, tin nhắn chưa được xử lý. Bạn bấm “Gửi lại” sau ít phút nhé.",
    retry: "Gửi lại",
    notSent: "Chưa gửi được",
    feedbackAsk: "Câu trả lời có hữu ích không?",
    feedbackThanks: "Cảm ơn bạn đã góp ý.",
    empty: "Bạn hãy nhập câu hỏi trước khi gửi nhé."
  };

  var log = document.getElementById("log");
  var quick = document.getElementById("quick");
  var typing = document.getElementById("typing");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var restart = document.getElementById("restart");

  var state = load();
  var busy = false;
  var polling = null;

  // --- storage ---------------------------------------------------------------
  // The conversation id (sender) is issued and signed by the server (POST conversations);
  // the page keeps it with the conversation and asks for a new one if the server refuses it.
  function fresh() {
    return { sender: null, messages: [stamp(copy(WELCOME))] };
  }

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && (typeof saved.sender === "string" || saved.sender === null) && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (e) { /* storage off or corrupted: start again */ }
    return fresh();
  }

  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function stamp(message) {
    message.at = message.at || Date.now();
    message.id = message.id || String(message.at) + "-" + Math.random().toString(36).slice(2, 8);
    return message;
  }

  // --- rendering -------------------------------------------------------------
  var URL_RE = /(https?:\/\/[^\s<>"']+|\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov|com|org|edu)\.vn(?:\/[^\s<>"']*)?|\b1800\s?\d{4}\b|\b1900\s?\d{4}\b)/gi;
  var ITEM_RE = /^\s*(?:[-•*–]|\d{1,3}[.)]|[a-zđ][.)])\s+/i;

  // Text becomes lines of text nodes; web addresses and hotlines become links.
  function renderText(container, text) {
    String(text || "").split("\n").forEach(function (line) {
      var row = document.createElement("div");
      row.className = ITEM_RE.test(line) ? "line item" : "line";
      var last = 0;
      line.replace(URL_RE, function (match, _group, offset) {
        var target = match.replace(/[.,;:!?)\]]+$/, "");
        row.appendChild(document.createTextNode(line.slice(last, offset)));
        row.appendChild(link(target));
        last = offset + target.length;
        return match;
      });
      row.appendChild(document.createTextNode(line.slice(last)));
      container.appendChild(row);
    });
  }

  function link(target) {
    var a = document.createElement("a");
    var digits = target.replace(/\s/g, "");
    if (/^\d+$/.test(digits)) {
      a.href = "tel:" + digits;
    } else {
      var href = /^https?:\/\//i.test(target) ? target : "https://" + target;
      try {
        var parsed = new URL(href);
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
        a.href = parsed.href;
      } catch (e) {
        return document.createTextNode(target);
      }
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    a.textContent = target;
    return a;
  }

  function time(at) {
    var d = new Date(at);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function isFeedback(button) {
    return typeof button.payload === "string" && button.payload.indexOf("/feedback") === 0;
  }

  function renderMessage(message) {
    var item = document.createElement("div");
    item.className = "message " + message.who + (message.failed ? " failed" : "");
    item.dataset.id = message.id;
    if (message.who !== "user") {
      var author = document.createElement("div");
      author.className = "author";
      author.textContent = TEXTS[message.who] || TEXTS.bot;
      item.appendChild(author);
    }
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    renderText(bubble, message.text);
    if (message.image) bubble.appendChild(link(message.image));
    item.appendChild(bubble);

    var meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = message.failed ? TEXTS.notSent : time(message.at);
    item.appendChild(meta);
    if (message.failed) {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry";
      retry.textContent = TEXTS.retry;
      retry.addEventListener("click", function () { resend(message.id); });
      item.appendChild(retry);
    }
    var feedback = (message.buttons || []).filter(isFeedback);
    if (feedback.length) item.appendChild(renderFeedback(message, feedback));
    return item;
  }

  function renderFeedback(message, buttons) {
    var box = document.createElement("div");
    box.className = "feedback";
    var label = document.createElement("span");
    label.textContent = message.rated ? TEXTS.feedbackThanks : TEXTS.feedbackAsk;
    box.appendChild(label);
    buttons.forEach(function (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.setAttribute("aria-pressed", message.rated === button.payload ? "true" : "false");
      b.disabled = Boolean(message.rated);
      b.addEventListener("click", function () {
        if (message.rated || busy) return;
        message.rated = button.payload;
        save();
        send(button.payload, button.title, { silent: true });
      });
      box.appendChild(b);
    });
    return box;
  }

  function renderQuickReplies() {
    while (quick.firstChild) quick.removeChild(quick.firstChild);
    var last = state.messages[state.messages.length - 1];
    if (!last || last.who === "user") return;
    (last.buttons || []).filter(function (b) { return !isFeedback(b); }).forEach(function (button) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = button.title;
      b.disabled = busy;
      b.addEventListener("click", function () { send(button.payload, button.title); });
      quick.appendChild(b);
    });
  }

  function renderAll() {
    while (log.firstChild) log.removeChild(log.firstChild);
    state.messages.forEach(function (m) { log.appendChild(renderMessage(m)); });
    renderQuickReplies();
    scrollDown();
  }

  // A reply taller than the conversation area is shown from its first line (the procedure and its
  // code), not from its end; shorter ones keep the conversation scrolled to the bottom.
  function append(message) {
    state.messages.push(stamp(message));
    save();
    var node = renderMessage(message);
    log.appendChild(node);
    renderQuickReplies();
    scrollDown();
    if (message.who !== "user" && node.offsetHeight > log.clientHeight) {
      log.scrollTop += node.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
    }
  }

  function refresh(message) {
    var node = log.querySelector('[data-id="' + message.id + '"]');
    if (node) node.replaceWith(renderMessage(message));
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    Array.prototype.forEach.call(quick.querySelectorAll("button"), function (b) { b.disabled = value; });
    if (value) scrollDown();
  }

  // --- talking to the server --------------------------------------------------
  function request(path, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    options = options || {};
    if (controller) options.signal = controller.signal;
    return fetch(new URL(path, BASE).href, options).finally(function () { if (timer) clearTimeout(timer); });
  }

  var asking = null; // the request for a sender under way, shared by whoever needs it

  // The sender to use: the kept one, or a new one from the server.
  function ensureSender() {
    if (state.sender) return Promise.resolve(state.sender);
    if (!asking) {
      asking = request("conversations", { method: "POST" })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (body) {
          if (!body || typeof body.sender !== "string") throw new Error("no sender");
          if (!state.sender) {
            state.sender = body.sender; // a fresh id: whichever conversation is current takes it
            save();
          }
          return state.sender;
        })
        .finally(function () { asking = null; });
    }
    return asking;
  }

  // The server refused the kept sender (403: not one it issued): forget it, a new one comes next.
  function refused(response, sender) {
    if (response.status !== 403) return false;
    if (state.sender === sender) {
      state.sender = null;
      save();
    }
    return true;
  }

  function fromServer(reply) {
    var who = reply.from === "officer" ? "officer" : "bot";
    var buttons = Array.isArray(reply.buttons)
      ? reply.buttons
          .filter(function (b) { return b && typeof b.title === "string" && typeof b.payload === "string"; })
          .slice(0, 5)
          .map(function (b) { return { title: b.title.slice(0, 80), payload: b.payload }; })
      : [];
    var text = typeof reply.text === "string" ? reply.text : "";
    var image = typeof reply.image === "string" ? reply.image : null;
    if (!text && !image && !buttons.length) return null;
    return { who: who, text: text, image: image, buttons: buttons };
  }

  function send(payload, shown, options) {
    options = options || {};
    if (busy) return;
    var mine = null;
    if (!options.silent) {
      mine = { who: "user", text: shown || payload, payload: payload };
      append(mine);
    } else {
      renderAll();
    }
    deliver(payload, mine);
  }

  function post(payload, retried) {
    return ensureSender().then(function (sender) {
      return request("webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: payload })
      }).then(function (response) {
        if (refused(response, sender) && !retried) return post(payload, true);
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      });
    });
  }

  function deliver(payload, mine) {
    setBusy(true);
    post(payload, false)
      .then(function (replies) {
        setBusy(false);
        (Array.isArray(replies) ? replies : []).forEach(function (reply) {
          var message = fromServer(reply || {});
          if (message) append(message);
        });
      })
      .catch(function (error) {
        setBusy(false);
        if (mine) {
          mine.failed = true;
          save();
          refresh(mine);
        }
        var offline = error && (error.name === "TypeError" || error.name === "AbortError");
        append({ who: "system", text: offline ? TEXTS.offline : TEXTS.serverError });
      })
      .finally(function () { input.focus(); });
  }

  function resend(id) {
    if (busy) return;
    var message = state.messages.filter(function (m) { return m.id === id; })[0];
    if (!message) return;
    message.failed = false;
    save();
    refresh(message);
    deliver(message.payload || message.text, message);
  }

  function poll() {
    if (busy || document.visibilityState === "hidden" || !state.sender) return;
    var sender = state.sender;
    request("updates?sender=" + encodeURIComponent(sender))
      .then(function (response) {
        if (refused(response, sender)) ensureSender().catch(function () { /* asked again later */ });
        return response.ok ? response.json() : [];
      })
      .then(function (replies) {
        (Array.isArray(replies) ? replies : []).forEach(function (reply) {
          var message = fromServer(reply || {});
          if (message) append(message);
        });
      })
      .catch(function () { /* the next poll tries again */ });
  }

  // --- wiring ----------------------------------------------------------------
  function grow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
    input.style.overflowY = input.scrollHeight > 160 ? "auto" : "hidden";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      input.setAttribute("aria-invalid", "true");
      input.placeholder = TEXTS.empty;
      return;
    }
    if (busy) return;
    input.removeAttribute("aria-invalid");
    input.value = "";
    grow();
    send(text);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", grow);

  restart.addEventListener("click", function () {
    if (busy) return;
    state = fresh();
    save();
    renderAll();
    ensureSender().catch(function () { /* asked again with the first message */ });
    input.focus();
  });

  renderAll();
  save();
  ensureSender().catch(function () { /* asked again with the first message */ });
  polling = window.setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") poll(); });
  window.TTHC_CHAT = { sender: function () { return state.sender; }, pollNow: poll, pollTimer: polling };
})();
