package dev.accrue.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the server with the demo tenants, catalogs and customers loaded (same as 'serve --demo').")
class DemoCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node;

    @Option(names = "--port", description = "HTTP port (default 8080 or ACCRUE_PORT)")
    Integer port;

    @Option(names = "--host", description = "Interface to listen on (default 127.0.0.1)")
    String host;

    @Override
    public Integer call() throws Exception {
        ServeCommand serve = new ServeCommand();
        serve.node = node;
        serve.port = port;
        serve.host = host;
        serve.demo = true;
        serve.billingSeconds = 60;
        return serve.call();
    }
}
