/* Rupiah amounts in the admin (smartcity/widgets.py MoneyInput): group the digits with the page language's
   thousands separator while they are typed, keeping the caret where it was. Anything that is not digits and
   separators is left as typed, for the server to refuse with a form error. */
(function () {
  "use strict";

  function group(digits, separator) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  function regroup(input) {
    var separator = input.getAttribute("data-thousands") || ".";
    var value = input.value;
    var plain = value.split(separator).join("").replace(/\s/g, "");
    if (!/^\d+$/.test(plain)) {
      return;
    }
    var fromEnd = value.length - (input.selectionEnd === null ? value.length : input.selectionEnd);
    input.value = group(plain.replace(/^0+(?=\d)/, ""), separator);
    var caret = Math.max(0, input.value.length - fromEnd);
    if (document.activeElement === input) {
      input.setSelectionRange(caret, caret);
    }
  }

  // A new row shows 0: focusing it selects the 0, so typing replaces it instead of adding to it.
  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input.money-input") && /^0*$/.test(input.value.trim())) {
      input.select();
    }
  });

  // Delegated, so rows an inline adds later ("Add another budget line") are served too.
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input.money-input")) {
      regroup(event.target);
    }
  });
})();
