-- Issue 16: an interval change (monthly <-> yearly) can be dated like the other dated actions.
ALTER TABLE subscription_scheduled_actions ADD COLUMN billing_interval text
    CHECK (billing_interval IN ('week', 'month', 'quarter', 'half_year', 'year'));
ALTER TABLE subscription_scheduled_actions DROP CONSTRAINT subscription_scheduled_actions_action_check;
ALTER TABLE subscription_scheduled_actions ADD CONSTRAINT subscription_scheduled_actions_action_check
    CHECK (action IN ('change_plan', 'change_quantity', 'cancel', 'change_interval'));
ALTER TABLE subscription_scheduled_actions ADD CONSTRAINT subscription_scheduled_actions_interval_check
    CHECK ((action = 'change_interval') = (billing_interval IS NOT NULL));
