/* gradex practice page: switch between pre-rendered variants and languages,
   check typed numbers against the Python solver's answers (data-answer) with
   the part's relative tolerance (data-tol), reveal steps one at a time.
   No mathematics beyond reading a number happens here. */
(function () {
  "use strict";

  var BANGLA = "০১২৩৪৫৬৭৮৯";
  var DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

  /* Bangla digits -> Latin, minus signs and dashes -> "-", spaces dropped. */
  function normalize(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      var d = BANGLA.indexOf(ch);
      if (d >= 0) out += String(d);
      else if (ch === "\u2212" || ch === "\u2013" || ch === "\u2012" || ch === "\ufe63" || ch === "\uff0d") out += "-";
      else if (ch === "\u00d7") out += "*";
      else if (/\s/.test(ch) || ch === ",") continue;
      else out += ch;
    }
    return out;
  }

  /* "3/2", "-1.5", "১/২", "−০.৫", "2.5e-3" -> number; null when unreadable. */
  function parseAnswer(text) {
    var s = normalize(text);
    if (!s) return null;
    var pieces = s.split("/");
    if (pieces.length > 2) return null;
    for (var i = 0; i < pieces.length; i++) if (!DECIMAL.test(pieces[i])) return null;
    var x = Number(pieces[0]);
    if (pieces.length === 2) {
      var den = Number(pieces[1]);
      if (den === 0) return null;
      x = x / den;
    }
    return isFinite(x) ? x : null;
  }

  function close(x, answer, tol) {
    if (answer === 0) return Math.abs(x) <= tol;
    return Math.abs(x - answer) <= tol * Math.abs(answer);
  }

  function say(part, key) {
    var box = part.querySelector(".feedback");
    var tpl = document.getElementById("msg-" + key);
    box.className = "feedback " + key;
    box.textContent = "";
    box.appendChild(tpl.content.cloneNode(true));
    part.setAttribute("data-verdict", key);
  }

  function checkNumber(part) {
    var input = part.querySelector(".answer-input");
    var x = parseAnswer(input.value);
    input.classList.remove("is-right", "is-wrong");
    if (x === null) { say(part, "unreadable"); return; }
    var ok = close(x, Number(part.getAttribute("data-answer")), Number(part.getAttribute("data-tol")));
    input.classList.add(ok ? "is-right" : "is-wrong");
    say(part, ok ? "right" : "wrong");
  }

  function checkChoice(part, button) {
    var ok = button.getAttribute("data-choice") === part.getAttribute("data-answer");
    part.querySelectorAll(".choice").forEach(function (b) {
      b.classList.remove("is-right", "is-wrong");
      b.setAttribute("aria-pressed", "false");
    });
    button.classList.add(ok ? "is-right" : "is-wrong");
    button.setAttribute("aria-pressed", "true");
    say(part, ok ? "right" : "wrong");
  }

  /* Steps: every language's list has the same items; reveal by position. */
  function stepLists(part) { return part.querySelectorAll("ol.steplist"); }

  function shown(part) {
    var list = stepLists(part)[0];
    return list.querySelectorAll("li.step:not([hidden])").length;
  }

  function reveal(part, upto) {
    var total = 0;
    stepLists(part).forEach(function (list) {
      var items = list.querySelectorAll("li.step");
      total = items.length;
      for (var i = 0; i < items.length; i++) items[i].hidden = i >= upto;
    });
    var done = upto >= total;
    part.querySelector(".next-step").disabled = done;
    part.querySelector(".show-all").disabled = done;
    part.setAttribute("data-steps-shown", String(Math.min(upto, total)));
  }

  function resetVariant(article) {
    article.querySelectorAll("li.part").forEach(function (part) {
      var input = part.querySelector(".answer-input");
      if (input) { input.value = ""; input.classList.remove("is-right", "is-wrong"); }
      part.querySelectorAll(".choice").forEach(function (b) {
        b.classList.remove("is-right", "is-wrong");
        b.setAttribute("aria-pressed", "false");
      });
      var box = part.querySelector(".feedback");
      box.className = "feedback";
      box.textContent = "";
      part.removeAttribute("data-verdict");
      reveal(part, 0);
    });
  }

  function current(section) {
    var articles = section.querySelectorAll("article.variant");
    for (var i = 0; i < articles.length; i++) if (!articles[i].hidden) return i;
    return 0;
  }

  function showVariant(section, k) {
    var articles = section.querySelectorAll("article.variant");
    articles.forEach(function (a, i) { a.hidden = i !== k; });
    resetVariant(articles[k]);
    section.setAttribute("data-current-seed", articles[k].getAttribute("data-seed"));
  }

  /* The pool is in random order already; walk it, so that a student sees
     every variant once before any comes back. */
  function newVariant(section) {
    var n = section.querySelectorAll("article.variant").length;
    if (n < 2) return;
    showVariant(section, (current(section) + 1) % n);
    section.scrollIntoView({ block: "start" });
  }

  function setLang(lang) {
    var root = document.documentElement;
    root.setAttribute("data-lang", lang);
    root.setAttribute("lang", lang);
    document.querySelectorAll(".setlang").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-set-lang") === lang ? "true" : "false");
    });
    document.querySelectorAll(".answer-input").forEach(function (input) {
      var label = input.getAttribute("data-label-" + lang);
      if (label) input.setAttribute("aria-label", label);
    });
    var title = document.querySelector("h1 .lang-" + lang);
    if (title) document.title = title.textContent;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var part = button.closest("li.part");
    if (button.classList.contains("check")) checkNumber(part);
    else if (button.classList.contains("choice")) checkChoice(part, button);
    else if (button.classList.contains("next-step")) reveal(part, shown(part) + 1);
    else if (button.classList.contains("show-all")) reveal(part, Infinity);
    else if (button.classList.contains("new-variant")) newVariant(button.closest("section.family"));
    else if (button.classList.contains("setlang")) setLang(button.getAttribute("data-set-lang"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList && event.target.classList.contains("answer-input")) {
      checkNumber(event.target.closest("li.part"));
    }
  });

  /* Start each family at a random variant, so that reopening the page gives
     another question. */
  document.querySelectorAll("section.family").forEach(function (section) {
    var n = section.querySelectorAll("article.variant").length;
    showVariant(section, Math.floor(Math.random() * n));
  });
  window.gradexPractice = { parseAnswer: parseAnswer };
})();
