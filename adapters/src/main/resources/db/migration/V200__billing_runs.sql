-- Billing runs as an operator sees them (issue 17): one row per run of any node (the scheduler's when something was
-- due, every run asked for by the CLI), and per tenant what was due when it started and how far it got. Progress is
-- written while the run goes, after each committed batch, so GET /v1/billing_runs shows a run that is still going.
CREATE TABLE billing_runs (
    id            text PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    triggered_by  text NOT NULL,
    node          text NOT NULL,
    -- when its progress was last written: a run unfinished and silent for long was cut short (its node died)
    progressed_at timestamptz NOT NULL
);

CREATE INDEX billing_runs_started ON billing_runs (started_at DESC);

CREATE TABLE billing_run_tenants (
    run_id        text NOT NULL REFERENCES billing_runs (id),
    tenant_id     text NOT NULL REFERENCES tenants (id),
    due           integer NOT NULL CHECK (due >= 0),
    done          integer NOT NULL DEFAULT 0 CHECK (done >= 0),
    failed        integer NOT NULL DEFAULT 0 CHECK (failed >= 0),
    invoices      integer NOT NULL DEFAULT 0 CHECK (invoices >= 0),
    -- due when the run ended but held by another node's run (claimed with SKIP LOCKED), so not billed by this one
    held_elsewhere integer,
    PRIMARY KEY (run_id, tenant_id)
);

CREATE INDEX billing_run_tenants_by_tenant ON billing_run_tenants (tenant_id, run_id DESC);
