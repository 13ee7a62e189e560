-- One catalog per tenant, as a sequence of immutable versions. The YAML source is kept verbatim: it is what
-- the operator wrote (comments included) and re-parsing it yields the same model.
CREATE TABLE catalog_versions (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    id              text NOT NULL,
    name            text NOT NULL,
    version         integer NOT NULL CHECK (version > 0),
    effective_from  timestamptz NOT NULL,
    source_file     text NOT NULL,
    source          text NOT NULL,
    imported_at     timestamptz NOT NULL,
    imported_by     text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, version)
);
