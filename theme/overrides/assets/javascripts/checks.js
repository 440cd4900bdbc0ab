/*
 * Knowledge checks and commentary, on the participant's side (core.js's `window.course` below).
 *
 * A knowledge-check question (blocks/knowledge_check.md.j2) is a fieldset of radio buttons or
 * checkboxes. "Check" shows the feedback of every chosen choice, whether the answer is right and the
 * explanation, all taken from the question's hidden answer key; "Try again" clears it. The result is
 * kept in this browser and shown again on return, on My journal and on the home page.
 *
 * An activity's commentary stays hidden until the participant has written in one of the activity's
 * journal fields, or asks to see it anyway.
 *
 * The answer key is in the page (a static site cannot keep it from a determined reader), but hidden
 * and out of the search index: the course trusts participants who check themselves.
 *
 * Storage keys (per course, module, block, question; choices are numbered from 1):
 *   course-checks/<course>/<module>/<block>/<question>  {"chosen": [2], "correct": true, "checked": "<ISO date>"}
 *
 * For the journal's tools (exports, import, clear): course.checks.key(ref), .all(course),
 * .write(ref, chosen, correct, checked), .clear(course), .parse(list, course) (a journal file's `checks`,
 * validated), .exportList(course) and .exportMarkdown(course) (the results, described by My journal).
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("checks")) return;

  var PREFIX = "course-checks/";
  var MAX_CHOICES = 100;

  var make = course.make;
  var all = course.all;
  var t = course.t;

  /* ---------------------------------------------------------------- stored results */

  function coursePrefix(slug) {
    return PREFIX + encodeURIComponent(slug) + "/";
  }

  function keyOf(ref) {
    return coursePrefix(ref.course) + [ref.module, ref.block, String(ref.question)].map(encodeURIComponent).join("/");
  }

  function refOf(node) {
    return {
      course: node.getAttribute("data-course") || "",
      module: node.getAttribute("data-module") || "",
      block: node.getAttribute("data-block") || "",
      question: parseInt(node.getAttribute("data-question"), 10) || 1
    };
  }

  function choiceList(value) {
    if (!Array.isArray(value) || value.length > MAX_CHOICES) return null;
    var ok = value.every(function (n) {
      return typeof n === "number" && n % 1 === 0 && n >= 1 && n <= MAX_CHOICES;
    });
    return ok ? value.slice() : null;
  }

  function read(ref) {
    var value = course.readJSON(keyOf(ref), null);
    var chosen = value && choiceList(value.chosen);
    if (!chosen || !chosen.length) return null;
    return { chosen: chosen, correct: value.correct === true, checked: typeof value.checked === "string" ? value.checked : "" };
  }

  function write(ref, chosen, correct, checked) {
    var value = { chosen: chosen, correct: !!correct, checked: checked || new Date().toISOString() };
    return course.store.set(keyOf(ref), JSON.stringify(value));
  }

  // Every stored result of a course, as {module, block, question, chosen, correct, checked}.
  function allResults(slug) {
    var prefix = coursePrefix(slug);
    var out = [];
    course.store.keys(prefix).forEach(function (key) {
      var parts = key.slice(prefix.length).split("/").map(decodeURIComponent);
      if (parts.length !== 3) return;
      var ref = { course: slug, module: parts[0], block: parts[1], question: parseInt(parts[2], 10) };
      if (!(ref.question > 0)) return;
      var result = read(ref);
      if (!result) return;
      out.push({ module: ref.module, block: ref.block, question: ref.question, chosen: result.chosen, correct: result.correct, checked: result.checked });
    });
    return out;
  }

  function clearCourse(slug) {
    course.store.keys(coursePrefix(slug)).forEach(course.store.remove);
  }

  // A journal file's `checks` (absent in files from before checks), validated; throws an Error saying what is wrong.
  function parse(list, slug) {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) throw new Error(t("importBadCheck", { number: 0 }));
    var name = function (value) {
      return typeof value === "string" && value.length > 0 && value.length <= 200;
    };
    return list.map(function (c, i) {
      var bad = new Error(t("importBadCheck", { number: i + 1 }));
      if (!c || typeof c !== "object" || !name(c.module) || !name(c.block)) throw bad;
      if (typeof c.question !== "number" || c.question % 1 !== 0 || c.question < 1 || c.question > 1000) throw bad;
      var chosen = choiceList(c.chosen);
      if (!chosen || !chosen.length || typeof c.correct !== "boolean") throw bad;
      return { course: slug, module: c.module, block: c.block, question: c.question, chosen: chosen, correct: c.correct, checked: typeof c.checked === "string" ? c.checked.slice(0, 40) : "" };
    });
  }

  /* ---------------------------------------------------------------- a question on its module page */

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (n) { return b.indexOf(n) !== -1; });
  }

  function numbers(text) {
    return (text || "").split(/\s+/).filter(Boolean).map(Number);
  }

  function labelText(fieldset, number) {
    var input = fieldset.querySelector('.course-check__input[value="' + number + '"]');
    var label = input && fieldset.querySelector('label[for="' + input.id + '"]');
    return course.plainText(label);
  }

  function mountQuestion(fieldset) {
    if (!course.once(fieldset, "check")) return;
    var ref = refOf(fieldset);
    var key = fieldset.querySelector(".course-check__key");
    var check = fieldset.querySelector(".course-check__check");
    var retry = fieldset.querySelector(".course-check__retry");
    var result = fieldset.querySelector(".course-check__result");
    if (!key || !check || !retry || !result) return;
    var correct = numbers(key.getAttribute("data-correct"));
    var inputs = all(".course-check__input", fieldset);

    var chosenNow = function () {
      return inputs.filter(function (input) { return input.checked; }).map(function (input) { return Number(input.value); });
    };

    // Show a checked answer: the outcome, each chosen choice with its feedback, the explanation.
    var show = function (chosen, announce) {
      var right = sameSet(chosen, correct);
      if (!announce) result.removeAttribute("aria-live"); // an answer restored on return is not news
      var outcome = right ? t("checkRight") : t(fieldset.getAttribute("data-multiple") === "true" ? "checkWrongMultiple" : "checkWrong");
      var children = [
        make("p", { class: "course-check__outcome course-check__outcome--" + (right ? "right" : "wrong") }, [
          make("span", { "aria-hidden": "true", text: right ? "✓ " : "✗ " }),
          outcome
        ])
      ];
      chosen.forEach(function (number) {
        var isRight = correct.indexOf(number) !== -1;
        var given = make("div", { class: "course-check__given" }, [
          make("p", {}, [
            t("checkYourChoice", { choice: labelText(fieldset, number) }) + " ",
            make("span", { class: "course-check__mark course-check__mark--" + (isRight ? "right" : "wrong"), text: t(isRight ? "checkChoiceRight" : "checkChoiceWrong") })
          ])
        ]);
        var feedback = key.querySelector('.course-check__feedback[data-choice="' + number + '"]');
        if (feedback) given.appendChild(feedback.cloneNode(true));
        children.push(given);
      });
      var explanation = key.querySelector(".course-check__explanation");
      if (explanation) {
        var copy = explanation.cloneNode(true);
        copy.insertBefore(make("p", { class: "course-check__explanation-label", text: t("checkExplanation") }), copy.firstChild);
        children.push(copy);
      }
      result.replaceChildren.apply(result, children);
      if (!announce) result.setAttribute("aria-live", "polite");
      inputs.forEach(function (input) {
        input.checked = chosen.indexOf(Number(input.value)) !== -1;
        input.disabled = true;
      });
      check.hidden = true;
      retry.hidden = false;
    };

    var reset = function () {
      result.replaceChildren();
      inputs.forEach(function (input) {
        input.checked = false;
        input.disabled = false;
      });
      check.hidden = false;
      retry.hidden = true;
    };

    check.addEventListener("click", function () {
      var chosen = chosenNow();
      if (!chosen.length) {
        result.replaceChildren(make("p", { class: "course-check__outcome", text: t("checkNothingChosen") }));
        return;
      }
      if (!write(ref, chosen, sameSet(chosen, correct))) course.showStorageProblem();
      show(chosen, true);
      retry.focus(); // the Check button is gone; the result is announced from the live region
      refreshSummaries();
    });
    retry.addEventListener("click", function () {
      course.store.remove(keyOf(ref));
      reset();
      if (inputs[0]) inputs[0].focus();
      refreshSummaries();
    });

    var stored = read(ref);
    if (stored) show(stored.chosen, false);
    else reset();
  }

  /* ---------------------------------------------------------------- commentary */

  function hasWritten(block) {
    var journal = course.journal;
    if (all(".course-journal__field", block).some(function (field) { return field.value.trim() !== ""; })) return true;
    return !!journal && all(".course-journal", block).some(function (hook) {
      return journal.read(journal.refOf(hook)).text.trim() !== "";
    });
  }

  function mountCommentary(aside) {
    if (!course.once(aside, "commentary")) return;
    var block = aside.closest(".course-block");
    if (!block) return;
    aside.setAttribute("tabindex", "-1");
    var status = make("p", { class: "course-commentary__status course-sr-only", role: "status" });
    var show = make("button", { type: "button", class: "course-button course-commentary__show", text: t("commentaryShow") });
    var gate = make("div", { class: "course-commentary__gate" }, [make("p", { text: t("commentaryGate") }), show]);

    var reveal = function (announce) {
      if (!aside.hidden) return;
      aside.hidden = false;
      gate.remove();
      if (announce) status.textContent = t("commentaryShown");
    };
    show.addEventListener("click", function () {
      reveal(false);
      aside.focus();
    });
    block.addEventListener("input", function (event) {
      if (event.target.classList && event.target.classList.contains("course-journal__field") && event.target.value.trim() !== "") reveal(true);
    });
    aside.before(status);
    if (hasWritten(block)) {
      aside.hidden = false;
    } else {
      aside.before(gate);
    }
  }

  /* ---------------------------------------------------------------- My journal and the home page */

  function fillRecord(record) {
    var stored = read(refOf(record));
    var resultLine = record.querySelector(".course-check-record__result");
    all("li[data-choice]", record).forEach(function (item) {
      var chosen = !!stored && stored.chosen.indexOf(Number(item.getAttribute("data-choice"))) !== -1;
      item.classList.toggle("course-check-record__chosen", chosen);
      var mark = item.querySelector(".course-check-record__mark");
      if (chosen && !mark) item.appendChild(make("span", { class: "course-check-record__mark", text: t("checkYourChoiceMark") }));
      if (!chosen && mark) mark.remove();
    });
    if (resultLine) resultLine.textContent = !stored ? t("checkNotAnswered") : t(stored.correct ? "checkAnsweredRight" : "checkAnsweredWrong");
  }

  function fillSummary(summary) {
    var slug = summary.getAttribute("data-course") || "";
    var asked = (summary.getAttribute("data-checks") || "").split(/\s+/).filter(Boolean);
    var right = 0;
    allResults(slug).forEach(function (r) {
      if (r.correct && asked.indexOf([r.module, r.block, r.question].join("/")) !== -1) right += 1;
    });
    var children = [make("p", { class: "course-checks-summary__count", text: t("checksSummary", { right: right, count: asked.length }) })];
    var mark = parseInt(summary.getAttribute("data-pass-mark"), 10);
    if (mark > 0 && asked.length && (right * 100) / asked.length >= mark) children.push(make("p", { class: "course-checks-summary__passed", text: t("checksPassed") }));
    summary.replaceChildren.apply(summary, children);
  }

  function refreshSummaries() {
    all(".course-check-record").forEach(fillRecord);
    all(".course-checks-summary").forEach(fillSummary);
  }

  // The questions of this page (My journal lists them all), for the exports: {"module/block/question": {...}}.
  function describe() {
    var out = {};
    all(".course-check-record").forEach(function (record) {
      var ref = refOf(record);
      var choices = {};
      all("li[data-choice]", record).forEach(function (item) {
        var copy = item.cloneNode(true);
        all(".course-check-record__mark", copy).forEach(function (mark) { mark.remove(); });
        choices[item.getAttribute("data-choice")] = course.plainText(copy);
      });
      out[[ref.module, ref.block, ref.question].join("/")] = {
        moduleTitle: course.headingText(document.getElementById(ref.module)),
        blockTitle: course.headingText(document.getElementById(ref.module + "--" + ref.block)),
        question: course.plainText(record.querySelector(".course-check-record__question")),
        choices: choices
      };
    });
    return out;
  }

  // The stored results in the order of My journal's questions, each with its question and chosen choices in words
  // (those no longer in the course last, as they are).
  function described(slug) {
    var about = describe();
    var order = Object.keys(about);
    return allResults(slug)
      .map(function (r) {
        var id = [r.module, r.block, r.question].join("/");
        var out = { module: r.module, block: r.block, question: r.question, chosen: r.chosen, correct: r.correct, checked: r.checked };
        if (about[id]) {
          out.moduleTitle = about[id].moduleTitle;
          out.blockTitle = about[id].blockTitle;
          out.questionText = about[id].question;
          out.chosenText = r.chosen.map(function (n) { return about[id].choices[n] || String(n); });
        }
        return { position: about[id] ? order.indexOf(id) : order.length, result: out };
      })
      .sort(function (a, b) {
        return a.position - b.position || (a.result.module + a.result.block).localeCompare(b.result.module + b.result.block) || a.result.question - b.result.question;
      })
      .map(function (item) { return item.result; });
  }

  // The results as lines of the downloaded Markdown journal.
  function exportMarkdown(slug) {
    var results = described(slug);
    if (!results.length) return [];
    var lines = ["## " + t("exportChecks"), ""];
    results.forEach(function (r) {
      var where = [r.moduleTitle || r.module, r.blockTitle || r.block].join(" › ");
      lines.push("### " + where, "", "> " + (r.questionText || r.module + " › " + r.block + " › " + r.question), "");
      lines.push(t("exportChosen", { choices: (r.chosenText || r.chosen.map(String)).join("; ") }) + " " + t(r.correct ? "exportRight" : "exportWrong"), "");
    });
    return lines;
  }

  course.checks = {
    key: keyOf,
    all: allResults,
    write: write,
    clear: clearCourse,
    parse: parse,
    exportList: described,
    exportMarkdown: exportMarkdown
  };

  /* ---------------------------------------------------------------- setting up a page */

  course.subscribe(function () {
    if (course.pageInfo().view !== "participant") return;
    all("fieldset.course-check").forEach(mountQuestion);
    all("aside.course-commentary[hidden]").forEach(mountCommentary);
    refreshSummaries();
  });

  // Another tab checked an answer, or the journal was imported or cleared: show it here too.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(PREFIX) === 0) refreshSummaries();
  });
  course.on("stored", refreshSummaries);
})();
