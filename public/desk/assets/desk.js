// The review desk's keyboard: j/k move between items, a approve, r reject, e edit, x select,
// A (shift+a) approve the selected ones.
// Progressive enhancement only: every action is an ordinary form that works without this script.
(() => {
  const items = [...document.querySelectorAll('.queue > .item')];
  if (!items.length) return;
  const at = Number.parseInt(new URLSearchParams(location.search).get('at') ?? '', 10);
  let current = Number.isInteger(at) ? Math.min(Math.max(at, 0), items.length - 1) : 0;

  const focus = (index) => {
    current = Math.min(Math.max(index, 0), items.length - 1);
    items.forEach((item, i) => item.classList.toggle('current', i === current));
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: 'nearest' });
  };
  const open = (selector) => {
    const details = items[current].querySelector(selector);
    if (!details) return;
    details.open = true;
    details.querySelector('textarea')?.focus();
  };

  // A page that opened an edit (a refused one, shown again) keeps the focus in its text.
  if (!document.querySelector('textarea[autofocus]')) focus(current);
  items.forEach((item, i) => item.addEventListener('focusin', () => {
    current = i;
    items.forEach((other, j) => other.classList.toggle('current', j === i));
  }));

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement && target.type !== 'checkbox' || target instanceof HTMLSelectElement) {
      if (event.key === 'Escape') {
        const details = target.closest('details');
        if (details) details.open = false;
        focus(current);
      }
      return;
    }
    const item = items[current];
    switch (event.key) {
      case 'j': focus(current + 1); break;
      case 'k': focus(current - 1); break;
      case 'a': item.querySelector('form[data-approve]')?.requestSubmit(); break;
      case 'r': open('details[data-reject]'); break;
      case 'e': open('details[data-edit]'); break;
      case 'x': { const box = item.querySelector('input[data-select]'); if (box) box.checked = !box.checked; break; }
      case 'A': if (document.querySelector('input[data-select]:checked')) document.getElementById('bulk')?.requestSubmit(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
