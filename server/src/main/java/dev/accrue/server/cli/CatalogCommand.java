package dev.accrue.server.cli;

import dev.accrue.adapters.catalog.CatalogYaml;
import dev.accrue.app.auth.Caller;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.InvalidCatalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Validate and import catalog YAML files.",
        subcommands = {CatalogCommand.Validate.class, CatalogCommand.Import.class})
class CatalogCommand {

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check catalog files without a database; prints every problem as file:line:column: path: message [code].")
    static class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<Path> files;

        @Override
        public Integer call() {
            int failed = 0;
            for (Path file : files) {
                try {
                    Catalog c = CatalogYaml.read(file.toString(), read(file));
                    System.out.printf("%s: ok (catalog %s version %d, %d plans, %d add-ons)%n", file, c.name(), c.version(), c.plans().size(), c.addOns().size());
                } catch (InvalidCatalogException e) {
                    failed++;
                    e.problems().forEach(p -> System.out.println(p));
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a catalog file as the tenant's next catalog version.")
    static class Import implements Callable<Integer> {
        @Mixin
        NodeOptions node;

        @Option(names = "--tenant", required = true, description = "Tenant id or name")
        String tenant;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            String source = read(file);
            try (var accrue = node.open()) {
                var t = ApiKeyCommand.tenant(accrue, tenant);
                var imported = accrue.services().catalogs().importCatalog(Caller.operator(t.id()), file.getFileName().toString(), source);
                System.out.printf("imported %s version %d (%s), effective from %s%n", imported.version().name(),
                        imported.version().version(), imported.version().id(), imported.version().effectiveFrom());
            } catch (InvalidCatalogException e) {
                e.problems().forEach(p -> System.err.println(p));
                return 1;
            }
            return 0;
        }
    }
}
