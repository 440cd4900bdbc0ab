/*
 * Room mode (trainer view): a "Present" button on each activity opens it full screen for the room, with its
 * title, its prompt or questions in large type, its grouping and a countdown of its duration (start, pause,
 * reset; at the end a visual signal and a short, quiet tone made in the page, never a sound file).
 * Left and right arrows move to the previous and next activity of the page (the module, or the session's
 * run sheet), Escape closes and gives focus back. Also: the print buttons of the trainer's printouts
 * (agenda, facilitator guide, run sheets), and the full address of their links, printed after them.
 * Everything it needs is on the page: data-course-present (title), data-duration (minutes), data-grouping.
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("room")) return;

  var make = course.make;
  var TICK_MS = 250;

  // A button of the room: its visible text, and a label for screen readers where the text is a sign (an arrow).
  function button(text, extraClass, label) {
    var node = course.button(text, "course-room__button " + (extraClass || ""));
    if (label) node.setAttribute("aria-label", label);
    return node;
  }

  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var m = Math.floor(s / 60);
    return m + ":" + ("0" + (s % 60)).slice(-2);
  }

  /* ---------------------------------------------------------------- the tone */

  var audio = null;

  // Made on the Start click (a user gesture), so the browser lets it sound later.
  function prepareAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try {
        audio = new Context();
      } catch (e) {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended" && audio.resume) audio.resume();
  }

  function chime() {
    if (!audio) return;
    try {
      var now = audio.currentTime;
      [660, 880].forEach(function (frequency, i) {
        var tone = audio.createOscillator();
        var gain = audio.createGain();
        tone.type = "sine";
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, now + i * 0.35);
        gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.35 + 0.05);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.35 + 0.6);
        tone.connect(gain).connect(audio.destination);
        tone.start(now + i * 0.35);
        tone.stop(now + i * 0.35 + 0.65);
      });
    } catch (e) {
      /* no sound: the visual signal stays */
    }
  }

  /* ---------------------------------------------------------------- the timer */

  // A countdown of `seconds` (a count up when 0), measured on the clock, not by counting ticks.
  function Timer(seconds, onChange) {
    this.total = seconds;
    this.spent = 0; // seconds, up to the last pause
    this.since = null; // when it last started (ms), while running
    this.interval = null;
    this.onChange = onChange;
  }
  Timer.prototype.elapsed = function () {
    return this.spent + (this.since === null ? 0 : (Date.now() - this.since) / 1000);
  };
  Timer.prototype.left = function () {
    return Math.max(0, this.total - this.elapsed());
  };
  Timer.prototype.running = function () {
    return this.since !== null;
  };
  Timer.prototype.done = function () {
    return this.total > 0 && this.left() <= 0;
  };
  Timer.prototype.start = function () {
    if (this.running() || this.done()) return;
    this.since = Date.now();
    var timer = this;
    this.interval = window.setInterval(function () {
      if (timer.done()) timer.stop();
      timer.onChange();
    }, TICK_MS);
    this.onChange();
  };
  Timer.prototype.stop = function () {
    if (!this.running()) return;
    this.spent = Math.min(this.elapsed(), this.total || Infinity);
    this.since = null;
    window.clearInterval(this.interval);
    this.interval = null;
  };
  Timer.prototype.pause = function () {
    this.stop();
    this.onChange();
  };
  Timer.prototype.reset = function () {
    this.stop();
    this.spent = 0;
    this.onChange();
  };

  /* ---------------------------------------------------------------- the room */

  var room = null; // what is open: { overlay, activities, index, timer, opener, parts }

  function activities() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-course-present]"));
  }

  function build() {
    var parts = {
      position: make("p", { class: "course-room__position" }),
      title: make("h2", { class: "course-room__title", id: "course-room-title" }),
      grouping: make("p", { class: "course-room__grouping" }),
      prompts: make("div", { class: "course-room__prompts" }),
      label: make("span", { class: "course-room__time-label" }),
      time: make("span", { class: "course-room__time", role: "timer", "aria-atomic": "true" }),
      status: make("p", { class: "course-room__status", "aria-live": "assertive" }),
      toggle: button(course.t("roomStart"), "course-room__toggle"),
      reset: button(course.t("roomReset"), "course-room__reset"),
      previous: button("←", "course-room__previous", course.t("roomPrevious")),
      next: button("→", "course-room__next", course.t("roomNext")),
      close: button("×", "course-room__close", course.t("roomClose"))
    };
    var clockBox = make("div", { class: "course-room__clock" }, [parts.label, parts.time]);
    var controls = make("div", { class: "course-room__controls" }, [parts.toggle, parts.reset]);
    var nav = make("div", { class: "course-room__nav" }, [parts.previous, parts.next, make("span", { class: "course-room__keys", text: course.t("roomKeys") })]);
    var overlay = make(
      "div",
      { class: "course-room md-typeset", role: "dialog", "aria-modal": "true", "aria-labelledby": "course-room-title", tabindex: "-1" },
      [
        make("div", { class: "course-room__bar" }, [parts.position, parts.close]),
        make("div", { class: "course-room__body" }, [parts.title, parts.grouping, parts.prompts]),
        make("div", { class: "course-room__foot" }, [clockBox, parts.status, controls, nav])
      ]
    );
    parts.toggle.addEventListener("click", function () {
      if (!room) return;
      if (room.timer.running()) {
        room.timer.pause();
      } else {
        prepareAudio();
        room.timer.start();
      }
    });
    parts.reset.addEventListener("click", function () {
      if (room) room.timer.reset();
    });
    parts.previous.addEventListener("click", function () {
      move(-1);
    });
    parts.next.addEventListener("click", function () {
      move(1);
    });
    parts.close.addEventListener("click", close);
    overlay.addEventListener("keydown", onKey);
    return { overlay: overlay, parts: parts };
  }

  function render() {
    var parts = room.parts;
    var timer = room.timer;
    var countdown = timer.total > 0;
    parts.label.textContent = countdown ? course.t("roomLeft") : course.t("roomElapsed");
    parts.time.textContent = clock(countdown ? timer.left() : timer.elapsed());
    parts.toggle.textContent = timer.running() ? course.t("roomPause") : timer.elapsed() > 0 && !timer.done() ? course.t("roomResume") : course.t("roomStart");
    parts.toggle.disabled = timer.done();
    var done = timer.done();
    if (done && !room.signalled) {
      room.signalled = true;
      chime();
    }
    if (!done) room.signalled = false;
    room.overlay.classList.toggle("course-room--done", done);
    room.overlay.classList.toggle("course-room--running", timer.running());
    parts.status.textContent = done ? course.t("roomDone") : "";
  }

  function show(index) {
    var list = room.activities;
    var activity = list[index];
    var parts = room.parts;
    if (room.timer) room.timer.stop();
    room.index = index;
    var title = activity.getAttribute("data-course-present") || "";
    parts.position.textContent = course.t("roomPosition", { n: index + 1, total: list.length });
    parts.title.textContent = title;
    var grouping = activity.getAttribute("data-grouping") || "";
    parts.grouping.textContent = grouping;
    parts.grouping.hidden = !grouping;
    parts.prompts.textContent = "";
    Array.prototype.forEach.call(activity.querySelectorAll(".course-prompt"), function (prompt) {
      var copy = prompt.cloneNode(true);
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (node) {
        node.removeAttribute("id");
      });
      copy.className = "course-room__prompt";
      parts.prompts.appendChild(copy);
    });
    parts.previous.disabled = index === 0;
    parts.next.disabled = index === list.length - 1;
    var minutes = parseInt(activity.getAttribute("data-duration") || "0", 10) || 0;
    room.signalled = false;
    room.timer = new Timer(minutes * 60, render);
    render();
  }

  function move(step) {
    if (!room) return;
    var index = room.index + step;
    if (index < 0 || index >= room.activities.length) return;
    show(index);
  }

  function open(activity, opener) {
    var list = activities();
    var index = list.indexOf(activity);
    if (index < 0) return;
    if (!room) {
      var made = build();
      room = { overlay: made.overlay, parts: made.parts, activities: list, index: index, timer: null, opener: opener };
      document.body.appendChild(room.overlay);
      document.documentElement.classList.add("course-room-open");
      document.addEventListener("fullscreenchange", onFullscreenChange);
      if (room.overlay.requestFullscreen) {
        var asked = room.overlay.requestFullscreen();
        if (asked && asked.catch) asked.catch(function () {});
      }
    }
    room.activities = list;
    show(index);
    room.parts.toggle.focus();
  }

  function close() {
    if (!room) return;
    var current = room.activities[room.index];
    var back = (current && current.querySelector(".course-room-present")) || room.opener;
    room.timer.stop();
    document.removeEventListener("fullscreenchange", onFullscreenChange);
    if (document.fullscreenElement && document.exitFullscreen) {
      var left = document.exitFullscreen();
      if (left && left.catch) left.catch(function () {});
    }
    room.overlay.remove();
    document.documentElement.classList.remove("course-room-open");
    room = null;
    if (back) {
      back.focus();
      if (back.scrollIntoView) back.scrollIntoView({ block: "center" });
    }
  }

  // The browser leaves full screen on Escape by itself: the room closes with it.
  function onFullscreenChange() {
    if (room && !document.fullscreenElement) close();
  }

  function focusables() {
    return Array.prototype.filter.call(room.overlay.querySelectorAll("button, a[href]"), function (node) {
      return !node.disabled && !node.hidden;
    });
  }

  function onKey(event) {
    if (!room || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      move(event.key === "ArrowRight" ? 1 : -1);
      if (room && document.activeElement && document.activeElement.disabled) room.parts.toggle.focus();
    } else if (event.key === "Tab") {
      // Focus stays in the room while it is open.
      var nodes = focusables();
      if (!nodes.length) return;
      var first = nodes[0];
      var last = nodes[nodes.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  function mountPresent(activity) {
    if (activity.hasAttribute("data-course-room")) return;
    activity.setAttribute("data-course-room", "");
    var title = activity.getAttribute("data-course-present") || "";
    var present = button(course.t("roomPresent"), "course-room-present", course.t("roomPresentLabel", { title: title }));
    present.addEventListener("click", function () {
      open(activity, present);
    });
    activity.insertBefore(make("p", { class: "course-room-action" }, [present]), activity.firstChild);
  }

  function setUp() {
    if (room) close(); // instant navigation to another page
    activities().forEach(mountPresent);
  }

  course.subscribe(setUp);
})();
