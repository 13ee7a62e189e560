// Stripe Elements in the portal: the server opens a SetupIntent and hands this browser its client secret; Stripe's
// Payment Element (card, SEPA debit with its mandate text, UPI — whatever the Stripe account enables) collects the
// details inside Stripe's own frames and confirms the SetupIntent with Stripe (3-D Secure and redirects included);
// the portal only ever receives the confirmed SetupIntent's id (seti_…), posted as the token.
(function () {
  var form = document.getElementById('stripe-form');
  if (!form) { return; }
  var status = form.querySelector('.tokenize-status');
  var tokenForm = document.getElementById('token-form');
  function submitToken(id) {
    tokenForm.elements.token.value = id;
    tokenForm.submit();
  }
  // back from a redirect-based confirmation (a bank's page): Stripe appends the SetupIntent to the return URL
  var query = new URLSearchParams(window.location.search);
  if (query.get('setup_intent') && query.get('redirect_status') === 'succeeded') {
    submitToken(query.get('setup_intent'));
    return;
  }
  if (typeof Stripe === 'undefined') {
    status.textContent = form.dataset.failed;
    return;
  }
  var stripe = Stripe(form.dataset.publishableKey);
  fetch(form.dataset.setup, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: form.dataset.csrf }) })
    .then(function (response) {
      if (!response.ok) { throw new Error('setup'); }
      return response.json();
    })
    .then(function (json) {
      var elements = stripe.elements({ clientSecret: json.client_secret });
      elements.create('payment').mount('#stripe-element');
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        stripe.confirmSetup({ elements: elements, redirect: 'if_required',
          confirmParams: { return_url: window.location.origin + window.location.pathname } })
          .then(function (result) {
            if (result.error) {
              status.textContent = result.error.message;
              return;
            }
            submitToken(result.setupIntent.id);
          });
      });
    })
    .catch(function () { status.textContent = form.dataset.failed; });

  // SEPA Direct Debit: Stripe's IBAN field (inside Stripe's frame), the mandate text shown and accepted on the page;
  // the server opens a SetupIntent for sepa_debit only, stripe.confirmSepaDebitSetup sends the IBAN with the account
  // holder's name and email to Stripe, which records the mandate; the portal receives only the confirmed seti_ id.
  var sepaForm = document.getElementById('stripe-sepa-form');
  if (!sepaForm) { return; }
  var sepaStatus = sepaForm.querySelector('.tokenize-status');
  var iban = stripe.elements().create('iban', { supportedCountries: ['SEPA'] });
  iban.mount('#stripe-iban');
  sepaForm.addEventListener('submit', function (event) {
    event.preventDefault();
    fetch(sepaForm.dataset.setup, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: sepaForm.dataset.csrf }) })
      .then(function (response) {
        if (!response.ok) { throw new Error('setup'); }
        return response.json();
      })
      .then(function (json) {
        return stripe.confirmSepaDebitSetup(json.client_secret, { payment_method: { sepa_debit: iban,
          billing_details: { name: sepaForm.querySelector('#sepa-holder').value, email: sepaForm.querySelector('#sepa-email').value } } });
      })
      .then(function (result) {
        if (result.error) {
          sepaStatus.textContent = result.error.message;
          return;
        }
        submitToken(result.setupIntent.id);
      })
      .catch(function () { sepaStatus.textContent = sepaForm.dataset.failed; });
  });
}());
