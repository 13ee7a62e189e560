-- A forwarded call's legs were stored as <event_id>:in and <event_id>:out, ids a client may send as well: a
-- later event named "x:in" was taken for a duplicate of call x's inbound leg (and lost), and the reverse. The
-- inbound leg now keeps the call's own id and the outbound leg is <event_id>#out ('#' is refused in the ids
-- clients send). Renamed here: pairs that are a forwarded call's legs (same customer and instant, the outbound
-- leg carrying the destination), unless the customer's own event already holds the new id. (Adjustments are
-- recorded per usage window since V46, not per event, so nothing else names a leg.)
CREATE TEMPORARY TABLE forwarded_legs ON COMMIT DROP AS
SELECT o.tenant_id, left(o.event_id, -4) AS call_id
FROM usage_events o
JOIN usage_events i ON i.tenant_id = o.tenant_id AND i.event_id = left(o.event_id, -4) || ':in'
     AND i.customer_id = o.customer_id AND i.occurred_at = o.occurred_at
WHERE o.event_id LIKE '%:out' AND o.properties ->> 'destination' IS NOT NULL AND o.properties ->> 'direction' = 'outbound'
  AND NOT EXISTS (SELECT 1 FROM usage_events c WHERE c.tenant_id = o.tenant_id AND c.event_id = left(o.event_id, -4));

UPDATE usage_events e SET event_id = f.call_id FROM forwarded_legs f
WHERE e.tenant_id = f.tenant_id AND e.event_id = f.call_id || ':in';
UPDATE usage_events e SET event_id = f.call_id || '#out' FROM forwarded_legs f
WHERE e.tenant_id = f.tenant_id AND e.event_id = f.call_id || ':out';
