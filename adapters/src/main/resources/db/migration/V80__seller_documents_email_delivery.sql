-- The seller's legal identity, printed on every document of the tenant (one row per tenant; absent = the
-- tenant's name only).
CREATE TABLE seller_identities (
    tenant_id            text PRIMARY KEY REFERENCES tenants (id),
    legal_name           text NOT NULL,
    address_line1        text,
    address_line2        text,
    city                 text,
    region               text,
    postal_code          text,
    country              char(2),
    vat_id               text,
    tax_id               text,
    registration_number  text,
    email                text,
    phone                text,
    website              text,
    logo                 bytea,
    brand_color          text NOT NULL,
    invoice_footer       text,
    bank_account_holder  text,
    bank_name            text,
    iban                 text,
    bic                  text,
    payment_terms_days   integer NOT NULL DEFAULT 0 CHECK (payment_terms_days BETWEEN 0 AND 365),
    email_invoices       boolean NOT NULL DEFAULT false,
    updated_at           timestamptz NOT NULL
);

-- Unguessable links to hosted documents: 32 random bytes, URL-safe base64. The token alone finds the
-- document (no API key), so it is unique across tenants.
CREATE TABLE document_links (
    token        text PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    object_type  text NOT NULL,
    object_id    text NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (tenant_id, object_type, object_id)
);

-- Emails rendered from templates at send time: `template` names the kind (invoice, proforma, receipt,
-- statement) and object_id the document; subject and body are filled when first rendered. Failed sends are
-- retried with exponential backoff (next_attempt_at); a resend is a new row pointing at the original.
ALTER TABLE outbound_emails ALTER COLUMN subject DROP NOT NULL;
ALTER TABLE outbound_emails ALTER COLUMN body DROP NOT NULL;
ALTER TABLE outbound_emails ADD COLUMN template text;
ALTER TABLE outbound_emails ADD COLUMN html_body text;
ALTER TABLE outbound_emails ADD COLUMN attachments text[] NOT NULL DEFAULT '{}';
ALTER TABLE outbound_emails ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE outbound_emails ADD COLUMN resend_of text;
UPDATE outbound_emails SET next_attempt_at = created_at WHERE status = 'queued';
DROP INDEX outbound_emails_queued;
CREATE INDEX outbound_emails_due ON outbound_emails (next_attempt_at) WHERE status = 'queued';
-- one original email per document and template; resends are extra rows
CREATE UNIQUE INDEX outbound_emails_once ON outbound_emails (tenant_id, template, object_id) WHERE template IS NOT NULL AND resend_of IS NULL;

-- The delivery log: one row per attempt to hand a message to the mail server.
CREATE TABLE email_attempts (
    tenant_id   text NOT NULL,
    email_id    text NOT NULL,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('sent', 'failed')),
    detail      text,
    PRIMARY KEY (tenant_id, email_id, attempt),
    FOREIGN KEY (tenant_id, email_id) REFERENCES outbound_emails (tenant_id, id)
);

-- Every invoice that becomes final (and every new proforma) is emailed when the seller asked for it: the
-- outbox row is written here, in the transaction that finalizes the invoice, whichever code path does it
-- (billing runs, drafts finalized after their grace, a proforma paid). Only a row is written; rendering
-- and sending happen later in the dispatcher, so billing runs are not slowed by documents.
CREATE FUNCTION enqueue_invoice_email() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text;
    recipients text[];
BEGIN
    IF NEW.status = 'proforma' AND TG_OP = 'INSERT' THEN
        kind := 'proforma';
    ELSIF NEW.status = 'finalized' AND (TG_OP = 'INSERT' OR OLD.status = 'draft') THEN
        kind := 'invoice';
    ELSIF NEW.status = 'paid' AND TG_OP = 'UPDATE' AND OLD.status = 'proforma' THEN
        kind := 'invoice';
    ELSE
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM seller_identities s WHERE s.tenant_id = NEW.tenant_id AND s.email_invoices) THEN
        RETURN NEW;
    END IF;
    SELECT c.billing_emails INTO recipients FROM customers c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.customer_id;
    IF recipients IS NULL OR cardinality(recipients) = 0 THEN
        RETURN NEW;
    END IF;
    INSERT INTO outbound_emails (tenant_id, id, customer_id, recipients, template, object_type, object_id, status, created_at, next_attempt_at)
    VALUES (NEW.tenant_id, 'eml_' || replace(gen_random_uuid()::text, '-', ''), NEW.customer_id, recipients, kind, 'invoice', NEW.id, 'queued',
            clock_timestamp(), clock_timestamp())
    ON CONFLICT (tenant_id, template, object_id) WHERE template IS NOT NULL AND resend_of IS NULL DO NOTHING;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_enqueue_email AFTER INSERT OR UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION enqueue_invoice_email();

-- When and how a paid invoice was paid, printed on its document (set by mark_paid; payments later).
ALTER TABLE invoices ADD COLUMN paid_at timestamptz;
ALTER TABLE invoices ADD COLUMN payment_reference text;
