// Search on demand: the search index (the largest file of the site) and Material's search
// worker are downloaded when the reader first opens search, not on every page load.
// Material's bundle asks for both as soon as a page loads: it creates the worker with
// `new Worker(url)` and reads the index with XMLHttpRequest. This file runs just before the
// bundle (main.html) and holds back exactly those two requests until the reader focuses
// the search box, opens the search overlay or arrives with a query (?q=) or a highlight
// (?h=) in the address. Everything else in Material's search is untouched: once opened it
// works as before, results as you type. If this file fails to run, search still works, only
// loaded eagerly.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const config = document.getElementById("__config");
  const workerPath = config ? JSON.parse(config.textContent).search : null;
  if (!workerPath) return;
  const workerUrl = new URL(workerPath, document.baseURI).href;
  const waiting = [];
  let opened = false;
  const open = () => {
    if (opened) return;
    opened = true;
    for (const start of waiting.splice(0)) start();
  };
  const whenOpened = (start) => (opened ? start() : waiting.push(start));

  const { open: openRequest, send } = XMLHttpRequest.prototype;
  const deferred = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(new URL(String(url), document.baseURI).pathname)) deferred.add(this);
    return openRequest.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!deferred.has(this)) return send.call(this, body);
    whenOpened(() => send.call(this, body));
  };

  // The search worker: a stand-in that keeps Material's messages until the real one starts.
  const RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (new URL(String(url), document.baseURI).href !== workerUrl) {
      return new RealWorker(url, options);
    }
    const standIn = new EventTarget();
    const queue = [];
    let worker = null;
    standIn.postMessage = (message) => (worker ? worker.postMessage(message) : queue.push(message));
    standIn.terminate = () => worker?.terminate();
    whenOpened(() => {
      worker = new RealWorker(url, options);
      for (const type of ["message", "messageerror", "error"]) {
        worker.addEventListener(type, (event) => {
          const copy = type === "error" ? new Event("error") : new MessageEvent(type, event);
          standIn.dispatchEvent(copy);
        });
      }
      for (const message of queue.splice(0)) worker.postMessage(message);
    });
    return standIn;
  };

  const params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) open();
  document.addEventListener("focusin", (event) => {
    if (event.target.closest?.(".md-search")) open();
  });
  document.getElementById("__search")?.addEventListener("change", open);
})();
