package io.stratum.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "store", description = "Backup stores: a directory or any S3-compatible bucket (admin only).",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum store add nas --dir /mnt/nas/stratum && stratum db modify orders --backup-store nas"})
final class StoreCommands {
    /** Its subcommands, added by StratumCli.group: only the one called when a command line names it. */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(Add.class, ListStores.class, Show.class, Delete.class);

    @Command(name = "add", description = "Add a store; it is checked (an object written, read back and deleted) before it is added. "
            + "The S3 secret key is read from standard input and kept in the secret store.", mixinStandardHelpOptions = true,
            footer = {"", "Examples:", "  stratum store add nas --dir /mnt/nas/stratum",
                    "  printf '%%s' \"$S3_SECRET\" | stratum store add offsite --s3-endpoint https://s3.eu-central-1.amazonaws.com \\",
                    "      --bucket acme-db-backups --region eu-central-1 --prefix stratum --access-key AKIA... --secret-key-stdin",
                    "  printf '%%s' \"$SECRET\" | stratum store add minio --s3-endpoint http://127.0.0.1:9000 --bucket backups \\",
                    "      --access-key stratum --secret-key-stdin --path-style --create-bucket"})
    static final class Add extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--dir", paramLabel = "PATH", description = "an absolute directory") String dir;
        @Option(names = "--s3-endpoint", paramLabel = "URL") String endpoint;
        @Option(names = "--bucket") String bucket;
        @Option(names = "--region", description = "default us-east-1") String region;
        @Option(names = "--prefix", description = "key prefix inside the bucket") String prefix;
        @Option(names = "--access-key") String accessKey;
        @Option(names = "--secret-key-stdin", description = "read the secret key from standard input") boolean secretKeyStdin;
        @Option(names = "--path-style", description = "path-style addressing (MinIO, s3proxy, most self-hosted servers)") boolean pathStyle;
        @Option(names = "--create-bucket", description = "create the bucket if it does not exist") boolean createBucket;
        @Option(names = "--create", description = "create the directory if it does not exist (by default it must exist: a "
                + "missing mount point is refused)") boolean create;

        @Override
        void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            DbCommands.put(body, "dir", dir);
            DbCommands.put(body, "s3Endpoint", endpoint);
            DbCommands.put(body, "bucket", bucket);
            DbCommands.put(body, "region", region);
            DbCommands.put(body, "prefix", prefix);
            DbCommands.put(body, "accessKey", accessKey);
            if (secretKeyStdin) body.put("secretKey", stdinLine("secretKey", "--secret-key-stdin"));
            if (pathStyle) body.put("pathStyle", true);
            if (createBucket) body.put("createBucket", true);
            if (create) body.put("create", true);
            out().object(api().post("/v1/stores", body));
        }
    }

    @Command(name = "list", description = "List backup stores (the built-in 'default' first).", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum store list"})
    static final class ListStores extends CliCommand {
        @Override
        void run() {
            out().list(api().get("/v1/stores"), List.of("name", "type", "location", "createdAt"));
        }
    }

    @Command(name = "show", description = "Show a backup store.", mixinStandardHelpOptions = true,
            footer = {"", "Example:", "  stratum store show offsite -o json"})
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        void run() {
            out().object(api().get("/v1/stores/" + seg(name)));
        }
    }

    @Command(name = "delete", description = "Delete a store that holds no backups and no instance uses (its objects are untouched).",
            mixinStandardHelpOptions = true, footer = {"", "Example:", "  stratum store delete nas --confirm nas"})
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--confirm", paramLabel = "NAME") String confirm;

        @Override
        void run() {
            api().delete("/v1/stores/" + seg(name) + "?confirm=" + seg(confirm == null ? "" : confirm));
            deleted("store", name, "deleted store " + name);
        }
    }
}
