// Search on graphical pages. The page's form loads this module on the reader's first search (see
// templates/partials/search.html); it loads Pagefind and the index of the page's language only then,
// shows the results as a list of headed links with excerpts, and says how many there are in the
// form's status region. Keyboard: Enter searches at once, Down goes to the results, Up and Down move
// between them, Escape goes back to the field (and, from the field, clears the search).

const PAGE = 10; // results shown at a time
let engine = null;

function pagefind(form) {
  if (engine === null) {
    const bundle = new URL(form.dataset.index, document.baseURI);
    engine = import(new URL("pagefind.js", bundle).href).then(async (api) => {
      await api.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 24 });
      await api.init();
      return api;
    });
    engine.catch(() => { engine = null; });
  }
  return engine;
}

function excerpt(html) {
  // Pagefind's excerpt is text with <mark> around the words found: rebuilt from text, nothing else kept.
  const parsed = document.createElement("template");
  parsed.innerHTML = html;
  const paragraph = document.createElement("p");
  for (const node of parsed.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function results(title) {
  // The results come before the page's own h1, so their section is headed by an h1 and each result by an h2.
  const panel = document.createElement("section");
  panel.id = "site-search-results";
  panel.className = "search-results";
  panel.setAttribute("aria-labelledby", "site-search-results-title");
  panel.hidden = true;
  const heading = document.createElement("h1");
  heading.id = "site-search-results-title";
  heading.textContent = title;
  panel.append(heading, document.createElement("ol"));
  return panel;
}

function entry(data, pageLang) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const words = excerpt(data.excerpt || "");
  if (data.meta.lang && data.meta.lang !== pageLang) {
    for (const part of [heading, words]) { // the list keeps the page's direction, its items their own
      part.lang = data.meta.lang;
      part.dir = data.meta.dir || "auto";
    }
  }
  item.append(heading, words);
  return item;
}

export function attach(form, first) {
  const field = form.querySelector("input[type=search]");
  const status = form.querySelector("[role=status]");
  const words = form.dataset;
  const panel = results(words.title);
  const list = panel.querySelector("ol");
  form.append(panel);
  const pageLang = document.documentElement.lang;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = words.more;
  more.hidden = true;
  panel.append(more);
  let asked = 0;
  let timer = 0;
  let found = [];
  let shown = 0;

  const say = (text) => { status.textContent = text; };
  const busy = (yes) => { form.setAttribute("aria-busy", yes ? "true" : "false"); };
  const links = () => [...list.querySelectorAll("a")];

  function clear() {
    asked += 1;
    busy(false);
    found = [];
    shown = 0;
    list.replaceChildren();
    panel.hidden = true;
    more.hidden = true;
    say("");
  }

  async function show(ticket) {
    const next = found.slice(shown, shown + PAGE);
    const data = await Promise.all(next.map((result) => result.data()));
    if (ticket !== asked) return false;
    list.append(...data.map((one) => entry(one, pageLang)));
    shown += next.length;
    more.hidden = shown >= found.length;
    panel.hidden = false;
    return true;
  }

  async function run() {
    clearTimeout(timer);
    const query = field.value.trim();
    if (!query) { clear(); return; }
    const ticket = ++asked;
    busy(true);
    if (engine === null) say(words.busy);
    let api;
    try {
      api = await pagefind(form);
    } catch (error) {
      if (ticket === asked) { busy(false); fail(); }
      return;
    }
    const result = await api.search(query);
    if (ticket !== asked) return;
    found = result.results;
    shown = 0;
    list.replaceChildren();
    if (!found.length) {
      panel.hidden = true;
      more.hidden = true;
      busy(false);
      say(words.none.replace("{query}", query));
      return;
    }
    if (await show(ticket)) {
      busy(false);
      say(words.found.replace("{count}", found.length.toLocaleString(pageLang)));
    }
  }

  function fail() {
    // No index to load (the page was opened from a file, or the index is missing): the site map instead.
    const link = document.createElement("a");
    link.href = form.action;
    link.textContent = words.failed;
    panel.hidden = true;
    status.replaceChildren(link);
  }

  const later = () => {
    clearTimeout(timer);
    busy(true);
    timer = setTimeout(run, 250);
  };
  field.addEventListener("input", later);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  form.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (event.target === field || at >= 0) && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? field : all[at - 1]).focus();
    } else if (event.key === "Escape") {
      if (event.target === field) {
        field.value = "";
        clear();
      } else {
        field.focus();
      }
    }
  });
  more.addEventListener("click", async () => {
    const before = shown;
    if (await show(asked)) links()[before]?.focus();
  });
  if (first === "submit") run();
  else later();
}
