/*
 * The tools of the "My journal" page (participant view): how many prompts are answered; download
 * the journal as Markdown or JSON; import a JSON journal back; clear the journal and progress.
 *
 * The JSON file (format "course-journal", version 1) is the one way to move a journal between
 * browsers: its fields never change within a version.
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("journal-tools") || !course.journal || !course.progress) return;
  var journal = course.journal;
  var progressStore = course.progress;
  var store = course.store;
  var make = course.make;
  var button = course.button;
  var t = course.t;

  var EXPORT_FORMAT = "course-journal";
  var EXPORT_VERSION = 1;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;
  var MAX_ANSWER_CHARS = 100000;

  var tools = null; // {count, message} while the journal page is shown

  function updateCount() {
    if (!tools || !tools.count.isConnected) return;
    var hooks = course.all(".course-journal");
    var answered = hooks.filter(function (hook) {
      return journal.read(journal.refOf(hook)).text !== "";
    }).length;
    tools.count.textContent = t("toolsCount", { answered: answered, total: hooks.length });
  }

  function say(message, isError) {
    if (!tools) return;
    tools.message.textContent = message;
    tools.message.classList.toggle("course-warning", !!isError);
  }

  /* ---------------------------------------------------------------- export */

  // What the journal page knows about each prompt: module and block titles, the prompt's text.
  function describePrompts() {
    var described = {};
    var order = [];
    course.all(".course-journal").forEach(function (hook) {
      var ref = journal.refOf(hook);
      var id = [ref.module, ref.block, ref.prompt].join("/");
      if (described[id]) return;
      described[id] = {
        moduleTitle: course.headingText(document.getElementById(ref.module)),
        blockTitle: course.headingText(document.getElementById(ref.module + "--" + ref.block)),
        prompt: course.plainText(document.getElementById(hook.getAttribute("data-label") || ""))
      };
      order.push(id);
    });
    return { byId: described, order: order };
  }

  function courseTitle() {
    return course.plainText(document.querySelector(".md-header__topic .md-ellipsis")) || document.title;
  }

  function orderedAnswers(slug) {
    var prompts = describePrompts();
    var answers = journal.all(slug).map(function (answer) {
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

  function exportJSON(slug) {
    var progress = progressStore.read(slug);
    return JSON.stringify(
      {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        course: slug,
        courseTitle: courseTitle(),
        exported: new Date().toISOString(),
        answers: orderedAnswers(slug).map(function (a) {
          var out = { module: a.module, block: a.block, prompt: a.prompt, text: a.text, updated: a.updated };
          if (a.promptText !== undefined) {
            out.moduleTitle = a.moduleTitle;
            out.blockTitle = a.blockTitle;
            out.promptText = a.promptText;
          }
          return out;
        }),
        progress: { done: progress.done, last: progress.last ? progress.last.module : null },
        checks: course.checks ? course.checks.exportList(slug) : undefined
      },
      null,
      2
    ) + "\n";
  }

  function exportMarkdown(slug) {
    var lines = ["# " + t("exportTitle", { course: courseTitle() }), ""];
    lines.push(t("exportIntro", { date: new Date().toLocaleString() }), "");
    var answers = orderedAnswers(slug);
    if (!answers.length) lines.push("_" + t("exportEmpty") + "_", "");
    var module = null;
    var block = null;
    var others = false;
    answers.forEach(function (a) {
      if (a.promptText === undefined) {
        if (!others) lines.push("## " + t("exportOthers"), "");
        others = true;
        lines.push("### " + t("exportOtherPrompt", { module: a.module, block: a.block, prompt: a.prompt }), "");
      } else {
        if (a.module !== module) lines.push("## " + (a.moduleTitle || a.module), "");
        if (a.module !== module || a.block !== block) lines.push("### " + (a.blockTitle || a.block), "");
        lines.push("> " + a.promptText, "");
      }
      module = a.module;
      block = a.block;
      lines.push(a.text.replace(/\r\n?/g, "\n").trim(), "");
    });
    if (course.checks) lines = lines.concat(course.checks.exportMarkdown(slug));
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

  function fileName(slug, extension) {
    return slug + "-journal-" + new Date().toISOString().slice(0, 10) + "." + extension;
  }

  /* ---------------------------------------------------------------- import */

  // A journal file as this site writes it, or an Error whose message says what is wrong.
  function parseImport(text, slug) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new Error(t("importNotJSON"));
    }
    if (!data || typeof data !== "object" || Array.isArray(data) || data.format !== EXPORT_FORMAT) throw new Error(t("importNotOurs"));
    if (data.version !== EXPORT_VERSION) throw new Error(t("importOtherVersion"));
    if (data.course !== slug) {
      var other = typeof data.courseTitle === "string" && data.courseTitle ? data.courseTitle : String(data.course);
      throw new Error(t("importOtherCourse", { course: other }));
    }
    if (!Array.isArray(data.answers)) throw new Error(t("importNoAnswers"));
    var name = function (value) {
      return typeof value === "string" && value.length > 0 && value.length <= 200;
    };
    var answers = data.answers.map(function (a, i) {
      var bad = new Error(t("importBadAnswer", { number: i + 1 }));
      if (!a || typeof a !== "object") throw bad;
      if (!name(a.module) || !name(a.block)) throw bad;
      if (typeof a.prompt !== "number" || a.prompt % 1 !== 0 || a.prompt < 1 || a.prompt > 1000) throw bad;
      if (typeof a.text !== "string" || a.text.length > MAX_ANSWER_CHARS) throw bad;
      return { course: slug, module: a.module, block: a.block, prompt: a.prompt, text: a.text };
    });
    var done = [];
    var last = null;
    if (data.progress !== undefined && data.progress !== null) {
      var p = data.progress;
      var unreadable = new Error(t("importBadProgress"));
      if (typeof p !== "object" || Array.isArray(p)) throw unreadable;
      if (p.done !== undefined && (!Array.isArray(p.done) || !p.done.every(name))) throw unreadable;
      if (p.last !== undefined && p.last !== null && !name(p.last)) throw unreadable;
      done = p.done || [];
      last = p.last || null;
    }
    var checks = course.checks ? course.checks.parse(data.checks, slug) : [];
    return { answers: answers, done: done, last: last, checks: checks };
  }

  function applyImport(slug, data) {
    var replaced = data.answers.filter(function (a) {
      var existing = journal.read(a).text;
      return existing !== "" && existing !== a.text;
    }).length;
    if (replaced && !window.confirm(t("importReplace", { count: replaced }))) {
      say(t("importCancelled"));
      return;
    }
    // Write everything or nothing: on a full storage, put back what was there.
    var before = {};
    var ok = true;
    data.answers.forEach(function (a) {
      var key = journal.key(a);
      if (!(key in before)) before[key] = store.get(key);
      if (a.text && !journal.write(a, a.text)) ok = false;
    });
    var progressKey = progressStore.key(slug);
    before[progressKey] = store.get(progressKey);
    var progress = progressStore.read(slug);
    data.done.forEach(function (id) {
      if (progress.done.indexOf(id) === -1) progress.done.push(id);
    });
    if (!progress.last && data.last) progress.last = { module: data.last, title: "" };
    if (!progressStore.write(slug, progress)) ok = false;
    data.checks.forEach(function (c) {
      var key = course.checks.key(c);
      if (!(key in before)) before[key] = store.get(key);
      if (!course.checks.write(c, c.chosen, c.correct, c.checked)) ok = false;
    });
    if (!ok && store.problem() === "full") {
      Object.keys(before).forEach(function (key) {
        if (before[key] === null) store.remove(key);
        else store.set(key, before[key]);
      });
      say(t("importFull"), true);
      return;
    }
    course.emit("stored");
    var n = data.answers.filter(function (a) { return a.text; }).length;
    say(t("imported", { count: n }));
    course.showStorageProblem();
  }

  /* ---------------------------------------------------------------- the tools */

  function mountTools(hook) {
    if (!course.once(hook, "ready")) return;
    var slug = hook.getAttribute("data-course") || "";
    var count = make("p", { class: "course-journal-tools__count" });
    var message = make("p", { class: "course-journal-tools__message", role: "status" });
    var toMarkdown = button(t("toolsMarkdown"));
    var toJSON = button(t("toolsJSON"));
    var fromJSON = button(t("toolsImport"));
    var file = make("input", { type: "file", accept: ".json,application/json", hidden: "", class: "course-journal-tools__file", "aria-label": t("toolsImportFile") });
    var clear = button(t("toolsClear"), "course-button--danger");

    toMarkdown.addEventListener("click", function () {
      download(fileName(slug, "md"), "text/markdown;charset=utf-8", exportMarkdown(slug));
      say(t("downloadedMarkdown"));
    });
    toJSON.addEventListener("click", function () {
      download(fileName(slug, "json"), "application/json", exportJSON(slug));
      say(t("downloadedJSON"));
    });
    fromJSON.addEventListener("click", function () {
      file.value = "";
      file.click();
    });
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      if (chosen.size > MAX_IMPORT_BYTES) {
        say(t("importTooLarge"), true);
        return;
      }
      chosen.text().then(function (text) {
        var data;
        try {
          data = parseImport(text, slug);
        } catch (error) {
          say(t("importFailed", { reason: error.message }), true);
          return;
        }
        applyImport(slug, data);
      }, function () {
        say(t("importUnreadable"), true);
      });
    });
    clear.addEventListener("click", function () {
      if (!window.confirm(t("clearConfirm"))) {
        say(t("clearCancelled"));
        return;
      }
      journal.clear(slug);
      if (course.checks) course.checks.clear(slug);
      store.remove(progressStore.key(slug));
      course.emit("stored");
      say(t("cleared"));
    });

    hook.replaceChildren(
      make("p", { class: "course-journal-tools__privacy", text: t("toolsPrivacy") }),
      count,
      make("div", { class: "course-journal-tools__buttons" }, [toMarkdown, toJSON, fromJSON, file, clear]),
      make("p", { class: "course-storage-alert course-warning", hidden: "" }),
      message
    );
    tools = { count: count, message: message };
    updateCount();
  }

  course.on("answers", updateCount);
  course.on("stored", updateCount);

  course.subscribe(function () {
    if (course.pageInfo().view !== "participant") return;
    tools = null;
    course.all(".course-journal-tools").forEach(mountTools);
    course.showStorageProblem();
  });
})();
