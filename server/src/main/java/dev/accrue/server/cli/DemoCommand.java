package dev.accrue.server.cli;

import picocli.CommandLine.Command;

/** {@code accrue demo}: {@code serve} with the demo data loaded first; every serve option applies. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the server with the demo tenants, catalogs and customers loaded (same as 'serve --demo').")
class DemoCommand extends ServeCommand {

    @Override
    public Integer call() throws InterruptedException {
        demo = true;
        return super.call();
    }
}
