package dev.accrue.bench;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One KRaft broker (combined broker and controller, from Kafka's own test kit) in a JVM of its own, as a deployment
 * runs it: its collections no longer stop the Accrue nodes and the load generator, and its CPU is counted apart (issue 18
 * point 8). The child runs with Kafka's own default heap and collector (1 GiB, G1), prints {@code READY <bootstrap>} once
 * the broker is ready, answers {@code cpu} with its CPU time in ms, and stops when its standard input closes.
 */
final class BrokerProcess implements AutoCloseable {
    final String bootstrapServers;
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    BrokerProcess() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(List.of(java, "-Xmx1g", "-Xms1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        bootstrapServers = answer("READY ");
    }

    /** The broker JVM's CPU time so far, in ms. */
    long cpuMillis() throws IOException {
        in.println("cpu");
        return Long.parseLong(answer("CPU "));
    }

    private String answer(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null && !line.startsWith(prefix)) {
            // the broker's own log lines
        }
        if (line == null) {
            throw new IllegalStateException("the benchmark's Kafka broker exited");
        }
        return line.substring(prefix.length());
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: the broker, serving until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (KafkaClusterTestKit broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build()).setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1").build();
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            broker.format();
            broker.startup();
            broker.waitForReadyBrokers();
            System.out.println("READY " + broker.bootstrapServers());
            System.out.flush();
            String command;
            while ((command = commands.readLine()) != null) {
                if (command.trim().equals("cpu")) {
                    System.out.println("CPU " + ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L));
                    System.out.flush();
                }
            }
        }
    }
}
