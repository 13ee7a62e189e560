-- Issue 18: a billing batch inserts its hundreds of invoices with one statement. The row-level triggers that queue a
-- finalized invoice's collection (V140, V340) and its email (V80, V340) cost two PL/pgSQL calls and four queries per
-- invoice — about half of the insert's time (docs/architecture.md). On INSERT they now run once per statement over
-- the rows it inserted (a transition table), with the same rules written set-based; on UPDATE OF status (a draft
-- finalized after its grace, a proforma paid: one invoice at a time) the row-level triggers stay as they were.
-- The rules now live in two functions each: a change to one must be made to the other (every test that bills goes
-- through the insert triggers; drafts finalized after their grace and paid proformas through the update ones).
DROP TRIGGER invoices_enqueue_collection ON invoices;
DROP TRIGGER invoices_enqueue_email ON invoices;
CREATE TRIGGER invoices_enqueue_collection AFTER UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION enqueue_invoice_collection();
CREATE TRIGGER invoices_enqueue_email AFTER UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION enqueue_invoice_email();

-- enqueue_invoice_collection for inserted rows: a finalized invoice owing something is collected from its payer (the
-- parent when the customer has one) when the payer is on auto-pay; at once when the payer has an active method.
CREATE FUNCTION enqueue_inserted_invoices_collection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO collections (tenant_id, invoice_id, customer_id, stage, next_attempt_at, created_at, updated_at)
    SELECT i.tenant_id, i.id, p.id,
           CASE WHEN m.has_method THEN 'collecting' ELSE 'waiting_for_method' END,
           CASE WHEN m.has_method THEN coalesce(tc.frozen_time, i.finalized_at, clock_timestamp()) END, clock_timestamp(), clock_timestamp()
    FROM inserted i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    JOIN customers p ON p.tenant_id = c.tenant_id AND p.id = coalesce(c.parent_id, c.id)
    LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.tenant_id = i.tenant_id AND pm.customer_id = p.id
                                       AND pm.status = 'active') AS has_method) m
    WHERE i.status = 'finalized' AND i.total > 0 AND p.collection_method = 'auto_pay'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- enqueue_invoice_email for inserted rows: a finalized invoice (or a proforma) is emailed when the tenant's seller identity
-- asks for it, to the customer's billing emails and then its parent's it does not already have.
CREATE FUNCTION enqueue_inserted_invoices_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbound_emails (tenant_id, id, customer_id, recipients, template, object_type, object_id, status, created_at, next_attempt_at)
    SELECT i.tenant_id, 'eml_' || replace(gen_random_uuid()::text, '-', ''), i.customer_id, r.recipients,
           CASE WHEN i.status = 'proforma' THEN 'proforma' ELSE 'invoice' END, 'invoice', i.id, 'queued', clock_timestamp(), clock_timestamp()
    FROM inserted i
    JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
    LEFT JOIN customers p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id
    CROSS JOIN LATERAL (SELECT c.billing_emails || ARRAY(SELECT e FROM unnest(coalesce(p.billing_emails, '{}')) AS e
                                                        WHERE e <> ALL (c.billing_emails)) AS recipients) r
    WHERE i.status IN ('finalized', 'proforma')
      AND EXISTS (SELECT 1 FROM seller_identities s WHERE s.tenant_id = i.tenant_id AND s.email_invoices)
      AND cardinality(r.recipients) > 0
    ON CONFLICT (tenant_id, template, object_id) WHERE template IS NOT NULL AND resend_of IS NULL DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER invoices_enqueue_collection_on_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION enqueue_inserted_invoices_collection();
CREATE TRIGGER invoices_enqueue_email_on_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION enqueue_inserted_invoices_email();
