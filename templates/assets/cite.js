/* folio: citations. Fills in the reader's access date where a citation
   says [date] and adds a Copy button to each citation. Without
   JavaScript the citations stay as plain, selectable text. */
(function () {
  'use strict';

  var PLACEHOLDER = '[date]';
  var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function fillDate(el, today) {
    var text = el.getAttribute('data-cite') === 'bibtex'
      ? today.getFullYear() + '-' + pad(today.getMonth() + 1) + '-' + pad(today.getDate())
      : today.getDate() + ' ' + months[today.getMonth()] + ' ' + today.getFullYear();
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeValue.indexOf(PLACEHOLDER) >= 0) {
        node.nodeValue = node.nodeValue.split(PLACEHOLDER).join(text);
      }
    }
  }

  function addCopy(el) {
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      return;
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'cite__copy';
    button.textContent = el.getAttribute('data-cite') === 'bibtex' ? 'Copy BibTeX' : 'Copy citation';
    var status = document.createElement('span');
    status.className = 'cite__status';
    status.setAttribute('role', 'status');
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(el.textContent).then(function () {
        status.textContent = 'Copied';
      }, function () {
        status.textContent = 'Could not copy; select the text instead';
      });
    });
    el.parentNode.insertBefore(button, el.nextSibling);
    el.parentNode.insertBefore(status, button.nextSibling);
  }

  function start() {
    var today = new Date();
    var els = document.querySelectorAll('[data-cite]');
    for (var i = 0; i < els.length; i++) {
      fillDate(els[i], today);
      addCopy(els[i]);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
