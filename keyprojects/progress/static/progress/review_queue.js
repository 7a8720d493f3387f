// The review queue's 全选 box ticks or clears every report of the page for the batch accept.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-pick-all]");
  if (!all) return;
  document.querySelectorAll('input[name="reports"][form="batch-accept"]').forEach((box) => {
    box.checked = all.checked;
  });
});
