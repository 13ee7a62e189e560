-- What the portal's cancel page offers instead of cancelling, configured by the tenant (PUT /v1/tenant/cancel_alternatives,
-- docs/portal.md): in the tenant's order, replaced as a whole.
CREATE TABLE cancel_alternatives (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    position   int NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('downgrade', 'contact')),
    plan       text,
    label      text,
    url        text,
    message    text,
    PRIMARY KEY (tenant_id, position),
    CHECK ((kind = 'downgrade' AND plan IS NOT NULL) OR (kind = 'contact' AND url IS NOT NULL AND label IS NOT NULL))
);
