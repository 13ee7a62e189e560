-- Forgotten console passwords (docs/console.md): a single-use link emailed to the staff user, valid for an hour.
-- Like every secret handed to a browser, the token is stored only as its SHA-256.
CREATE TABLE staff_password_resets (
    token_hash  bytea PRIMARY KEY,
    tenant_id   text NOT NULL,
    staff_id    text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_users (tenant_id, id)
);
CREATE INDEX staff_password_resets_by_user ON staff_password_resets (tenant_id, staff_id, created_at);
