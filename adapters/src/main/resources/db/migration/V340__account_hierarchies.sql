-- Account hierarchies (issue 16 point 13, docs/billing.md#account-hierarchies): a parent account pays for its children.
-- parent_id: the paying account, same tenant (composite key); same currency, same test clock and no cycle are checked by
-- AccountHierarchy under the tenant's hierarchy lock. invoicing: how the child is invoiced, null without a parent.
ALTER TABLE customers ADD COLUMN parent_id text;
ALTER TABLE customers ADD COLUMN invoicing text CHECK (invoicing IN ('separate', 'consolidated'));
ALTER TABLE customers ADD CONSTRAINT customers_parent_fk FOREIGN KEY (tenant_id, parent_id) REFERENCES customers (tenant_id, id);
ALTER TABLE customers ADD CONSTRAINT customers_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id);
ALTER TABLE customers ADD CONSTRAINT customers_invoicing_with_parent CHECK ((parent_id IS NULL) = (invoicing IS NULL));
CREATE INDEX customers_children ON customers (tenant_id, parent_id) WHERE parent_id IS NOT NULL;

-- Who pays an account's invoices: its parent when it has one, else itself (Customer.payerId). The collection of a
-- finalized invoice belongs to the payer: its collection method decides whether the invoice is collected at all, its
-- saved methods are tried, its lock orders the tries, its payments and dunning follow. The invoice stays the child's.
CREATE OR REPLACE FUNCTION enqueue_invoice_collection() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    method   text;
    payer    text;
    due_at   timestamptz;
BEGIN
    IF NEW.status <> 'finalized' OR NEW.total <= 0 OR (TG_OP = 'UPDATE' AND OLD.status <> 'draft') THEN
        RETURN NEW;
    END IF;
    SELECT p.collection_method, p.id, coalesce(tc.frozen_time, NEW.finalized_at, clock_timestamp()) INTO method, payer, due_at
    FROM customers c
    JOIN customers p ON p.tenant_id = c.tenant_id AND p.id = coalesce(c.parent_id, c.id)
    LEFT JOIN test_clocks tc ON tc.tenant_id = c.tenant_id AND tc.id = c.test_clock_id
    WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.customer_id;
    IF method IS DISTINCT FROM 'auto_pay' THEN
        RETURN NEW;
    END IF;
    INSERT INTO collections (tenant_id, invoice_id, customer_id, stage, next_attempt_at, created_at, updated_at)
    SELECT NEW.tenant_id, NEW.id, payer,
           CASE WHEN has_method THEN 'collecting' ELSE 'waiting_for_method' END,
           CASE WHEN has_method THEN due_at END, clock_timestamp(), clock_timestamp()
    FROM (SELECT EXISTS (SELECT 1 FROM payment_methods m WHERE m.tenant_id = NEW.tenant_id AND m.customer_id = payer
                         AND m.status = 'active') AS has_method) x
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END $$;

-- A child's invoice is emailed to its own billing emails and to its payer's (the parent is the billing contact).
CREATE OR REPLACE FUNCTION enqueue_invoice_email() RETURNS trigger LANGUAGE plpgsql AS $$
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
    -- the child's own addresses first, in their order, then the parent's it does not already have
    SELECT c.billing_emails || ARRAY(SELECT e FROM unnest(coalesce(p.billing_emails, '{}')) AS e WHERE e <> ALL (c.billing_emails)) INTO recipients
    FROM customers c
    LEFT JOIN customers p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id
    WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.customer_id;
    IF recipients IS NULL OR cardinality(recipients) = 0 THEN
        RETURN NEW;
    END IF;
    INSERT INTO outbound_emails (tenant_id, id, customer_id, recipients, template, object_type, object_id, status, created_at, next_attempt_at)
    VALUES (NEW.tenant_id, 'eml_' || replace(gen_random_uuid()::text, '-', ''), NEW.customer_id, recipients, kind, 'invoice', NEW.id, 'queued',
            clock_timestamp(), clock_timestamp())
    ON CONFLICT (tenant_id, template, object_id) WHERE template IS NOT NULL AND resend_of IS NULL DO NOTHING;
    RETURN NEW;
END $$;
