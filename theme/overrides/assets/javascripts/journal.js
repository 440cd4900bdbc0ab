/*
 * The journal: a field for the participant's notes under every reflective prompt (participant view),
 * saved as they type; on a worksheet, the answer already written above the lines left to write on.
 *
 * course.journal holds the stored answers for the other features (the journal page's tools):
 *   course-journal/<course>/<module>/<block>/<prompt>  {"text": "...", "updated": "<ISO date>"}
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("journal")) return;
  var store = course.store;
  var make = course.make;
  var t = course.t;

  var PREFIX = "course-journal/";

  /* ---------------------------------------------------------------- stored answers */

  function answerPrefix(slug) {
    return PREFIX + encodeURIComponent(slug) + "/";
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
  function allAnswers(slug) {
    var prefix = answerPrefix(slug);
    var out = [];
    store.keys(prefix).forEach(function (key) {
      var parts = key.slice(prefix.length).split("/").map(decodeURIComponent);
      if (parts.length !== 3) return;
      var ref = { course: slug, module: parts[0], block: parts[1], prompt: parseInt(parts[2], 10) };
      if (!(ref.prompt > 0)) return;
      var answer = readAnswer(ref);
      if (!answer.text) return;
      out.push({ module: ref.module, block: ref.block, prompt: ref.prompt, text: answer.text, updated: answer.updated });
    });
    return out;
  }

  function clearAnswers(slug) {
    store.keys(answerPrefix(slug)).forEach(store.remove);
  }

  /* ---------------------------------------------------------------- fields */

  function mountJournal(hook, isFirst, onJournalPage) {
    if (!course.once(hook, "ready")) return;
    var ref = refOf(hook);
    var promptId = hook.getAttribute("data-label") || "";
    var base = "course-journal-" + (promptId || [ref.module, ref.block, ref.prompt].join("-"));
    var answer = readAnswer(ref).text;

    var label = make("label", { class: "course-journal__label", id: base + "-label", for: base + "-field", text: t("journalLabel") });
    var field = make("textarea", {
      class: "course-journal__field",
      id: base + "-field",
      rows: "4",
      "aria-labelledby": (base + "-label " + promptId).trim(),
      "aria-describedby": base + "-note"
    });
    field.value = answer;
    var note = make("p", { class: "course-journal__note", id: base + "-note" });
    var noteText = make("span", { "data-course-storage-note": "", text: t("journalSaved") });
    note.appendChild(noteText);
    if (isFirst && !onJournalPage) {
      var link = make("a", { href: new URL("journal/", course.siteRoot()).href, text: t("journalName") });
      note.appendChild(document.createTextNode(" "));
      note.appendChild(make("span", {}, course.tNodes("journalSeeAll", { journal: link })));
    }
    // Text areas print badly (cut off, with scroll bars): print a plain copy instead.
    var copy = make("div", { class: "course-journal__print", "aria-hidden": "true" });
    copy.textContent = answer;

    field.addEventListener("input", function () {
      copy.textContent = field.value;
      if (!writeAnswer(ref, field.value)) course.showStorageProblem();
      if (onJournalPage) course.emit("answers");
    });
    hook.replaceChildren(label, field, note, copy);
  }

  // On a worksheet, an answer already written is printed above the lines left to write on.
  function mountWorksheetAnswer(hook) {
    if (!course.once(hook, "ready")) return;
    var answer = readAnswer(refOf(hook)).text;
    if (!answer) return;
    var copy = make("div", { class: "course-journal__answer" }, [
      make("p", { class: "course-journal__label", text: t("journalLabel") }),
      make("div", { class: "course-journal__answer-text", text: answer })
    ]);
    hook.insertBefore(copy, hook.firstChild);
  }

  // Reread every field of the page from storage (after an import, a clear, or another tab).
  function refreshFields() {
    course.all(".course-journal").forEach(function (hook) {
      var field = hook.querySelector(".course-journal__field");
      if (!field || field === document.activeElement) return;
      var text = readAnswer(refOf(hook)).text;
      if (field.value !== text) field.value = text;
      var copy = hook.querySelector(".course-journal__print");
      if (copy) copy.textContent = text;
    });
  }

  course.journal = {
    key: answerKey,
    refOf: refOf,
    read: readAnswer,
    write: writeAnswer,
    all: allAnswers,
    clear: clearAnswers
  };

  course.on("stored", refreshFields);
  window.addEventListener("beforeprint", refreshFields);

  course.subscribe(function () {
    var info = course.pageInfo();
    if (info.view !== "participant") return;
    course.all(".course-journal--worksheet").forEach(mountWorksheetAnswer);
    course.all(".course-journal:not(.course-journal--worksheet)").forEach(function (hook, i) {
      mountJournal(hook, i === 0, info.page === "journal");
    });
    course.showStorageProblem();
  });
})();
