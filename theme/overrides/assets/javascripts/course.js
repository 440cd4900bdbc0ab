/*
 * The participant's side of the course site: a journal under every prompt, "done" marks and
 * progress, print helpers and click-to-load videos.
 *
 * Everything is kept in this browser's localStorage and nothing is ever sent anywhere: this
 * script makes no network requests. A video's embed address is loaded only when its play
 * button is pressed, and only from the two hosts below.
 *
 * Material's instant navigation swaps the page content without a reload, so the page is set up
 * again on every emission of its `document$`; each hook is marked once set up, so running
 * twice over the same page changes nothing.
 *
 * Storage keys (one course site may share its origin with others, hence the course slug):
 *   course-journal/<course>/<module>/<block>/<prompt>  {"text": "...", "updated": "<ISO date>"}
 *   course-progress/<course>                           {"done": [module ids], "last": {"module", "title"}}
 */
(function () {
  "use strict";

  if (window.__courseSite) return; // the script was loaded twice
  window.__courseSite = true;

  var JOURNAL = "course-journal/";
  var PROGRESS = "course-progress/";
  var EXPORT_FORMAT = "course-journal";
  var EXPORT_VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var MAX_ANSWER_CHARS = 100000;
  var EMBED_PREFIXES = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"];

  var TEXT = {
    label: "Your notes",
    saved: "Saved as you type, in this browser on this device only. Never sent anywhere.",
    seeAll: "See all your notes in ",
    journal: "My journal",
    unavailable:
      "This browser is not letting the course save anything (private browsing, or storage turned off). " +
      "You can still write here, but your notes will be lost when you close or reload the page: " +
      "download your journal from My journal to keep them.",
    full:
      "This browser's storage for the course is full, so your latest notes are not saved. " +
      "They stay until you close or reload the page: download your journal from My journal to keep them."
  };

  /* ---------------------------------------------------------------- storage */

  // localStorage when it works; otherwise (private mode, storage off, quota full) a map that
  // lasts as long as the page, so that writing keeps working and the page can say so.
  var store = (function () {
    var memory = Object.create(null);
    var problem = "";
    var local = null;
    try {
      local = window.localStorage;
      local.setItem("course-probe", "1");
      local.removeItem("course-probe");
    } catch (e) {
      local = null;
      problem = "unavailable";
    }
    return {
      problem: function () {
        return problem;
      },
      get: function (key) {
        if (key in memory) return memory[key];
        if (!local) return null;
        try {
          return local.getItem(key);
        } catch (e) {
          return null;
        }
      },
      set: function (key, value) {
        if (local) {
          try {
            local.setItem(key, value);
            delete memory[key];
            return true;
          } catch (e) {
            problem = "full";
          }
        }
        memory[key] = value;
        return false;
      },
      remove: function (key) {
        delete memory[key];
        if (!local) return;
        try {
          local.removeItem(key);
        } catch (e) {
          /* nothing to remove */
        }
      },
      keys: function (prefix) {
        var seen = Object.create(null);
        var out = [];
        var add = function (key) {
          if (key && key.indexOf(prefix) === 0 && !seen[key]) {
            seen[key] = true;
            out.push(key);
          }
        };
        if (local) {
          try {
            for (var i = 0; i < local.length; i++) add(local.key(i));
          } catch (e) {
            /* keys from memory only */
          }
        }
        Object.keys(memory).forEach(add);
        return out;
      }
    };
  })();

  function readJSON(key, fallback) {
    var raw = store.get(key);
    if (raw === null) return fallback;
    try {
      var value = JSON.parse(raw);
      return value === null || typeof value !== "object" ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  /* ---------------------------------------------------------------- journal data */

  function answerPrefix(course) {
    return JOURNAL + encodeURIComponent(course) + "/";
  }

  function answerKey(ref) {
    return answerPrefix(ref.course) + [ref.module, ref.block, String(ref.prompt)].map(encodeURIComponent).join("/");
  }

  function refOf(hook) {
    return {
      course: hook.getAttribute("data-course") || "",
      module: hook.getAttribute("data-module") || "",
      block: hook.getAttribute("data-block") || "",
      prompt: parseInt(hook.getAttribute("data-prompt"), 10) || 1
    };
  }

  function readAnswer(ref) {
    var raw = store.get(answerKey(ref));
    if (raw === null) return { text: "", updated: "" };
    try {
      var value = JSON.parse(raw);
      if (value && typeof value.text === "string") return { text: value.text, updated: String(value.updated || "") };
    } catch (e) {
      /* an answer saved as plain text */
    }
    return { text: raw, updated: "" };
  }

  function writeAnswer(ref, text) {
    if (!text) {
      store.remove(answerKey(ref));
      return true;
    }
    return store.set(answerKey(ref), JSON.stringify({ text: text, updated: new Date().toISOString() }));
  }

  // Every stored answer of a course, as {module, block, prompt, text, updated}.
  function allAnswers(course) {
    var prefix = answerPrefix(course);
    var out = [];
    store.keys(prefix).forEach(function (key) {
      var parts = key.slice(prefix.length).split("/").map(decodeURIComponent);
      if (parts.length !== 3) return;
      var ref = { course: course, module: parts[0], block: parts[1], prompt: parseInt(parts[2], 10) };
      if (!(ref.prompt > 0)) return;
      var answer = readAnswer(ref);
      if (!answer.text) return;
      out.push({ module: ref.module, block: ref.block, prompt: ref.prompt, text: answer.text, updated: answer.updated });
    });
    return out;
  }

  /* ---------------------------------------------------------------- progress data */

  function readProgress(course) {
    var value = readJSON(PROGRESS + encodeURIComponent(course), {});
    var done = Array.isArray(value.done) ? value.done.filter(function (id) { return typeof id === "string"; }) : [];
    var last = value.last && typeof value.last.module === "string" ? value.last : null;
    return { done: done, last: last };
  }

  function writeProgress(course, progress) {
    return store.set(PROGRESS + encodeURIComponent(course), JSON.stringify(progress));
  }

  function setDone(course, module, done) {
    var progress = readProgress(course);
    progress.done = progress.done.filter(function (id) { return id !== module; });
    if (done) progress.done.push(module);
    return writeProgress(course, progress);
  }

  function clearCourse(course) {
    store.keys(answerPrefix(course)).forEach(store.remove);
    store.remove(PROGRESS + encodeURIComponent(course));
  }

  /* ---------------------------------------------------------------- page helpers */

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function once(node, name) {
    var flag = "data-course-" + name;
    if (node.hasAttribute(flag)) return false;
    node.setAttribute(flag, "");
    return true;
  }

  // The view's root URL (Material's own, computed once on the first page load).
  function siteRoot() {
    if (window.__md_scope) return new URL(String(window.__md_scope));
    return new URL(".", location.href);
  }

  function pageInfo() {
    var info = document.querySelector(".course-page");
    return {
      view: info ? info.getAttribute("data-view") : "",
      page: info ? info.getAttribute("data-page") : ""
    };
  }

  function headingText(node) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (link) {
      link.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function plainText(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function button(text, extraClass) {
    return make("button", { type: "button", class: "course-button" + (extraClass ? " " + extraClass : ""), text: text });
  }

  /* ---------------------------------------------------------------- storage notices */

  function storageMessage() {
    var problem = store.problem();
    return problem ? TEXT[problem] : "";
  }

  // Every place that promises saving says so when the browser will not save.
  function showStorageProblem() {
    var message = storageMessage();
    if (!message) return;
    all("[data-course-storage-note]").forEach(function (note) {
      note.textContent = message;
      note.classList.add("course-warning");
    });
    all(".course-storage-alert").forEach(function (alert) {
      alert.textContent = message;
      alert.hidden = false;
    });
  }

  /* ---------------------------------------------------------------- journal fields */

  function mountJournal(hook, isFirst, onJournalPage) {
    if (!once(hook, "ready")) return;
    var ref = refOf(hook);
    var promptId = hook.getAttribute("data-label") || "";
    var base = "course-journal-" + (promptId || [ref.module, ref.block, ref.prompt].join("-"));
    var answer = readAnswer(ref).text;

    var label = make("label", { class: "course-journal__label", id: base + "-label", for: base + "-field", text: TEXT.label });
    var field = make("textarea", {
      class: "course-journal__field",
      id: base + "-field",
      rows: "4",
      "aria-labelledby": (base + "-label " + promptId).trim(),
      "aria-describedby": base + "-note"
    });
    field.value = answer;
    var note = make("p", { class: "course-journal__note", id: base + "-note" });
    var noteText = make("span", { "data-course-storage-note": "", text: TEXT.saved });
    note.appendChild(noteText);
    if (isFirst && !onJournalPage) {
      var link = make("a", { href: new URL("journal/", siteRoot()).href, text: TEXT.journal });
      note.appendChild(document.createTextNode(" "));
      note.appendChild(make("span", {}, [TEXT.seeAll, link, "."]));
    }
    // Text areas print badly (cut off, with scroll bars): print a plain copy instead.
    var copy = make("div", { class: "course-journal__print", "aria-hidden": "true" });
    copy.textContent = answer;

    field.addEventListener("input", function () {
      copy.textContent = field.value;
      if (!writeAnswer(ref, field.value)) showStorageProblem();
      if (onJournalPage) updateJournalCount();
    });
    hook.replaceChildren(label, field, note, copy);
  }

  // On a worksheet, an answer already written is printed above the lines left to write on.
  function mountWorksheetAnswer(hook) {
    if (!once(hook, "ready")) return;
    var answer = readAnswer(refOf(hook)).text;
    if (!answer) return;
    var copy = make("div", { class: "course-journal__answer" }, [
      make("p", { class: "course-journal__label", text: TEXT.label }),
      make("div", { class: "course-journal__answer-text", text: answer })
    ]);
    hook.insertBefore(copy, hook.firstChild);
  }

  // Reread every field of the page from storage (after an import, a clear, or another tab).
  function refreshFields() {
    all(".course-journal").forEach(function (hook) {
      var field = hook.querySelector(".course-journal__field");
      if (!field || field === document.activeElement) return;
      var text = readAnswer(refOf(hook)).text;
      if (field.value !== text) field.value = text;
      var copy = hook.querySelector(".course-journal__print");
      if (copy) copy.textContent = text;
    });
  }

  /* ---------------------------------------------------------------- progress on the page */

  function moduleURL(module) {
    return new URL(encodeURIComponent(module) + "/", siteRoot());
  }

  function mountModuleEnd(end) {
    if (!once(end, "ready")) return;
    var course = end.getAttribute("data-course") || "";
    var module = end.getAttribute("data-module") || "";
    var toggle = button("I have finished this module", "course-done-toggle");
    var icon = make("span", { class: "course-done-toggle__icon", "aria-hidden": "true", text: "✓" });
    toggle.insertBefore(icon, toggle.firstChild);
    var status = make("p", { class: "course-module-end__status", role: "status" });
    var render = function (announce) {
      var done = readProgress(course).done.indexOf(module) !== -1;
      toggle.setAttribute("aria-pressed", done ? "true" : "false");
      if (announce) status.textContent = done ? "Marked as done. The home page and the menu show it." : "No longer marked as done.";
    };
    toggle.addEventListener("click", function () {
      var done = toggle.getAttribute("aria-pressed") !== "true";
      if (!setDone(course, module, done)) showStorageProblem();
      render(true);
      markNavigation(course);
    });
    render(false);
    var alert = make("p", { class: "course-storage-alert course-warning", hidden: "" });
    end.replaceChildren(toggle, status, alert);
  }

  function rememberModule(course, module) {
    var title = headingText(document.querySelector(".md-content h1"));
    var progress = readProgress(course);
    progress.last = { module: module, title: title };
    writeProgress(course, progress);
  }

  // A ✓ after each done module in the site navigation, with words for screen readers.
  function markNavigation(course) {
    var done = readProgress(course).done;
    var paths = {};
    done.forEach(function (module) {
      paths[moduleURL(module).pathname] = true;
    });
    all(".course-nav-done").forEach(function (mark) {
      mark.remove();
    });
    all(".md-nav--primary .md-nav__link").forEach(function (link) {
      if (link.closest(".md-nav--secondary")) return; // the table of contents inside the navigation
      if (link.parentNode.classList.contains("md-nav__item--nested")) return; // a section of modules, not one
      var target = link;
      if (link.tagName === "LABEL") {
        target = link.parentNode && link.parentNode.querySelector(":scope > a.md-nav__link");
        if (!target) return;
      } else if ((link.getAttribute("href") || "").charAt(0) === "#") {
        return;
      }
      if (!paths[new URL(target.href, location.href).pathname]) return;
      var where = link.querySelector(".md-ellipsis") || link;
      where.appendChild(
        make("span", { class: "course-nav-done" }, [
          make("span", { "aria-hidden": "true", text: " ✓" }),
          make("span", { class: "course-sr-only", text: " (done)" })
        ])
      );
    });
  }

  function mountProgressSummary(summary) {
    var course = summary.getAttribute("data-course") || "";
    var modules = (summary.getAttribute("data-modules") || "").split(/\s+/).filter(Boolean);
    var progress = readProgress(course);
    var count = modules.filter(function (id) { return progress.done.indexOf(id) !== -1; }).length;
    var titleOf = function (module) {
      var path = moduleURL(module).pathname;
      var link = all(".course-module-list a").filter(function (a) {
        return new URL(a.href, location.href).pathname === path;
      })[0];
      return link ? plainText(link) : "";
    };
    var children = [
      make("p", { class: "course-progress-summary__count", id: "course-progress-count" }, [
        make("strong", { text: count + " of " + modules.length + " modules done" })
      ]),
      make("progress", {
        class: "course-progress-summary__bar",
        max: String(modules.length || 1),
        value: String(count),
        "aria-labelledby": "course-progress-count"
      })
    ];
    var last = progress.last && modules.indexOf(progress.last.module) !== -1 ? progress.last.module : "";
    var next = last || modules[0];
    if (next) {
      var link = make("a", { class: "course-continue", href: moduleURL(next).href, text: titleOf(next) || (progress.last && progress.last.title) || next });
      children.push(make("p", { class: "course-progress-summary__continue" }, [last ? "Continue where you left off: " : "Start with the first module: ", link]));
    }
    children.push(make("p", { class: "course-meta", text: "Your progress is kept in this browser on this device only." }));
    summary.replaceChildren.apply(summary, children);
  }

  function markStatuses() {
    all(".course-status").forEach(function (status) {
      var progress = readProgress(status.getAttribute("data-course") || "");
      var module = status.getAttribute("data-module");
      status.replaceChildren();
      status.classList.remove("course-status--done", "course-status--last");
      if (progress.done.indexOf(module) !== -1) {
        status.classList.add("course-status--done");
        status.appendChild(make("span", { "aria-hidden": "true", text: "✓ " }));
        status.appendChild(document.createTextNode("Done"));
      } else if (progress.last && progress.last.module === module) {
        status.classList.add("course-status--last");
        status.textContent = "Last opened";
      }
    });
  }

  /* ---------------------------------------------------------------- journal page tools */

  var journalTools = null; // {course, count, message} while the journal page is shown

  function updateJournalCount() {
    if (!journalTools || !journalTools.count.isConnected) return;
    var hooks = all(".course-journal");
    var answered = hooks.filter(function (hook) {
      return readAnswer(refOf(hook)).text !== "";
    }).length;
    journalTools.count.textContent = "You have answered " + answered + " of " + hooks.length + " prompts.";
  }

  function say(message, isError) {
    if (!journalTools) return;
    journalTools.message.textContent = message;
    journalTools.message.classList.toggle("course-warning", !!isError);
  }

  // What the journal page knows about each prompt: module and block titles, the prompt's text.
  function describePrompts() {
    var described = {};
    var order = [];
    all(".course-journal").forEach(function (hook) {
      var ref = refOf(hook);
      var id = [ref.module, ref.block, ref.prompt].join("/");
      if (described[id]) return;
      described[id] = {
        moduleTitle: headingText(document.getElementById(ref.module)),
        blockTitle: headingText(document.getElementById(ref.module + "--" + ref.block)),
        prompt: plainText(document.getElementById(hook.getAttribute("data-label") || ""))
      };
      order.push(id);
    });
    return { byId: described, order: order };
  }

  function courseTitle() {
    return plainText(document.querySelector(".md-header__topic .md-ellipsis")) || document.title;
  }

  function orderedAnswers(course) {
    var prompts = describePrompts();
    var answers = allAnswers(course).map(function (answer) {
      var id = [answer.module, answer.block, answer.prompt].join("/");
      var about = prompts.byId[id];
      answer.position = about ? prompts.order.indexOf(id) : prompts.order.length;
      if (about) {
        answer.moduleTitle = about.moduleTitle;
        answer.blockTitle = about.blockTitle;
        answer.promptText = about.prompt;
      }
      return answer;
    });
    answers.sort(function (a, b) {
      return a.position - b.position || (a.module + a.block).localeCompare(b.module + b.block) || a.prompt - b.prompt;
    });
    return answers;
  }

  function exportJSON(course) {
    var progress = readProgress(course);
    return JSON.stringify(
      {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        course: course,
        courseTitle: courseTitle(),
        exported: new Date().toISOString(),
        answers: orderedAnswers(course).map(function (a) {
          var out = { module: a.module, block: a.block, prompt: a.prompt, text: a.text, updated: a.updated };
          if (a.promptText !== undefined) {
            out.moduleTitle = a.moduleTitle;
            out.blockTitle = a.blockTitle;
            out.promptText = a.promptText;
          }
          return out;
        }),
        progress: { done: progress.done, last: progress.last ? progress.last.module : null }
      },
      null,
      2
    ) + "\n";
  }

  function exportMarkdown(course) {
    var lines = ["# My journal: " + courseTitle(), ""];
    lines.push("Downloaded on " + new Date().toLocaleString() + ". The course keeps this journal in one browser only; this file is your own copy.", "");
    var answers = orderedAnswers(course);
    if (!answers.length) lines.push("_No answers yet._", "");
    var module = null;
    var block = null;
    var others = false;
    answers.forEach(function (a) {
      if (a.promptText === undefined) {
        if (!others) lines.push("## Answers to prompts no longer in the course", "");
        others = true;
        lines.push("### " + a.module + " › " + a.block + " › prompt " + a.prompt, "");
      } else {
        if (a.module !== module) lines.push("## " + (a.moduleTitle || a.module), "");
        if (a.module !== module || a.block !== block) lines.push("### " + (a.blockTitle || a.block), "");
        lines.push("> " + a.promptText, "");
      }
      module = a.module;
      block = a.block;
      lines.push(a.text.replace(/\r\n?/g, "\n").trim(), "");
    });
    return lines.join("\n");
  }

  function download(name, type, content) {
    var url = URL.createObjectURL(new Blob([content], { type: type }));
    var link = make("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  function fileName(course, extension) {
    return course + "-journal-" + new Date().toISOString().slice(0, 10) + "." + extension;
  }

  // A journal file as this site writes it, or an Error whose message says what is wrong.
  function parseImport(text, course) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error("This file is not a journal downloaded from this course (it is not a JSON file).");
    }
    var notOurs = "This file is not a journal downloaded from this course.";
    if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== EXPORT_FORMAT) throw new Error(notOurs);
    if (data.version !== EXPORT_VERSION) throw new Error("This journal file was made by a different version of the course site and cannot be read here.");
    if (data.course !== course) {
      var other = typeof data.courseTitle === "string" && data.courseTitle ? data.courseTitle : String(data.course);
      throw new Error("This journal belongs to another course (" + other + "), not this one.");
    }
    if (!Array.isArray(data.answers)) throw new Error(notOurs + " (It has no list of answers.)");
    var name = function (value) {
      return typeof value === "string" && value.length > 0 && value.length <= 200;
    };
    var answers = data.answers.map(function (a, i) {
      var where = " (answer " + (i + 1) + ")";
      if (!a || typeof a !== "object") throw new Error(notOurs + where);
      if (!name(a.module) || !name(a.block)) throw new Error(notOurs + where);
      if (typeof a.prompt !== "number" || a.prompt % 1 !== 0 || a.prompt < 1 || a.prompt > 1000) throw new Error(notOurs + where);
      if (typeof a.text !== "string" || a.text.length > MAX_ANSWER_CHARS) throw new Error(notOurs + where);
      return { course: course, module: a.module, block: a.block, prompt: a.prompt, text: a.text };
    });
    var done = [];
    var last = null;
    if (data.progress !== undefined && data.progress !== null) {
      var p = data.progress;
      if (typeof p !== "object" || Array.isArray(p)) throw new Error(notOurs + " (Its progress is not readable.)");
      if (p.done !== undefined && (!Array.isArray(p.done) || !p.done.every(name))) throw new Error(notOurs + " (Its progress is not readable.)");
      if (p.last !== undefined && p.last !== null && !name(p.last)) throw new Error(notOurs + " (Its progress is not readable.)");
      done = p.done || [];
      last = p.last || null;
    }
    return { answers: answers, done: done, last: last };
  }

  function applyImport(course, data) {
    var replaced = data.answers.filter(function (a) {
      var existing = readAnswer(a).text;
      return existing !== "" && existing !== a.text;
    }).length;
    if (replaced) {
      var question =
        "This file would replace " + replaced + (replaced === 1 ? " answer" : " answers") +
        " you have already written in this browser. Replace " + (replaced === 1 ? "it" : "them") + " with the file's version?";
      if (!window.confirm(question)) {
        say("Import cancelled. Nothing was changed.");
        return;
      }
    }
    // Write everything or nothing: on a full storage, put back what was there.
    var before = {};
    var ok = true;
    data.answers.forEach(function (a) {
      var key = answerKey(a);
      if (!(key in before)) before[key] = store.get(key);
      if (a.text && !writeAnswer(a, a.text)) ok = false;
    });
    var progressKey = PROGRESS + encodeURIComponent(course);
    before[progressKey] = store.get(progressKey);
    var progress = readProgress(course);
    data.done.forEach(function (id) {
      if (progress.done.indexOf(id) === -1) progress.done.push(id);
    });
    if (!progress.last && data.last) progress.last = { module: data.last, title: "" };
    if (!writeProgress(course, progress)) ok = false;
    if (!ok && store.problem() === "full") {
      Object.keys(before).forEach(function (key) {
        if (before[key] === null) store.remove(key);
        else store.set(key, before[key]);
      });
      say("The browser's storage is full, so nothing was imported.", true);
      return;
    }
    refreshFields();
    updateJournalCount();
    markNavigation(course);
    var n = data.answers.filter(function (a) { return a.text; }).length;
    say("Imported " + n + (n === 1 ? " answer" : " answers") + " and your progress from the file.");
    showStorageProblem();
  }

  function mountJournalTools(tools) {
    if (!once(tools, "ready")) return;
    var course = tools.getAttribute("data-course") || "";
    var count = make("p", { class: "course-journal-tools__count" });
    var message = make("p", { class: "course-journal-tools__message", role: "status" });
    var toMarkdown = button("Download as Markdown");
    var toJSON = button("Download as JSON");
    var fromJSON = button("Import a JSON file…");
    var file = make("input", { type: "file", accept: ".json,application/json", hidden: "", class: "course-journal-tools__file", "aria-label": "Journal file to import" });
    var clear = button("Clear my journal and progress…", "course-button--danger");

    toMarkdown.addEventListener("click", function () {
      download(fileName(course, "md"), "text/markdown;charset=utf-8", exportMarkdown(course));
      say("Your journal was downloaded as a Markdown file.");
    });
    toJSON.addEventListener("click", function () {
      download(fileName(course, "json"), "application/json", exportJSON(course));
      say("Your journal was downloaded as a JSON file. Import it here, in any browser, to bring your answers back.");
    });
    fromJSON.addEventListener("click", function () {
      file.value = "";
      file.click();
    });
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      if (chosen.size > MAX_IMPORT_BYTES) {
        say("This file is too large to be a journal. Nothing was imported.", true);
        return;
      }
      chosen.text().then(function (text) {
        var data;
        try {
          data = parseImport(text, course);
        } catch (error) {
          say(error.message + " Nothing was imported.", true);
          return;
        }
        applyImport(course, data);
      }, function () {
        say("The file could not be read. Nothing was imported.", true);
      });
    });
    clear.addEventListener("click", function () {
      if (!window.confirm("Delete every answer in your journal and your progress for this course from this browser? This cannot be undone. Download a copy first if you want to keep them.")) {
        say("Nothing was deleted.");
        return;
      }
      clearCourse(course);
      refreshFields();
      updateJournalCount();
      markNavigation(course);
      say("Your journal and progress were deleted from this browser.");
    });

    tools.replaceChildren(
      make("p", {
        class: "course-journal-tools__privacy",
        text: "Your journal is kept in this browser, on this device only. Nothing you write is sent anywhere. " +
          "Download a copy to keep it, or to move it to another browser or device, and import it there."
      }),
      count,
      make("div", { class: "course-journal-tools__buttons" }, [toMarkdown, toJSON, fromJSON, file, clear]),
      make("p", { class: "course-storage-alert course-warning", hidden: "" }),
      message
    );
    journalTools = { course: course, count: count, message: message };
    updateJournalCount();
  }

  /* ---------------------------------------------------------------- video */

  function safeEmbed(src) {
    var url;
    try {
      url = new URL(src);
    } catch (e) {
      return "";
    }
    return EMBED_PREFIXES.some(function (prefix) { return url.href.indexOf(prefix) === 0; }) ? url.href : "";
  }

  function mountVideo(play) {
    if (!once(play, "ready")) return;
    play.addEventListener("click", function () {
      var src = safeEmbed(play.getAttribute("data-embed-src") || "");
      if (!src) return;
      var figure = play.closest(".course-video");
      var iframe = make("iframe", {
        class: "course-video__iframe",
        src: src,
        title: (figure && figure.getAttribute("data-title")) || plainText(play.querySelector(".course-video__label")) || "Video",
        allow: "autoplay; encrypted-media; picture-in-picture; fullscreen",
        allowfullscreen: "",
        referrerpolicy: "strict-origin-when-cross-origin"
      });
      play.replaceWith(iframe);
      iframe.focus();
    });
  }

  /* ---------------------------------------------------------------- print */

  var openedForPrint = [];

  function beforePrint() {
    refreshFields();
    all("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
      openedForPrint.push(details);
    });
  }

  function afterPrint() {
    openedForPrint.forEach(function (details) {
      details.removeAttribute("open");
    });
    openedForPrint = [];
  }

  // A print button inside `where`, or in a paragraph of its own after it.
  function addPrintButton(where, text, after) {
    if (!where || !once(where, "print")) return;
    var print = button(text, "course-print-button");
    print.addEventListener("click", function () {
      window.print();
    });
    if (after) where.after(make("p", { class: "course-print-action" }, [print]));
    else where.appendChild(print);
  }

  /* ---------------------------------------------------------------- setting up a page */

  function fixMaterial() {
    // Material's search dialog has no name; give it the one of its search field.
    var dialog = document.querySelector(".md-search[role=dialog]");
    var input = document.querySelector(".md-search__input");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
  }

  function setUp() {
    fixMaterial();
    var info = pageInfo();
    var participant = info.view === "participant";
    all(".course-video__play").forEach(mountVideo);

    addPrintButton(document.querySelector(".course-module-tools"), "Print this module");
    if (info.page === "worksheet") addPrintButton(document.querySelector(".md-content .course-meta"), "Print this worksheet", true);
    if (info.page === "print") addPrintButton(document.querySelector(".course-print-title"), "Print the course", true);

    if (!participant) return;
    journalTools = null;
    all(".course-journal--worksheet").forEach(mountWorksheetAnswer);
    all(".course-journal:not(.course-journal--worksheet)").forEach(function (hook, i) {
      mountJournal(hook, i === 0, info.page === "journal");
    });
    all(".course-journal-tools").forEach(mountJournalTools);
    all(".course-module-end").forEach(function (end) {
      mountModuleEnd(end);
      if (info.page === "module") rememberModule(end.getAttribute("data-course") || "", end.getAttribute("data-module") || "");
    });
    all(".course-progress-summary").forEach(mountProgressSummary);
    markStatuses();
    var course = pageCourse();
    if (course) markNavigation(course);
    showStorageProblem();
  }

  // The course this page belongs to: every page names it (main.html's .course-page).
  function pageCourse() {
    var info = document.querySelector(".course-page");
    return info ? info.getAttribute("data-course") || "" : "";
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  // Another tab wrote to the journal or the progress: show it here too.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(JOURNAL) === 0 || event.key.indexOf(PROGRESS) === 0) {
      refreshFields();
      updateJournalCount();
      markStatuses();
      all(".course-progress-summary").forEach(mountProgressSummary);
      var course = pageCourse();
      if (course) markNavigation(course);
    }
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
