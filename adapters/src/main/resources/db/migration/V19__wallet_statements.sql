-- Which monthly wallet statements were emailed (one per prepaid customer and month).
CREATE TABLE wallet_statements (
    tenant_id    text NOT NULL,
    customer_id  text NOT NULL,
    month        date NOT NULL,
    email_id     text NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, month)
);
