package dev.accrue.server.cli;

import dev.accrue.server.Accrue;
import dev.accrue.server.AccrueConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** Where the database is: flags override the ACCRUE_* environment, which overrides the defaults. */
final class NodeOptions {
    @Option(names = "--data-dir", description = "Directory of the embedded PostgreSQL (default ./data or ACCRUE_DATA_DIR)")
    Path dataDir;

    AccrueConfig config() {
        AccrueConfig config = AccrueConfig.fromEnvironment(System.getenv());
        return dataDir == null ? config : config.withDataDir(dataDir);
    }

    Accrue open() {
        return Accrue.open(config(), Clock.systemUTC());
    }
}
