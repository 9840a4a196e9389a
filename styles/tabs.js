// Tabs for pymdownx.tabbed sets (WAI-ARIA Authoring Practices, "Tabs with automatic activation").
// Without this script a set reads as its titled sections one after another; with it, the titles become
// a tab list: one panel shown, Left/Right (and Home/End) move between tabs, Tab moves into the panel.
(function () {
  "use strict";
  var sets = document.querySelectorAll(".tabbed-set");
  Array.prototype.forEach.call(sets, function (set, setIndex) {
    var blocks = Array.prototype.filter.call(set.children, function (child) {
      return child.classList.contains("tabbed-block");
    });
    if (blocks.length === 0) { return; }
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "tabbed-tabs";
    var tabs = [];
    var chosen = 0;
    blocks.forEach(function (block, index) {
      var title = block.querySelector(".tabbed-title");
      var id = "tabbed-" + (setIndex + 1) + "-" + (index + 1);
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", id);
      tab.className = "tabbed-tab";
      if (title) {
        while (title.firstChild) { tab.appendChild(title.firstChild); }
        title.parentNode.removeChild(title);
      }
      block.id = id;
      block.setAttribute("role", "tabpanel");
      block.setAttribute("aria-labelledby", tab.id);
      block.tabIndex = 0;
      if (block.classList.contains("tabbed-selected")) { chosen = index; }
      tab.addEventListener("click", function () { select(index, false); });
      tab.addEventListener("keydown", function (event) {
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) { return; }
        event.preventDefault();
        select((next + tabs.length) % tabs.length, true);
      });
      tabs.push(tab);
      list.appendChild(tab);
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        blocks[i].hidden = !on;
      });
      if (focus) { tabs[index].focus(); }
    }
    set.insertBefore(list, set.firstChild);
    set.classList.add("tabbed-ready");
    select(chosen, false);
  });
}());
