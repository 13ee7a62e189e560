-- The customer billing portal and the operator console (docs/portal.md, docs/console.md).
-- Every secret handed to a browser (a portal link's token, a session cookie) is stored only as its SHA-256: a
-- leaked table grants nothing. The tokens are 256 random bits, so a fast hash is enough (nothing to brute-force).

-- A one-time portal link: exchanged once, before it expires, for a portal session.
CREATE TABLE portal_links (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    id           text NOT NULL,
    customer_id  text NOT NULL,
    email        text NOT NULL,
    role         text NOT NULL CHECK (role IN ('admin', 'member')),
    return_url   text,
    locale       text,
    token_hash   bytea NOT NULL UNIQUE,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    -- no foreign key to customers on purpose: BillingHistory counts every table referencing a customer as
    -- billing history, and a portal link is not; the customer is read in the tenant when the link is made and
    -- on every portal page, so a deleted customer's link leads nowhere.
    PRIMARY KEY (tenant_id, id)
);

-- The tenant's staff who sign in to the console. Emails are unique across tenants: the sign-in form asks for
-- an email and a password only. Passwords are Argon2id hashes (PHC string: algorithm, parameters, salt, hash).
CREATE TABLE staff_users (
    tenant_id      text NOT NULL REFERENCES tenants (id),
    id             text NOT NULL,
    email          text NOT NULL,
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('admin', 'finance', 'support', 'read_only')),
    password_hash  text NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

-- Failed sign-ins per email (known or not, so the throttle does not reveal which emails exist).
CREATE TABLE login_failures (
    email         text PRIMARY KEY,
    failures      int NOT NULL,
    window_start  timestamptz NOT NULL,
    locked_until  timestamptz
);

-- A browser session of the portal (subject = customer id) or the console (subject = staff user id).
-- The CSRF token is the synchronizer token every form of the session carries.
CREATE TABLE web_sessions (
    token_hash   bytea PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    kind         text NOT NULL CHECK (kind IN ('portal', 'console')),
    subject_id   text NOT NULL,
    email        text NOT NULL,
    role         text NOT NULL,
    csrf_token   text NOT NULL,
    locale       text,
    return_url   text,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
