package dev.accrue.adapters.scheduler;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Runs a node's recurring jobs through db-scheduler, so each due execution runs on exactly one node of all those
 * sharing the database: a node claims a due execution with an UPDATE guarded by the row's version (table
 * {@code scheduled_tasks}), and a node that dies mid-execution stops heartbeating, after which another node revives
 * it. Every execution is recorded in {@code scheduled_job_runs} (node, start, end, outcome), the history
 * db-scheduler itself does not keep. A failed execution is logged and the job runs again after its usual pause.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
    private static final int MAX_ERROR = 2000;
    private final Scheduler scheduler;
    private final Jdbi jdbi;
    private final String node;
    private final Clock clock = Clock.systemUTC();

    /**
     * {@code pollEvery}: how often this node looks for due executions (a job may start up to this late);
     * {@code heartbeatEvery}: how often a running execution tells the others it is alive (4 missed, it is revived elsewhere).
     */
    public JobScheduler(DataSource dataSource, Jdbi jdbi, String node, List<RecurringJob> jobs, Duration pollEvery, Duration heartbeatEvery) {
        this.jdbi = jdbi;
        this.node = node;
        List<RecurringTask<Void>> tasks = jobs.stream().map(this::task).toList();
        this.scheduler = Scheduler.create(dataSource)
                .startTasks(tasks)
                .schedulerName(new SchedulerName.Fixed(node))
                .threads(Math.max(1, Math.min(tasks.size(), 4)))
                .pollingInterval(pollEvery)
                .heartbeatInterval(heartbeatEvery)
                .shutdownMaxWait(Duration.ofSeconds(30))
                .build();
    }

    private RecurringTask<Void> task(RecurringJob job) {
        return Tasks.recurring(job.name(), FixedDelay.of(job.every()))
                .execute((instance, context) -> runAndRecord(job));
    }

    private void runAndRecord(RecurringJob job) {
        Instant started = clock.instant();
        String error = null;
        try {
            job.work().run();
        } catch (RuntimeException e) {
            error = e.toString();
            LOG.error("Scheduled job {} failed on {}; it runs again in {}", job.name(), node, job.every(), e);
        }
        record(job.name(), started, error);
    }

    private void record(String job, Instant started, String error) {
        // the history is a report: failing to write it must not fail the job (db-scheduler would count a failure)
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO scheduled_job_runs (job, node, started_at, finished_at, outcome, error)
                            VALUES (:job, :node, :started, :finished, :outcome, :error)""")
                    .bind("job", job).bind("node", node).bind("started", started).bind("finished", clock.instant())
                    .bind("outcome", error == null ? "succeeded" : "failed")
                    .bind("error", error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR)))
                    .execute());
        } catch (RuntimeException e) {
            LOG.warn("Recording the execution of scheduled job {} failed", job, e);
        }
    }

    public JobScheduler start() {
        scheduler.start();
        return this;
    }

    @Override
    public void close() {
        scheduler.stop(); // waits (up to shutdownMaxWait) for executions in progress
    }
}
