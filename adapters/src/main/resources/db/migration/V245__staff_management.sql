-- Staff management in the console (docs/console.md): a staff user is deactivated, never deleted, so the audit
-- trail's "user:staff:<email>" keeps pointing at someone; a deactivated user cannot sign in.
ALTER TABLE staff_users ADD COLUMN deactivated_at timestamptz;
