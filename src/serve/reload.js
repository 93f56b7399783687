// brief serve's live reload. Injected by the development server into the HTML pages it
// serves (never into `brief build` output). It keeps a WebSocket open to the server, which
// says when a new build is complete and served (only ever a whole, successful one):
//   {type: "hello",  build, error}  on connecting: the current build and error, if any
//   {type: "reload", build}         pages changed: reload (keeping the scroll position)
//   {type: "reload", build, pages}  only these pages changed (URL paths): reload if this is
//                                   one of them, else just take the new build number
//   {type: "css",    build}         only stylesheets changed: swap them, no reload
//   {type: "error",  text}          the last build failed: show the overlay
//   {type: "ok",     build}         the build is good again and nothing else changed
(() => {
  "use strict";
  const script = document.currentScript;
  let build = script.dataset.build;
  const wsPath = script.dataset.ws;
  const scrollKey = "__brief_scroll:" + location.pathname;
  const overlayId = "__brief-overlay";

  // Put the page back where it was before a reload this script asked for. Once now (the
  // page is parsed and styled) and once on load (images may have moved things).
  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    const to = JSON.parse(saved);
    window.scrollTo(to.x, to.y);
    addEventListener("load", () => {
      window.scrollTo(to.x, to.y);
      sessionStorage.removeItem(scrollKey);
    });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify({ x: scrollX, y: scrollY }));
    location.reload();
  }

  // Swaps every same-origin stylesheet for a fresh copy; the old one goes once the new one
  // has loaded, so the page never shows unstyled.
  function swapStyles(tag) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("__brief", tag);
      const fresh = link.cloneNode();
      fresh.href = url.href;
      const drop = () => link.remove();
      fresh.addEventListener("load", drop);
      fresh.addEventListener("error", drop);
      link.after(fresh);
    }
  }

  // The overlay is built the same way as the server's (see inject.rs), so a page served
  // while the build is broken and a page told over the socket look alike.
  function setOverlay(text) {
    const old = document.getElementById(overlayId);
    if (old) old.remove();
    if (!text) return;
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.setAttribute("style", script.dataset.overlayStyle);
    const head = document.createElement("p");
    head.setAttribute("style", script.dataset.headStyle);
    head.textContent = script.dataset.headText;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "hide";
    close.setAttribute("style", script.dataset.buttonStyle);
    close.addEventListener("click", () => box.remove());
    head.append(" ", close);
    const pre = document.createElement("pre");
    pre.setAttribute("style", script.dataset.preStyle);
    pre.textContent = text;
    box.append(head, pre);
    document.body.append(box);
  }
  const served = document.getElementById(overlayId);
  if (served) {
    const button = served.querySelector("button");
    if (button) button.addEventListener("click", () => served.remove());
  }

  let delay = 250;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + wsPath);
    ws.onopen = () => {
      delay = 250;
      // For tests and the curious: whether this page is listening.
      window.__briefLive = true;
    };
    ws.onmessage = (event) => {
      const m = JSON.parse(event.data);
      switch (m.type) {
        case "hello":
          // Builds made while this page was loading or the socket was down.
          if (m.build !== build) return reload();
          setOverlay(m.error);
          break;
        case "reload":
          if (m.build === build) break;
          if (!m.pages || m.pages.includes(location.pathname)) return reload();
          // A good build that left this page as it was.
          build = m.build;
          setOverlay(null);
          break;
        case "css":
          build = m.build;
          setOverlay(null);
          swapStyles(m.build);
          break;
        case "error":
          setOverlay(m.text);
          break;
        case "ok":
          setOverlay(null);
          break;
      }
    };
    // The server went away (restarted, or the laptop slept): try again, less and less often.
    ws.onclose = () => {
      window.__briefLive = false;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
})();
