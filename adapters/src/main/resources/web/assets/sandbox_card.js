// The sandbox gateway's tokenization forms (they stand in for Stripe.js / Stripe Elements): the card number, the
// IBAN with the accepted mandate, or the UPI id go from this browser straight to the gateway's tokenization
// endpoint; the portal's own server only ever receives the token, in the hidden field of the form then submitted.
(function () {
  function value(id) { return document.getElementById(id).value; }
  var bodies = {
    card: function () {
      var expiry = value('card-expiry').split('/');
      return { card: {
        number: value('card-number').replace(/\s+/g, ''),
        exp_month: parseInt(expiry[0], 10),
        exp_year: parseInt((expiry[1] || '').length === 2 ? '20' + expiry[1] : expiry[1], 10),
        cvc: value('card-cvc')
      } };
    },
    bank_account: function () {
      return { bank_account: { iban: value('bank-iban'), account_holder: value('bank-holder'),
        mandate_accepted: document.getElementById('bank-mandate').checked } };
    },
    upi: function () { return { upi: { vpa: value('upi-vpa').trim() } }; }
  };
  document.querySelectorAll('form.tokenize').forEach(function (form) {
    var status = form.querySelector('.tokenize-status');
    function failed(text) {
      status.textContent = text;
      form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      status.textContent = form.dataset.working;
      fetch(form.dataset.tokenization, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(bodies[form.dataset.instrument]()), credentials: 'omit' })
        .then(function (response) {
          return response.json().then(function (json) { return { ok: response.ok, json: json }; });
        })
        .then(function (answer) {
          if (!answer.ok) {
            failed(answer.json.detail || answer.json.title || form.dataset.failed);
            return;
          }
          var submit = document.getElementById('token-form');
          submit.elements.token.value = answer.json.id;
          submit.submit();
        })
        .catch(function () { failed(form.dataset.failed); });
    });
  });
}());
