-- A tenant's tax configuration (issue 12): where it is established (null: it collects no tax), whether its prices
-- include tax, and its own rows over the shipped EU VAT table ([{country, region, category, type, rate}]).
CREATE TABLE tenant_tax_settings (
    tenant_id      text PRIMARY KEY REFERENCES tenants (id),
    seller_country text CHECK (seller_country ~ '^[A-Z]{2}$'),
    prices         text NOT NULL CHECK (prices IN ('tax_exclusive', 'tax_inclusive')),
    rate_edits     jsonb NOT NULL DEFAULT '[]',
    updated_at     timestamptz NOT NULL DEFAULT now()
);
