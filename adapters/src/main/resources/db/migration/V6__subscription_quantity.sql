-- Seats: every recurring charge is multiplied by the quantity. A decrease waits for period end.
ALTER TABLE subscriptions ADD COLUMN quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000000);
ALTER TABLE subscriptions ADD COLUMN pending_quantity integer CHECK (pending_quantity BETWEEN 1 AND 1000000);
