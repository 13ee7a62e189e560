-- The node's recurring jobs (billing run, collections and dunning, subscription reminders, data retention) are
-- scheduled through db-scheduler (issue 17 point 3): one row per job holds when it is next due, which node picked
-- it and its last success and failure. A node takes a due job with an UPDATE guarded by `version`, so exactly one
-- node runs each due execution; a node that dies while running one stops sending heartbeats and another node
-- takes the execution over. The columns are db-scheduler's own (its PostgreSQL DDL, 16.x).
CREATE TABLE scheduled_tasks (
    task_name            text NOT NULL,
    task_instance        text NOT NULL,
    task_data            bytea,
    execution_time       timestamptz NOT NULL,
    picked               boolean NOT NULL,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures integer,
    last_heartbeat       timestamptz,
    version              bigint NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

-- What each execution of a recurring job did, on which node: the scheduler's history (db-scheduler keeps only the
-- next execution). Kept 30 days (the retention job prunes it).
CREATE TABLE scheduled_job_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job          text NOT NULL,
    node         text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    error        text
);
CREATE INDEX scheduled_job_runs_by_job ON scheduled_job_runs (job, started_at DESC);
CREATE INDEX scheduled_job_runs_started ON scheduled_job_runs (started_at);
