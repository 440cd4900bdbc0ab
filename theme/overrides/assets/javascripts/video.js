/*
 * Click-to-load videos: a video's embed address is loaded only when its play button is pressed,
 * and only from the two hosts below; until then the page makes no request for it.
 */
(function () {
  "use strict";

  var course = window.course;
  if (!course || !course.feature("video")) return;

  var EMBED_PREFIXES = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"];

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
    if (!course.once(play, "ready")) return;
    play.addEventListener("click", function () {
      var src = safeEmbed(play.getAttribute("data-embed-src") || "");
      if (!src) return;
      var figure = play.closest(".course-video");
      var iframe = course.make("iframe", {
        class: "course-video__iframe",
        src: src,
        title: (figure && figure.getAttribute("data-title")) || course.plainText(play.querySelector(".course-video__label")) || course.t("videoTitle"),
        allow: "autoplay; encrypted-media; picture-in-picture; fullscreen",
        allowfullscreen: "",
        referrerpolicy: "strict-origin-when-cross-origin"
      });
      play.replaceWith(iframe);
      iframe.focus();
    });
  }

  course.subscribe(function () {
    course.all(".course-video__play").forEach(mountVideo);
  });
})();
