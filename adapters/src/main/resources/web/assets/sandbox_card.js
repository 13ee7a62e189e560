// The sandbox gateway's card form (stands in for Stripe.js / Stripe Elements): the card number, expiry and CVC go
// from this browser straight to the gateway's tokenization endpoint; the portal's own server only ever receives the
// token, in the hidden field of the form that is then submitted.
(function () {
  var form = document.getElementById('card-form');
  if (!form) { return; }
  var status = document.getElementById('card-status');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var expiry = document.getElementById('card-expiry').value.split('/');
    var body = { card: {
      number: document.getElementById('card-number').value.replace(/\s+/g, ''),
      exp_month: parseInt(expiry[0], 10),
      exp_year: parseInt((expiry[1] || '').length === 2 ? '20' + expiry[1] : expiry[1], 10),
      cvc: document.getElementById('card-cvc').value
    } };
    status.textContent = form.dataset.working;
    fetch(form.dataset.tokenization, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      credentials: 'omit' })
      .then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, json: json }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          status.textContent = answer.json.detail || answer.json.title || form.dataset.failed;
          form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
          return;
        }
        var submit = document.getElementById('token-form');
        submit.elements.token.value = answer.json.id;
        submit.submit();
      })
      .catch(function () {
        status.textContent = form.dataset.failed;
        form.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
      });
  });
}());
